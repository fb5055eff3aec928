"""The Chinese catalogue is complete: every source string has a translation, none is fuzzy."""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
SOURCE_DIRS = [
    "config",
    "directory",
    "content",
    "training",
    "certificates",
    "reports",
    "dossiers",
    "plan",
    "templates",
]


def test_every_entry_is_translated_and_none_is_fuzzy():
    catalogue = polib.pofile(str(CATALOGUE))
    assert catalogue.percent_translated() == 100, [
        e.msgid for e in catalogue.untranslated_entries()
    ]
    assert not catalogue.fuzzy_entries()
    assert not catalogue.metadata_is_fuzzy


@pytest.mark.slow
@pytest.mark.skipif(not shutil.which("xgettext"), reason="GNU gettext extracts the source strings")
def test_the_catalogue_covers_every_string_in_the_source(tmp_path):
    # Extract in a copy, so the real catalogue is never rewritten by the test.
    for name in SOURCE_DIRS:
        shutil.copytree(Path(settings.BASE_DIR) / name, tmp_path / name)
    shutil.copy(Path(settings.BASE_DIR) / "manage.py", tmp_path)
    (tmp_path / "locale").mkdir()
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "zh_Hans", "--no-obsolete"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "config.settings.test"},
    )
    extracted = polib.pofile(str(tmp_path / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"))
    ours = {entry.msgid for entry in polib.pofile(str(CATALOGUE)) if entry.translated()}
    missing = sorted(entry.msgid for entry in extracted if entry.msgid not in ours)
    assert not missing, f"run makemessages and translate: {missing}"


@pytest.mark.django_db
def test_pages_are_chinese_by_default_and_english_on_request():
    # An English-language browser still gets Chinese until the person chooses English.
    client = Client(headers={"accept-language": "en-US,en;q=0.9"})
    page = client.get("/accounts/login/").content.decode()
    assert 'lang="zh-hans"' in page and "登录" in page
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    page = client.get("/accounts/login/").content.decode()
    assert 'lang="en"' in page and "Log in" in page
    with translation.override("zh-hans"):
        assert str(settings.WAGTAIL_SITE_NAME) == "徐泾镇安全生产培训与演练管理平台"


@pytest.mark.django_db
def test_the_back_office_is_chinese_for_an_english_browser(accounts):
    from directory.constants import AccountRole

    client = Client(headers={"accept-language": "en-US,en;q=0.9"})
    client.force_login(accounts[AccountRole.TOWN_OFFICE])
    page = client.get("/admin/registry/people/").content.decode()
    assert "人员" in page and "身份证号" in page


def _translated(path: Path) -> set[tuple[str | None, str]]:
    if not path.exists():
        return set()
    return {
        (entry.msgctxt, entry.msgid)
        for entry in polib.pofile(str(path))
        if entry.msgstr or entry.msgstr_plural.get(0)
    }


@pytest.mark.parametrize("package", ["wagtail", "wagtailmedia"])
def test_wagtail_s_own_strings_are_chinese_too(package):
    """Every string Wagtail (or wagtailmedia) ships, listed by its most complete catalogue
    (German), reads in Chinese: Wagtail's zh_Hans catalogue or ours translates it."""
    import importlib

    root = Path(importlib.import_module(package).__file__).parent
    ours = {
        domain: _translated(CATALOGUE.with_name(f"{domain}.po"))
        for domain in ("django", "djangojs")
    }
    missing = []
    for german in sorted(root.glob("**/locale/de/LC_MESSAGES/*.po")):
        domain = german.stem
        theirs = _translated(Path(str(german).replace("/de/", "/zh_Hans/")))
        for entry in polib.pofile(str(german)):
            key = (entry.msgctxt, entry.msgid)
            if not entry.obsolete and key not in theirs and key not in ours[domain]:
                missing.append(f"{german.relative_to(root)}: {entry.msgid}")
    assert not missing, missing


def test_the_javascript_catalogue_is_complete_and_served(client):
    js = polib.pofile(str(CATALOGUE.with_name("djangojs.po")))
    assert js.percent_translated() == 100 and not js.fuzzy_entries()
    with translation.override("zh-hans"):
        body = client.get("/admin/jsi18n/", headers={"host": "localhost"}).content.decode()
    assert "\\u6b63\\u5728\\u81ea\\u52a8\\u4fdd\\u5b58" in body  # 正在自动保存 (autosave)
