"""Every role's screens are Chinese and pass axe-core: the crawl logs in as each demo role, opens
every page of its back-office menu (the front office's navigation for those without the back
office) and the first record each list links to, and fails on any run of Latin letters in the
text a user sees or hears (body text, placeholders, titles, aria-labels, alt texts, button
values) outside a short allow-list, and on any serious or critical axe-core violation.

Run by path against a running platform (`make run`) to see every finding at once:
    .venv/bin/python tests/browser/test_chinese_crawl.py http://127.0.0.1:8000 xujing2026
"""

import re
import sys
import time
from collections import defaultdict

import pytest

# Words that may stay in Latin letters: file kinds, codes and units the users read as they are.
ALLOWED_WORDS = {
    "Excel",  # the spreadsheet program every office names its files by
    "PDF",
    "XLSX",
    "XLS",
    "CSV",
    "ZIP",
    "DOC",
    "DOCX",
    "PPT",
    "PPTX",
    "TXT",
    "JPG",
    "JPEG",
    "PNG",
    "MP4",
    "JSON",
    "QR",
    "ID",
    "URL",
    "KB",
    "MB",
    "GB",
    "GBK",  # a file encoding, beside UTF-8
    "TSG",  # the prefix of a special-equipment standard's number (TSG Z6001-2019)
    # The language switcher names each language in itself (English for those who read it).
    "English",
}
# The demo logins (an account's name is shown as it was chosen).
DEMO_USERNAMES = {"admin", "town", "dept", "village", "manager", "learner", "editor"}
# Words allowed on one screen only (a regular expression per screen, matched whole).
ALLOWED_ON_PAGES: dict[str, str] = {
    # Wagtail's page-type report shows each page model's code beside its Chinese name.
    "/admin/reports/page-types-usage/": r"content\.[a-z]+",
}
# axe-core rules allowed on a screen, with the reason.
AXE_ALLOWED: dict[str, set[str]] = {
    # Wagtail's rich text editor (Draftail) leaves its textbox without an accessible name: an
    # open Wagtail bug (wagtail/wagtail#14205), fixed upstream, not in our templates.
    "/admin/pages/<id>/edit/": {"aria-input-field-name"},
}

ROLES = ["town", "dept", "village", "manager", "editor", "learner"]
WORD = re.compile(r"[A-Za-z0-9_@%&+\-./:'’]*[A-Za-z][A-Za-z0-9_@%&+\-./:'’]*")
# An uploaded file's name keeps its letters; a pointer to a project document (regulations.md)
# is not a file the user has.
FILE_NAME = re.compile(
    r"^[\w\-./]+\.(pdf|xlsx?|csv|zip|docx?|pptx?|txt|jpe?g|png|mp4|json)$", re.IGNORECASE
)

VISIBLE_TEXT = """() => {
    const parts = [document.title, document.body.innerText];
    const attributes = ["placeholder", "title", "aria-label", "alt"];
    for (const el of document.querySelectorAll(
        "[placeholder], [title], [aria-label], img[alt], input[type=submit], input[type=button]"
    )) {
        for (const name of attributes) {
            if (el.hasAttribute(name)) parts.push(el.getAttribute(name));
        }
        if (el.matches("input[type=submit], input[type=button]")) parts.push(el.value);
    }
    return parts.join("\\n");
}"""

MENU_URLS = """() => {
    const props = document.getElementById("wagtail-sidebar-props");
    const urls = [];
    const walk = (value) => {
        if (Array.isArray(value)) { value.forEach(walk); return; }
        if (value && typeof value === "object") {
            for (const [key, item] of Object.entries(value)) {
                if (key === "url" && typeof item === "string") urls.push(item);
                else walk(item);
            }
        }
    };
    if (props) walk(JSON.parse(props.textContent));
    return urls;
}"""

NAV_URLS = """() => Array.from(document.querySelectorAll(".site-nav a[href]"))
    .map((a) => a.getAttribute("href"))"""

# The first record a listing links to: its title cell, else the row's first link.
FIRST_RECORD = """() => {
    const row = document.querySelector("table.listing tbody tr");
    if (!row) return null;
    const link = row.querySelector("td.title a[href]") || row.querySelector("a[href]");
    return link ? link.getAttribute("href") : null;
}"""


def latin_words(text: str) -> set[str]:
    """The runs of Latin letters that are neither allowed words, codes, e-mails nor file names."""
    found = set()
    for word in WORD.findall(text):
        word = word.strip(".:/'’-")
        if not re.search(r"[A-Za-z]", word):
            continue
        if (
            word in ALLOWED_WORDS
            or re.fullmatch(r"[A-Z]", word)  # an option letter (A 至 F), a sort order (A → Z)
            or word in DEMO_USERNAMES
            or re.search(r"\d", word)  # a credit code, a certificate number, a version tag
            or "@" in word
            or word.startswith(("http://", "https://", "/"))
            or FILE_NAME.match(word)
        ):
            continue
        found.add(word)
    return found


def _in_context(text: str, word: str) -> str:
    at = text.find(word)
    return text[max(0, at - 20) : at + len(word) + 20].replace("\n", " ⏎ ")


def _own(url: str | None, base: str) -> str | None:
    """A path on this site, or None (external links, anchors, javascript)."""
    if not url or url.startswith(("#", "javascript:", "mailto:")):
        return None
    if url.startswith(base):
        url = url[len(base) :]
    return url if url.startswith("/") else None


def _screen(path: str) -> str:
    """The screen a path shows: its ids and query left out."""
    return re.sub(r"/\d+/", "/<id>/", path.split("?")[0])


class Crawl:
    """One browser page per role; each path checked for Latin text and by axe-core."""

    def __init__(self, browser, base_url: str, password: str):
        from axe_playwright_python.sync_playwright import Axe

        self.browser = browser
        self.base = base_url.rstrip("/")
        self.password = password
        self.axe = Axe()
        self.latin: dict[str, list[str]] = defaultdict(list)
        self.axe_problems: dict[str, list[str]] = {}
        self.errors: dict[str, int] = {}
        self.axe_checked: set[str] = set()
        self.record_screens: set[str] = set()
        self.seconds = {"pages": 0.0, "axe": 0.0}
        self.visited = 0

    def log_in(self, page, username: str) -> None:
        page.goto(f"{self.base}/accounts/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", self.password)
        page.press("input[name=password]", "Enter")
        page.wait_for_load_state()

    def check(self, page, username: str, path: str) -> bool:
        started = time.monotonic()
        response = page.goto(f"{self.base}{path}")
        self.visited += 1
        self.seconds["pages"] += time.monotonic() - started
        where = f"{username} {path}"
        if response is None or response.status >= 400:
            self.errors[where] = response.status if response else 0
            return False
        text = page.evaluate(VISIBLE_TEXT)
        screen = _screen(path)
        allowed_here = ALLOWED_ON_PAGES.get(screen)
        for word in sorted(latin_words(text)):
            if allowed_here and re.fullmatch(allowed_here, word):
                continue
            self.latin[where].append(f"{word!r} in …{_in_context(text, word)}…")
        # axe once per screen: the markup is the same template whoever looks at it.
        if screen not in self.axe_checked:
            self.axe_checked.add(screen)
            started = time.monotonic()
            violations = self.axe.run(page).response["violations"]
            self.seconds["axe"] += time.monotonic() - started
            serious = [
                f"{v['id']}: {v['help']} ({len(v['nodes'])}×, e.g. {v['nodes'][0]['html'][:120]})"
                for v in violations
                if v["impact"] in ("serious", "critical")
                and v["id"] not in AXE_ALLOWED.get(screen, ())
            ]
            if serious:
                self.axe_problems[where] = serious
        return True

    def role(self, username: str) -> None:
        context = self.browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        self.log_in(page, username)
        response = page.goto(f"{self.base}/admin/")
        in_back_office = "/admin/" in page.url and page.query_selector("#wagtail-sidebar-props")
        if in_back_office:
            self.check(page, username, "/admin/")
            menu = page.evaluate(MENU_URLS)
        else:
            page.goto(f"{self.base}/me/")
            menu = page.evaluate(NAV_URLS)
        assert response is not None
        seen = set()
        for url in menu:
            path = _own(url, self.base)
            if path is None or path in seen or "logout" in path:
                continue
            seen.add(path)
            if not self.check(page, username, path):
                continue
            record = _own(page.evaluate(FIRST_RECORD), self.base)
            # A record's screen is opened once, by the first role that lists one: its words
            # come from the same template for whoever looks (a role's menu pages are all read).
            if record and _screen(record) not in self.record_screens:
                self.record_screens.add(_screen(record))
                self.check(page, username, record)
        context.close()

    def report(self) -> str:
        lines = []
        for title, found in [
            ("Latin text", self.latin),
            ("axe-core", self.axe_problems),
            ("error", self.errors),
        ]:
            for where, items in sorted(found.items()):
                items = items if isinstance(items, list) else [items]
                lines.append(f"[{title}] {where}")
                lines.extend(f"    {item}" for item in items)
        return "\n".join(lines)


def test_latin_words_are_found_outside_the_allow_list():
    assert latin_words("搜索全部页面… Search all pages") == {"Search", "all", "pages"}
    assert latin_words("导出 XLSX / PDF，扫描 QR 码") == set()
    assert latin_words("91310118MA1JL2XK3F 张三 scan-01.jpg a@b.cn town") == set()
    assert latin_words("提交（True）") == {"True"}
    assert latin_words("依据（regulations.md §5）") == {"regulations.md"}


@pytest.mark.slow
@pytest.mark.crawl
@pytest.mark.django_db(transaction=True)
def test_every_role_sees_chinese_and_no_serious_accessibility_violation(
    live_server, browser, seeded_site, settings
):
    import io

    from django.core.management import call_command

    from tests.factories.content import migration_data_restore

    migration_data_restore()  # an earlier committing test's flush emptied them
    call_command("seed_demo", stdout=io.StringIO())
    crawl = Crawl(browser, live_server.url, "xujing2026")
    started = time.monotonic()
    for username in ROLES:
        crawl.role(username)
    print(f"{crawl.visited} pages in {time.monotonic() - started:.0f} s", crawl.seconds)
    assert crawl.visited > 60, crawl.visited
    report = crawl.report()
    assert not report, report


if __name__ == "__main__":
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM, LAUNCH_ARGS

    started = time.monotonic()
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        crawl = Crawl(chromium, sys.argv[1], sys.argv[2])
        for name in sys.argv[3:] or ROLES:
            crawl.role(name)
        chromium.close()
    print(crawl.report() or "clean")
    print(f"{crawl.visited} pages in {time.monotonic() - started:.0f} s", crawl.seconds)
