"""A session's time as learners and officers read it: one date for a session within a day, both
dates for one that runs past midnight (glossary: a span across midnight shows both dates)."""

import datetime
import zoneinfo

from django.urls import reverse

from directory.constants import AccountRole
from tests.factories.sessions import TrainingSessionFactory
from training.sessions.models.sessions import time_span

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def _at(day: int, hour: int) -> datetime.datetime:
    return datetime.datetime(2026, 12, day, hour, tzinfo=SHANGHAI)


def test_a_span_within_a_day_names_the_date_once():
    assert time_span(_at(5, 9), _at(5, 11)) == "2026年12月5日 09:00 – 11:00"


def test_a_span_across_midnight_names_both_dates():
    assert time_span(_at(5, 22), _at(6, 0)) == "2026年12月5日 22:00 – 2026年12月6日 00:00"
    # Stored in UTC, shown in local time: 22:00 CST is 14:00 UTC the same day.
    utc = datetime.UTC
    assert time_span(_at(5, 22).astimezone(utc), _at(6, 1).astimezone(utc)).endswith(
        "2026年12月6日 01:00"
    )


def test_my_sessions_page_shows_both_dates(client, town, accounts):
    session = TrainingSessionFactory(
        title="夜班消防培训",
        starts_at=_at(5, 22).astimezone(datetime.UTC),
        ends_at=_at(6, 0).astimezone(datetime.UTC),
        invitees=[town["person_a"]],
    )
    client.force_login(accounts[AccountRole.LEARNER])
    html = client.get(reverse("sessions:mine")).content.decode()
    assert "2026年12月5日 22:00 – 2026年12月6日 00:00" in html
    assert "22:00 – 00:00" not in html
    assert session.span in html
