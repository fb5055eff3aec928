"""The player's everyday report credited in Redis (training.learning.services.beats), through the
endpoint, with sessions on Redis as in production: no database query, the rows written behind,
and a login that is lost stops crediting at once.

The crediting rule itself is checked on this path by test_progress.py (its `beat` fixture)."""

import datetime
import json
from decimal import Decimal

import pytest
from django.urls import reverse
from redis.exceptions import ConnectionError as RedisConnectionError

from config.csp import DATA_POLICY
from directory.constants import AccountRole
from directory.models import User
from directory.models.accounts import account_access_changed
from tests.factories.content import (
    CourseIndexPageFactory,
    CoursePageFactory,
    LessonPageFactory,
    VideoFactory,
    home_site_make,
)
from training.learning.services import beats
from training.models import LessonProgress, StudyClock

pytestmark = pytest.mark.django_db
T0 = datetime.datetime(2026, 12, 8, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def lesson(db):
    course = CoursePageFactory(parent=CourseIndexPageFactory(parent=home_site_make()))
    return LessonPageFactory(
        parent=course, video=VideoFactory(duration=40 * 60), study_hours=Decimal("0.8")
    )


@pytest.fixture
def player(client, accounts, lesson, town, redis_sessions, time_machine):
    """A learner logged in, whose first report (the database path) made the rows and the state;
    `send(at, **report)` posts a report `at` seconds after the first."""
    time_machine.move_to(T0, tick=False)
    client.force_login(accounts[AccountRole.LEARNER])

    def send(at, **fields):
        time_machine.move_to(T0 + datetime.timedelta(seconds=at), tick=False)
        report = {"lesson": lesson.pk, "position": 0, "watched": 0, "session": "tab", **fields}
        return client.post(
            reverse("learning:heartbeat"), json.dumps(report), content_type="application/json"
        )

    assert send(0, seq=1).json()["credited_now"] == 0
    return send


def _rows(town):
    return LessonProgress.objects.get(person=town["person_a"]), StudyClock.objects.get(
        person=town["person_a"]
    )


def test_an_everyday_report_costs_no_database_query_and_is_written_behind(
    player, town, redis_sessions, django_assert_num_queries
):
    with django_assert_num_queries(0):
        response = player(15, seq=2, watched=15, position=20)
    data = response.json()
    assert data["credited_now"] == 15 and data["credited_seconds"] == 15
    assert data["position_seconds"] == 20 and data["required_seconds"] == 2400
    assert response["Content-Security-Policy"] == DATA_POLICY
    with django_assert_num_queries(0):
        assert player(30, seq=3, watched=15, position=35).json()["credited_now"] == 15
    # The rows lag until written back.
    progress, clock = _rows(town)
    assert progress.credited_seconds == 0 and progress.last_seq == 1

    # Written back a minute later, and kept in Redis while the learner watches on.
    assert beats.write_behind(now=T0 + datetime.timedelta(seconds=95)) == {
        "written": 1,
        "removed": 0,
    }
    progress, clock = _rows(town)
    assert (progress.credited_seconds, progress.position_seconds, progress.last_seq) == (30, 35, 3)
    assert clock.last_beat_at == T0 + datetime.timedelta(seconds=30)
    assert player(45, seq=4, watched=15).json()["credited_now"] == 15

    # Idle for five minutes: written and taken out of Redis; the next report takes the
    # database path and credits from the clock written back, once.
    assert beats.write_behind(now=T0 + datetime.timedelta(seconds=400)) == {
        "written": 1,
        "removed": 1,
    }
    assert redis_sessions.keys("*learning-beat:person:*") == []
    assert _rows(town)[0].credited_seconds == 45
    assert player(45, seq=4, watched=15).json()["credited_now"] == 0  # the same report again
    # That report put a state back: the next goes through Redis again.
    with django_assert_num_queries(0):
        assert player(460, seq=5, watched=40).json()["credited_now"] == 40
    beats.person_sync(town["person_a"])
    assert _rows(town)[0].credited_seconds == 85


def test_the_lesson_page_resumes_where_the_player_left_off(client, player, lesson):
    player(15, seq=2, watched=15, position=200)
    html = client.get(lesson.url).content.decode()
    assert 'data-position="200.0"' in html


@pytest.mark.parametrize(
    "how",
    [
        "logged out",
        "deactivated",
        "deactivated in bulk",
        "password changed elsewhere",
        "password changed in bulk",
        "account deleted",
    ],
)
def test_a_login_that_is_lost_stops_crediting_at_once(
    client, accounts, player, town, how, django_assert_num_queries
):
    learner = accounts[AccountRole.LEARNER]
    with django_assert_num_queries(0):
        assert player(15, seq=2, watched=15).json()["credited_now"] == 15
    if how == "logged out":
        client.post(reverse("logout"))
    elif how == "deactivated":
        learner.is_active = False
        learner.save()
    elif how == "deactivated in bulk":
        User.objects.filter(pk=learner.pk).update(is_active=False)
    elif how == "password changed elsewhere":
        learner.set_password("another-Passw0rd-entirely")
        learner.save(update_fields=["password"])
    elif how == "password changed in bulk":
        User.objects.filter(pk=learner.pk).update(password="!")
    else:
        learner.delete()
    response = player(30, seq=3, watched=15)
    assert response.status_code == 403, response.content
    beats.person_sync(town["person_a"])
    assert _rows(town)[0].credited_seconds == 15


def test_an_account_linked_to_another_person_credits_that_person_from_the_next_report(
    accounts, player, town
):
    from tests.factories import PersonFactory

    learner = accounts[AccountRole.LEARNER]
    assert player(15, seq=2, watched=15).json()["credited_now"] == 15
    old = town["person_a"]
    old.account = None
    old.save()
    new = PersonFactory(name="李四", employer=old.employer, account=learner)
    assert player(30, seq=3, watched=15).status_code == 200
    beats.person_sync(old)
    beats.person_sync(new)
    assert LessonProgress.objects.get(person=old).credited_seconds == 15
    assert LessonProgress.objects.filter(person=new).exists()


def test_saving_an_account_or_its_person_without_touching_the_login_keeps_the_redis_path(
    accounts, player, town, django_assert_num_queries
):
    learner = accounts[AccountRole.LEARNER]
    learner.save(update_fields=["last_login"])  # what every login does
    learner.first_name = "三"
    learner.save(update_fields=["first_name"])
    person = town["person_a"]
    person.name = "张三丰"
    person.save()
    with django_assert_num_queries(0):
        assert player(15, seq=2, watched=15).json()["credited_now"] == 15


def test_a_failing_redis_call_leaves_the_report_to_the_database(player, town, monkeypatch):
    def unreachable(client, command):
        raise RedisConnectionError("connection refused")

    monkeypatch.setattr(beats, "_send", unreachable)
    assert player(15, seq=2, watched=15, position=20).json()["credited_now"] == 15
    progress, _clock = _rows(town)
    assert progress.credited_seconds == 15 and progress.position_seconds == 20


def test_bulk_updates_of_a_login_tell_whoever_trusts_it(accounts):
    learner = accounts[AccountRole.LEARNER]
    told = []

    def receiver(sender, ids, **kwargs):
        told.append(sorted(ids))

    account_access_changed.connect(receiver)
    try:
        User.objects.filter(pk=learner.pk).update(first_name="三")
        learner.save(update_fields=["last_login"])
        assert told == []
        User.objects.filter(pk=learner.pk).update(is_active=False)
        learner.save()
        learner.save(update_fields=["password"])
        User.objects.filter(pk=learner.pk).delete()
    finally:
        account_access_changed.disconnect(receiver)
    assert told == [[learner.pk]] * 4


def test_an_unpublished_lesson_stops_crediting_at_once(
    player, lesson, town, django_capture_on_commit_callbacks
):
    assert player(15, seq=2, watched=15).json()["credited_now"] == 15
    with django_capture_on_commit_callbacks(execute=True):
        lesson.unpublish()
    assert player(30, seq=3, watched=15).status_code == 404
    beats.person_sync(town["person_a"])
    assert _rows(town)[0].credited_seconds == 15


def test_a_video_replaced_by_a_shorter_one_counts_from_the_next_report(
    player, lesson, django_capture_on_commit_callbacks, django_assert_num_queries
):
    video = lesson.video
    with django_capture_on_commit_callbacks(execute=True):
        video.duration = 600
        video.save()
    assert player(15, seq=2, watched=15).json()["required_seconds"] == 600
    with django_assert_num_queries(0):  # the state put back holds the new length
        assert player(30, seq=3, watched=15).json()["required_seconds"] == 600


def test_a_report_the_database_path_refuses_loses_nothing_credited_in_redis(player, lesson, town):
    assert player(15, seq=2, watched=15).json()["credited_now"] == 15
    closed = CoursePageFactory(parent=lesson.get_parent().get_parent(), open_enrolment=False)
    other = LessonPageFactory(parent=closed, video=VideoFactory(duration=600))
    response = player(20, seq=1, session="tab2", lesson=other.pk)
    assert response.status_code == 403 and "指派" in response.json()["error"]
    assert _rows(town)[0].credited_seconds == 15
