"""The catalogue follows docs/terminology.md: each listed English term, in its context, is shown
in the fixed Chinese word and never in the word to avoid (what users read, the project's
catalogue over Wagtail's and Django's)."""

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext, pgettext

DOC = Path(settings.BASE_DIR) / "docs" / "terminology.md"
CATALOGUE = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def _rows() -> list[tuple[str, str | None, str, str | None]]:
    """(English, context, Chinese, avoided) for every term of the table, a/b pairs unfolded."""
    rows = []
    for line in DOC.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) != 5 or cells[0] in ("English (msgid)", "---") or set(cells[0]) <= {"-"}:
            continue
        english, context, chinese, _where, avoided = cells
        terms = english.split(" / ")
        words = chinese.split(" / ")
        if len(words) != len(terms):
            words = [chinese] * len(terms)
        for term, word in zip(terms, words, strict=True):
            rows.append(
                (
                    term,
                    None if context == "—" else context.strip("`"),
                    word,
                    None if avoided == "—" else avoided,
                )
            )
    return rows


ROWS = _rows()


def test_the_table_lists_the_terms_that_were_mixed_up():
    listed = {(term, context) for term, context, _, _ in ROWS}
    for needed in [
        ("Submit", None),
        ("Submit", "monthly report"),
        ("Type", None),
        ("Review", "exam answers"),
        ("name", "person"),
        ("Deadline", None),
        ("items", None),
    ]:
        assert needed in listed


@pytest.mark.parametrize(("term", "context", "word", "avoided"), ROWS)
def test_each_term_reads_the_fixed_word(term, context, word, avoided):
    with translation.override("zh-hans"):
        shown = pgettext(context, term) if context else gettext(term)
    assert shown != term, f"{term!r} ({context}) has no translation"
    assert word in shown, f"{term!r} ({context}) reads {shown!r}, not {word}"
    for avoided_word in re.split(r"\s*/\s*", avoided or ""):
        assert not avoided_word or avoided_word not in shown, f"{term!r} ({context}): {shown!r}"


def test_no_entry_of_a_listed_term_uses_the_word_to_avoid():
    """Also the entries the crawl does not reach: every catalogue entry whose English is a listed
    term (any letter case) and whose context is not listed for it on its own."""
    contexts = {(term.lower(), context) for term, context, _, _ in ROWS}
    avoid = {}
    for term, context, _word, avoided in ROWS:
        if avoided:
            avoid.setdefault((term.lower(), context), set()).update(re.split(r"\s*/\s*", avoided))
    wrong = []
    for entry in polib.pofile(str(CATALOGUE)):
        key = (entry.msgid.lower(), entry.msgctxt)
        if key not in contexts:
            key = (entry.msgid.lower(), None)
        for word in avoid.get(key, ()):
            if word in entry.msgstr:
                wrong.append(f"{entry.msgctxt or ''} {entry.msgid!r} → {entry.msgstr}")
    assert not wrong, wrong
