"""Progress that can be trusted: heartbeats credit real time only, completion credits once."""

import datetime
import json
from decimal import Decimal

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.cached_db import SessionStore
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from directory.constants import AccountRole
from tests.factories import UserFactory
from tests.factories.content import (
    CourseIndexPageFactory,
    CoursePageFactory,
    LessonPageFactory,
    VideoFactory,
    home_site_make,
)
from tests.factories.learning import LessonProgressFactory
from training.learning.services import beats
from training.learning.services.study import lesson_heartbeat, presence_answer
from training.learning.services.study_sql import lesson_heartbeat_quick
from training.models import HourSource, LessonProgress, StudyClock, StudyHourEntry

pytestmark = pytest.mark.django_db
T0 = datetime.datetime(2025, 3, 3, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def course(db):
    home = home_site_make()
    return CoursePageFactory(parent=CourseIndexPageFactory(parent=home), title="年度再培训")


@pytest.fixture
def lesson(course):
    # A 40-minute video: 0.88 学时 of 45 minutes, so it credits at most 0.8.
    return LessonPageFactory(
        parent=course, video=VideoFactory(duration=40 * 60), study_hours=Decimal("0.8")
    )


def orm_beat(person, lesson, at, *, watched, position=0.0, seq, session="s1"):
    return lesson_heartbeat(
        person=person,
        lesson=lesson,
        position=position,
        watched=watched,
        session=session,
        seq=seq,
        now=T0 + datetime.timedelta(seconds=at),
    )


def one_statement_beat(person, lesson, at, *, watched, position=0.0, seq, session="s1"):
    """What the endpoint does: the one-statement path, and the general one when it declines."""
    if person.account_id is None:
        person.account = UserFactory()
        person.save(update_fields=["account"])
    result = lesson_heartbeat_quick(
        account_id=person.account_id,
        password=person.account.password,
        lesson_id=lesson.pk,
        position=position,
        watched=watched,
        session=session,
        seq=seq,
        now=T0 + datetime.timedelta(seconds=at),
    )
    if result is not None:
        QUICK_HITS.append(seq)
        return result
    return orm_beat(
        person, lesson, at, watched=watched, position=position, seq=seq, session=session
    )


QUICK_HITS: list[int] = []


def redis_beat(person, lesson, at, *, watched, position=0.0, seq, session="s1"):
    """What the endpoint does with sessions on Redis: the report credited in Redis, or the ORM
    path when it declines (which lets the login's next reports go to Redis). The rows are
    written back after each report, as a page showing the progress does."""
    if person.account_id is None:
        person.account = UserFactory()
        person.save(update_fields=["account"])
    login = SessionStore()
    login[SESSION_KEY] = str(person.account_id)
    login[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    login[HASH_SESSION_KEY] = person.account.get_session_auth_hash()
    if person.account_id not in LOGINS:
        login.create()
        LOGINS[person.account_id] = login.session_key
    session_key = LOGINS[person.account_id]
    now = T0 + datetime.timedelta(seconds=at)
    report = {
        "lesson_id": lesson.pk,
        "position": position,
        "watched": watched,
        "session": session,
        "seq": seq,
    }
    result = beats.beat(session_key=session_key, report=report, now=now)
    if result is not None:
        REDIS_HITS.append(seq)
    else:
        result = orm_beat(
            person, lesson, at, watched=watched, position=position, seq=seq, session=session
        )
        beats.login_remember(
            session_key=session_key, user=person.account, person=person, expiry_seconds=3600
        )
    beats.person_sync(person)
    return result


REDIS_HITS: list[int] = []
LOGINS: dict[int, str] = {}


@pytest.fixture(params=["orm", "one statement", "redis"])
def beat(request):
    """Every rule below holds for the three paths; the one-statement path is PostgreSQL's, the
    Redis path is taken when sessions are on Redis."""
    if request.param == "orm":
        yield orm_beat
        return
    if request.param == "redis":
        request.getfixturevalue("redis_sessions")
        REDIS_HITS.clear()
        LOGINS.clear()
        yield redis_beat
        assert REDIS_HITS, "the Redis path was never taken"
        return
    if connection.vendor != "postgresql":
        pytest.skip("the one-statement heartbeat runs on PostgreSQL only")
    QUICK_HITS.clear()
    yield one_statement_beat
    assert QUICK_HITS, "the one-statement path was never taken"


def test_credit_never_exceeds_real_time(town, lesson, beat):
    person = town["person_a"]
    assert beat(person, lesson, 0, watched=0, seq=1).credited_now == 0
    # The client claims 40 minutes after 2 minutes: it gets at most the cap.
    result = beat(person, lesson, 120, watched=2400, seq=2)
    assert result.credited_now == 40  # LEARNING_MAX_CREDIT_SECONDS
    assert not result.completed
    # Steady play, 15 s at a time: credited what elapsed.
    result = beat(person, lesson, 135, watched=15, seq=3)
    assert result.credited_now == 15
    assert LessonProgress.objects.get().credited_seconds == 55


def test_two_tabs_share_one_clock(town, course, lesson, beat):
    other = LessonPageFactory(
        parent=course, video=VideoFactory(duration=600), study_hours=Decimal("0.2")
    )
    person = town["person_a"]
    beat(person, lesson, 0, watched=0, seq=1, session="tab1")
    total = 0.0
    for i in range(1, 11):
        total += beat(person, lesson, 15 * i, watched=15, seq=i + 1, session="tab1").credited_now
        total += beat(person, other, 15 * i + 1, watched=15, seq=i, session="tab2").credited_now
    # 151 seconds passed: two tabs together cannot have more than that.
    assert total <= 151
    assert sum(LessonProgress.objects.values_list("credited_seconds", flat=True)) <= 151


def test_a_repeated_report_is_applied_once(town, lesson, beat):
    person = town["person_a"]
    beat(person, lesson, 0, watched=0, seq=1)
    first = beat(person, lesson, 15, watched=15, seq=2)
    again = beat(person, lesson, 16, watched=15, seq=2)
    assert first.credited_now == 15 and again.credited_now == 0
    assert LessonProgress.objects.get().credited_seconds == 15


def test_a_dropped_report_is_made_up_by_the_next(town, lesson, beat):
    person = town["person_a"]
    beat(person, lesson, 0, watched=0, seq=1)
    # The report at 15 s never arrived; the one at 30 s carries both intervals.
    result = beat(person, lesson, 30, watched=30, seq=3)
    assert result.credited_now == 30


def test_a_lost_response_does_not_count_twice(town, lesson, beat):
    person = town["person_a"]
    beat(person, lesson, 0, watched=0, seq=1)
    beat(person, lesson, 15, watched=15, seq=2)  # accepted, but the client never heard
    result = beat(person, lesson, 30, watched=30, seq=3)  # the client resends 15 + 15
    assert result.credited_now == 15
    assert LessonProgress.objects.get().credited_seconds == 30


def test_resume_position_is_remembered_and_bounded(town, lesson, beat):
    person = town["person_a"]
    beat(person, lesson, 0, watched=0, position=300, seq=1)
    assert LessonProgress.objects.get().position_seconds == 300
    beat(person, lesson, 10, watched=0, position=99999, seq=2)
    assert LessonProgress.objects.get().position_seconds == 2400


def test_completion_at_the_configured_share_writes_the_ledger_once(settings, town, lesson, beat):
    settings.LEARNING_COMPLETION_SHARE = 0.5
    person = town["person_a"]
    at, seq, result = 0, 1, beat(town["person_a"], lesson, 0, watched=0, seq=1)
    while not result.completed:
        at, seq = at + 15, seq + 1
        result = beat(person, lesson, at, watched=15, seq=seq)
    # Half of 40 minutes, and not a second less.
    assert at == 1200
    entries = StudyHourEntry.objects.filter(person=person)
    assert entries.count() == 1
    entry = entries.get()
    assert entry.source == HourSource.ONLINE_LESSON and entry.hours == Decimal("0.8")
    assert entry.course_id == lesson.get_parent().pk
    # Watching on credits nothing more.
    assert beat(person, lesson, at + 15, watched=15, seq=seq + 1).credited_now == 0
    assert entries.count() == 1


def test_presence_check_pauses_crediting_until_answered(settings, town, course, lesson, beat):
    course.presence_check = True
    course.save()
    settings.LEARNING_PRESENCE_MIN_SECONDS = settings.LEARNING_PRESENCE_MAX_SECONDS = 30
    person = town["person_a"]
    beat(person, lesson, 0, watched=0, seq=1)
    beat(person, lesson, 15, watched=15, seq=2)
    result = beat(person, lesson, 30, watched=15, seq=3)
    assert result.presence_prompt
    assert beat(person, lesson, 45, watched=15, seq=4).credited_now == 0
    clock = StudyClock.objects.get(person=person)
    with pytest.raises(Exception, match="答案"):
        presence_answer(person=person, answer="-1", now=T0 + datetime.timedelta(seconds=50))
    presence_answer(
        person=person, answer=clock.check_answer, now=T0 + datetime.timedelta(seconds=300)
    )
    # Time spent away before answering is not credited; from the answer on it is.
    result = beat(person, lesson, 315, watched=15, seq=5)
    assert result.credited_now == 15 and not result.presence_prompt
    assert LessonProgress.objects.get().credited_seconds == 45


def test_no_presence_check_unless_asked(town, lesson, beat):
    person = town["person_a"]
    beat(person, lesson, 0, watched=0, seq=1)
    for i in range(1, 200):
        assert not beat(person, lesson, 15 * i, watched=15, seq=i + 1).presence_prompt


# --- the endpoint ----------------------------------------------------------------------------


def post(client, data, **extra):
    return client.post(
        reverse("learning:heartbeat"), json.dumps(data), content_type="application/json", **extra
    )


def test_endpoint_needs_login_csrf_and_a_registry_person(client, accounts, lesson):
    report = {"lesson": lesson.pk, "position": 0, "watched": 0, "session": "x", "seq": 1}
    assert post(client, report).status_code == 403
    client.force_login(accounts[AccountRole.EDITOR])
    response = post(client, report)
    assert response.status_code == 403 and "人员" in response.json()["error"]

    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(accounts[AccountRole.LEARNER])
    assert post(strict, report).status_code == 403
    page = strict.get(lesson.url)
    token = page.cookies["csrftoken"].value
    assert post(strict, report, HTTP_X_CSRFTOKEN=token).status_code == 200


def test_endpoint_rejects_malformed_reports(client, accounts, lesson):
    client.force_login(accounts[AccountRole.LEARNER])
    assert post(client, {"lesson": "x"}).status_code == 400
    assert post(client, {"lesson": lesson.pk, "watched": "nan"}).status_code == 400
    assert client.get(reverse("learning:heartbeat")).status_code == 405
    assert post(client, {"lesson": 999999}).status_code == 404


def test_endpoint_credits_elapsed_time(client, accounts, lesson, town):
    client.force_login(accounts[AccountRole.LEARNER])
    report = {"lesson": lesson.pk, "position": 5, "watched": 0, "session": "x", "seq": 1}
    assert post(client, report).json()["credited_now"] == 0
    StudyClock.objects.update(last_beat_at=timezone.now() - datetime.timedelta(seconds=15))
    data = post(client, {**report, "watched": 15, "seq": 2, "position": 20}).json()
    assert 14 <= data["credited_now"] <= 16
    assert data["position_seconds"] == 20 and data["required_seconds"] == 2400


def test_lesson_page_wires_the_player_for_a_learner_only(client, accounts, lesson, town):
    html = client.get(lesson.url).content.decode()
    assert "data-lesson-player" not in html and "登录" in html
    client.force_login(accounts[AccountRole.LEARNER])
    LessonProgressFactory(person=town["person_a"], lesson=lesson, position_seconds=321)
    html = client.get(lesson.url).content.decode()
    assert "data-lesson-player" in html and 'data-position="321.0"' in html
    assert "training/learning/lesson_player.js" in html


def test_an_everyday_report_costs_one_statement_on_postgresql(
    client, accounts, lesson, town, django_assert_max_num_queries
):
    if connection.vendor != "postgresql":
        pytest.skip("the one-statement heartbeat runs on PostgreSQL only")
    client.force_login(accounts[AccountRole.LEARNER])
    report = {"lesson": lesson.pk, "position": 5, "watched": 0, "session": "x", "seq": 1}
    post(client, report)  # the first report makes the clock and progress rows
    StudyClock.objects.update(last_beat_at=timezone.now() - datetime.timedelta(seconds=15))
    # The heartbeat alone: the session comes from the cache, the account is checked in the
    # statement (this process verified the login at the first report).
    with django_assert_max_num_queries(1):
        data = post(client, {**report, "watched": 15, "seq": 2, "position": 20}).json()
    assert 14 <= data["credited_now"] <= 16 and data["position_seconds"] == 20
    assert LessonProgress.objects.get().last_seq == 2


def test_an_unpublished_lesson_stops_crediting(client, accounts, lesson, town):
    client.force_login(accounts[AccountRole.LEARNER])
    report = {"lesson": lesson.pk, "position": 5, "watched": 0, "session": "x", "seq": 1}
    post(client, report)
    lesson.unpublish()
    StudyClock.objects.update(last_beat_at=timezone.now() - datetime.timedelta(seconds=15))
    assert post(client, {**report, "watched": 15, "seq": 2}).status_code == 404
    progress = LessonProgress.objects.get()
    assert progress.credited_seconds == 0 and progress.last_seq == 1


def test_a_closed_course_refuses_an_unassigned_learner_at_the_endpoint(
    client, accounts, course, lesson
):
    course.open_enrolment = False
    course.save()
    client.force_login(accounts[AccountRole.LEARNER])
    report = {"lesson": lesson.pk, "position": 5, "watched": 0, "session": "x", "seq": 1}
    response = post(client, report)
    assert response.status_code == 403 and "指派" in response.json()["error"]
    assert not LessonProgress.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_tabs_reporting_at_once_never_credit_more_than_real_time():
    """Two tabs' reports race: one through the one-statement path, one through the ORM path."""
    if connection.vendor != "postgresql":
        # Threads on the in-memory SQLite test database get "table is locked" instead of waiting.
        pytest.skip("needs PostgreSQL")
    import threading

    from django.db import transaction

    from tests.factories import PersonFactory

    course = CoursePageFactory(parent=CourseIndexPageFactory(parent=home_site_make()))
    first = LessonPageFactory(parent=course, video=VideoFactory(duration=3600))
    second = LessonPageFactory(parent=course, video=VideoFactory(duration=3600))
    person = PersonFactory(account=UserFactory())
    orm_beat(person, first, 0, watched=0, seq=1, session="tab1")
    orm_beat(person, second, 0, watched=0, seq=1, session="tab2")
    credited, errors = [], []

    def tab(lesson, session, offset, quick):
        try:
            for i in range(1, 41):
                at, seq = 15 * i + offset, i + 1
                if quick:
                    result = one_statement_beat(
                        person, lesson, at, watched=15, seq=seq, session=session
                    )
                else:
                    with transaction.atomic():
                        result = orm_beat(person, lesson, at, watched=15, seq=seq, session=session)
                credited.append(result.credited_now)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=tab, args=(first, "tab1", 0, True)),
        threading.Thread(target=tab, args=(second, "tab2", 1, False)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    # 601 seconds passed between the first report and the last: no more may be credited.
    total = sum(LessonProgress.objects.values_list("credited_seconds", flat=True))
    assert 0 < total <= 601
    assert abs(total - sum(credited)) < 1e-6


@pytest.mark.parametrize("how", ["logged out", "deactivated", "password changed elsewhere"])
def test_an_account_that_lost_its_login_stops_crediting_at_once(
    client, accounts, lesson, town, how
):
    """On PostgreSQL the second report takes the one-statement path with the login remembered by
    the process: the statement itself must refuse it."""
    learner = accounts[AccountRole.LEARNER]
    client.force_login(learner)
    report = {"lesson": lesson.pk, "position": 5, "watched": 0, "session": "x", "seq": 1}
    post(client, report)
    StudyClock.objects.update(last_beat_at=timezone.now() - datetime.timedelta(seconds=15))
    assert post(client, {**report, "watched": 15, "seq": 2}).json()["credited_now"] > 0
    credited = LessonProgress.objects.get().credited_seconds
    StudyClock.objects.update(last_beat_at=timezone.now() - datetime.timedelta(seconds=15))
    if how == "logged out":
        client.post(reverse("logout"))
    elif how == "deactivated":
        learner.is_active = False
        learner.save(update_fields=["is_active"])
    else:
        learner.set_password("another-Passw0rd-entirely")
        learner.save(update_fields=["password"])
    response = post(client, {**report, "watched": 15, "seq": 3})
    assert response.status_code == 403 and "登录" in response.json()["error"]
    assert LessonProgress.objects.get().credited_seconds == credited
