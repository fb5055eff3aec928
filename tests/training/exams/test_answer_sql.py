"""The one-statement answer (`attempt_answer_quick`, PostgreSQL) stores exactly what
`attempt_answer_save` stores, for the visitors `_attempts_of` lets in and no one else, leaves
every other case to it without writing anything, and loses no answer when saves race."""

import datetime
import itertools
import json
import random
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import PersonFactory, UserFactory
from tests.factories.exams import DrawnPaperFactory, ExamFactory, QuestionBankFactory
from training.exams.services.answer_sql import attempt_answer_quick
from training.exams.services.attempts import attempt_answer_save, attempt_start
from training.exams.services.contest import contest_attempt_start, contest_join
from training.models import Attempt, AttemptStatus

pytestmark = pytest.mark.django_db
BANKS = itertools.count(1)


@pytest.fixture
def postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("the one-statement answer runs on PostgreSQL (SQLite takes the ORM path)")


def exam_make(**kwargs):
    bank = QuestionBankFactory(name=f"题库{next(BANKS)}", single=8, multiple=6, true_false=4)
    rules = [("single", 6, "5"), ("multiple", 4, "10"), ("true_false", 2, "5")]
    return ExamFactory(paper=DrawnPaperFactory(bank=bank, rules=rules), **kwargs)


def learner():
    return PersonFactory(account=UserFactory())


def quick(attempt, person=None, held=(), **answer):
    return attempt_answer_quick(
        attempt_id=attempt.pk,
        account_id=person.account_id if person else None,
        participant_ids=list(held),
        **{"marked": None, **answer},
    )


def row(attempt):
    fresh = Attempt.all_objects.get(pk=attempt.pk)
    return fresh.answers, fresh.marks, fresh.status


def test_sqlite_leaves_every_answer_to_the_orm_path(db):
    if connection.vendor == "postgresql":
        pytest.skip("SQLite's answer")
    person = learner()
    attempt = attempt_start(exam=exam_make(), person=person)
    assert quick(attempt, person, position=0, choice="A") is None
    assert row(attempt)[0] == {}


def test_stores_what_the_orm_path_stores_whatever_is_posted(postgresql):
    """Two attempts with the same drawn paper: one saved through the statement (and the ORM path
    when it declines), the other through the ORM path only; after each save both hold the same."""
    exam = exam_make()
    first, second = learner(), learner()
    fast = attempt_start(exam=exam, person=first)
    twin = attempt_start(exam=exam, person=second)
    Attempt.objects.filter(pk=twin.pk).update(items=fast.items)
    rng = random.Random(7)
    letters = ["", "A", "B", "C", "D", "E", "F", "G", "a", "ac", "CA", "AAB", "DCBA", "对", "A B"]
    taken = 0
    for _ in range(300):
        answer = {
            "position": rng.choice([-1, *range(len(fast.items)), len(fast.items), 40]),
            "choice": rng.choice(letters),
            "marked": rng.choice([None, True, False]),
        }
        outcomes = []
        for attempt, person, one_statement in ((fast, first, True), (twin, second, False)):
            deadline = quick(attempt, person, **answer) if one_statement else None
            if deadline is not None:
                taken += 1
                assert deadline == attempt.deadline
                outcomes.append("saved")
                continue
            try:
                attempt_answer_save(attempt_id=attempt.pk, **answer)
                outcomes.append("saved")
            except ValidationError:
                outcomes.append("refused")
        assert outcomes[0] == outcomes[1], answer
        assert row(fast) == row(twin), answer
    assert taken > 150  # the everyday answers took the one statement
    assert row(fast)[0] and row(fast)[1]  # answers and marks were left at the end


def test_declines_and_writes_nothing_where_the_orm_path_decides(postgresql, town):
    person, stranger = learner(), learner()
    exam = exam_make()
    attempt = attempt_start(exam=exam, person=person)
    before = row(attempt)
    assert quick(attempt, stranger, position=0, choice="A") is None  # another's attempt
    assert quick(attempt, None, position=0, choice="A") is None  # nobody logged in
    assert (
        quick(attempt, None, held=[attempt.pk], position=0, choice="A") is None
    )  # not a participant
    assert quick(attempt, person, position=len(attempt.items), choice="A") is None
    assert quick(attempt, person, position=0, choice="AG") is None
    for unsendable in ("A\x00", "\ud800"):
        assert quick(attempt, person, position=0, choice=unsendable) is None
    true_false = next(i for i, item in enumerate(attempt.items) if len(item["o"]) == 2)
    assert quick(attempt, person, position=true_false, choice="C") is None
    assert row(attempt) == before

    # Past its deadline: declined unwritten; the ORM path then grades it and refuses the answer.
    late = attempt.deadline + datetime.timedelta(seconds=1)
    assert quick(attempt, person, position=0, choice="A", now=late) is None
    assert row(attempt) == before
    with pytest.raises(PermissionDenied):
        attempt_answer_save(attempt_id=attempt.pk, position=0, choice="A", now=late)
    assert row(attempt)[2] == AttemptStatus.AUTO_SUBMITTED
    assert quick(attempt, person, position=0, choice="A") is None  # closed

    # Archived: as if it did not exist.
    other = attempt_start(exam=exam_make(), person=person)
    Attempt.objects.filter(pk=other.pk).update(
        archived_at=timezone.now(), archive_reason="录入错误"
    )
    assert quick(other, person, position=0, choice="A") is None
    assert row(other)[0] == {}

    # Practice mode replies with feedback: the ORM path's.
    practice = attempt_start(exam=exam_make(mode="practice"), person=person)
    assert quick(practice, person, position=0, choice="A") is None
    assert row(practice)[0] == {}


def test_contest_participants_by_cookie_and_as_themselves(postgresql, town):
    contest = exam_make(kind="contest", daily_quota=3)
    visitor = contest_join(exam=contest, name="赵六", phone="13812345678", enterprise=town["ent_a"])
    by_cookie = contest_attempt_start(participant=visitor)
    assert quick(by_cookie, held=[visitor.pk + 1000], position=0, choice="A") is None
    assert quick(by_cookie, held=[visitor.pk + 1000, visitor.pk], position=0, choice="A")

    person = learner()
    joined = contest_join(exam=contest, name="钱七", phone="13900001111", enterprise=town["ent_a"])
    joined.person = person
    joined.save(update_fields=["person"])
    as_themself = contest_attempt_start(participant=joined)
    assert quick(as_themself, learner(), position=0, choice="B") is None
    assert quick(as_themself, person, position=0, choice="B")
    assert row(as_themself)[0] == {"0": "ABCD"[as_themself.items[0]["o"][1]]}


def test_a_contest_answer_over_http_is_one_query(postgresql, town):
    contest = exam_make(kind="contest", daily_quota=1)
    visitor = Client()
    joined = visitor.post(
        reverse("exams:contest", args=[contest.pk]),
        {"name": "赵六", "phone": "13812345678", "village": town["village_a"].pk},
    )
    assert joined.status_code == 302
    attempt = Attempt.objects.get()
    with CaptureQueriesContext(connection) as queries:
        response = visitor.post(
            reverse("exams:answer", args=[attempt.pk]),
            {"position": 1, "choice": "b", "marked": True},
            content_type="application/json",
        )
    assert response.status_code == 200, response.content
    reply = response.json()
    assert reply["saved"] and reply["position"] == 1
    assert 0 < reply["remaining"] <= contest.duration_minutes * 60
    assert len(queries) == 1, [q["sql"][:80] for q in queries]
    assert row(attempt)[:2] == ({"1": "ABCD"[attempt.items[1]["o"][1]]}, [1])
    # Letters that are not options are refused by the ORM path, as before.
    for unsendable in ("A\x00", "\ud800"):
        body = json.dumps({"position": 0, "choice": unsendable})
        refused = visitor.post(
            reverse("exams:answer", args=[attempt.pk]), body, content_type="application/json"
        )
        assert refused.status_code == 400, refused.content
    # Another browser's post reaches the ORM path, which finds no such attempt.
    assert (
        Client()
        .post(
            reverse("exams:answer", args=[attempt.pk]),
            {"position": 0, "choice": "A"},
            content_type="application/json",
        )
        .status_code
        == 404
    )


@pytest.mark.django_db(transaction=True)
def test_racing_saves_to_one_attempt_lose_no_answer(postgresql):
    """Two tabs save different questions of one attempt at once, one through the statement and
    one through the ORM path: every answer and mark stays."""
    person = learner()
    attempt = attempt_start(exam=exam_make(), person=person)
    positions = list(range(len(attempt.items)))
    errors = []

    def tab(mine, one_statement):
        try:
            for _ in range(15):
                for position in mine:
                    answer = {"position": position, "choice": "A", "marked": True}
                    if not (one_statement and quick(attempt, person, **answer)):
                        attempt_answer_save(attempt_id=attempt.pk, **answer)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=tab, args=(positions[0::2], True)),
        threading.Thread(target=tab, args=(positions[1::2], False)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    answers, marks, _status = row(attempt)
    assert sorted(int(key) for key in answers) == positions
    assert marks == positions
