"""Screenshots of the main front-office pages, for comparing the look before and after a change
to the styles. Not collected by default (the name has no test_ prefix); run it by path:

    SCREENSHOT_DIR=/tmp/before .venv/bin/pytest tests/browser/capture_front.py
    SCREENSHOT_DIR=/tmp/after  .venv/bin/pytest tests/browser/capture_front.py
    .venv/bin/python tests/browser/compare_screens.py /tmp/before /tmp/after
"""

import datetime
import os
from pathlib import Path

import pytest

from tests.browser.conftest import log_in
from tests.factories.exams import ExamFactory, PaperFactory, QuestionBankFactory
from training.models import Attempt

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

SIZES = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


def shoot(page, folder, name):
    page.wait_for_load_state("networkidle")
    # The exam countdown ticks; freeze the text so two runs compare the layout, not the clock.
    page.evaluate(
        "document.querySelectorAll('[data-countdown]').forEach(e => e.textContent = '29:59')"
    )
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def test_capture_front_pages(live_server, browser, seeded_site, accounts, town, tmp_path):
    out = Path(os.environ.get("SCREENSHOT_DIR") or tmp_path)
    out.mkdir(parents=True, exist_ok=True)
    ExamFactory(
        paper=PaperFactory(
            bank=QuestionBankFactory(single=4, multiple=1), score="20", shuffle_options=False
        ),
        closes_at=datetime.datetime(2027, 1, 1, 17, tzinfo=datetime.UTC),
    )
    for size, viewport in SIZES.items():
        context = browser.new_context(viewport=viewport, locale="zh-CN")
        page = context.new_page()
        folder = out / size
        folder.mkdir(exist_ok=True)
        page.goto(f"{live_server.url}/")
        shoot(page, folder, "home")
        page.goto(f"{live_server.url}/verify/")
        shoot(page, folder, "verify")
        page.goto(f"{live_server.url}/accounts/login/")
        shoot(page, folder, "login")
        log_in(page, live_server, "learner")
        shoot(page, folder, "me")
        page.goto(f"{live_server.url}/learning/")
        shoot(page, folder, "my_learning")
        page.goto(f"{live_server.url}/exams/")
        shoot(page, folder, "my_exams")
        page.click("text=开始或继续答题")
        page.wait_for_selector("[data-exam-attempt]")
        shoot(page, folder, "exam_attempt")
        context.clear_cookies()
        log_in(page, live_server, "manager", next_url="/drills/new/")
        shoot(page, folder, "drill_entry")
        context.close()
        Attempt.objects.all().delete()
    assert len(list(out.glob("*/*.png"))) == 2 * 8
