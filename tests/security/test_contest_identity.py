"""The public contest's identities, tried as an attacker would: a phone number typed in another
browser starts a separate participant (no takeover, no rename, no peek at results); joins are
limited per address and per phone; rankings mask names and count one participant per phone; a
logged-in person joins with the registry's data; practice on the contest's bank reveals no
answers while the contest is open."""

import datetime
import json
import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from directory.constants import AccountRole
from tests.factories.exams import (
    DrawnPaperFactory,
    ExamFactory,
    PaperFactory,
    QuestionBankFactory,
    right_answers_shown,
)
from training.exams.selectors.contest import contest_rankings
from training.exams.views.contest_cookie import COOKIE_NAME
from training.models import Attempt, ContestParticipant, Question

VICTIM_PHONE = "13812340001"
SECRET = "竞赛解析不得提前泄露"


@pytest.fixture
def contest(db):
    cache.clear()  # join counters and published rankings live in the shared cache
    bank = QuestionBankFactory(name="竞赛题库", single=20, true_false=10)
    Question.objects.update(explanation=SECRET)
    paper = DrawnPaperFactory(bank=bank, rules=[("single", 6, "10"), ("true_false", 4, "10")])
    closes = timezone.now() + datetime.timedelta(days=30)
    return ExamFactory(
        paper=paper, title="2026年安全生产月知识竞赛", kind="contest", closes_at=closes
    )


def _url(contest) -> str:
    return reverse("exams:contest", args=[contest.pk])


def _join(client, contest, *, name, phone, unit, ip="10.0.0.1", **extra):
    return client.post(
        _url(contest), {"name": name, "phone": phone, **unit, **extra}, REMOTE_ADDR=ip
    )


def _answer(client, attempt, position, choice):
    return client.post(
        reverse("exams:answer", args=[attempt.pk]),
        json.dumps({"position": position, "choice": choice}),
        content_type="application/json",
    )


def _finish(client, attempt, right: int) -> None:
    for position, choice in enumerate(right_answers_shown(attempt)[:right]):
        assert _answer(client, attempt, position, choice).status_code == 200
    assert client.post(reverse("exams:submit", args=[attempt.pk])).status_code == 302


def test_same_phone_in_another_browser_is_another_participant(contest, town):
    victim = Client()
    joined = _join(
        victim, contest, name="赵六", phone=VICTIM_PHONE, unit={"village": town["village_a"].pk}
    )
    assert joined.status_code == 302
    cookie = joined.cookies[COOKIE_NAME]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    first = Attempt.objects.get()
    _finish(victim, first, right=7)

    attacker = Client()
    taken = _join(
        attacker,
        contest,
        name="冒名者",
        phone=VICTIM_PHONE,
        unit={"village": town["village_b"].pk},
        ip="10.0.0.2",
    )
    assert taken.status_code == 302
    own = Attempt.objects.exclude(pk=first.pk).get()
    assert taken["Location"] == reverse("exams:attempt", args=[own.pk])
    assert ContestParticipant.objects.count() == 2
    # Nothing of the first participant changed: not renamed, not moved to another village.
    victim_row = first.participant
    victim_row.refresh_from_db()
    assert (victim_row.name, victim_row.village_id) == ("赵六", town["village_a"].pk)

    # The first participant's attempt and result are out of the attacker's reach.
    for name in ("exams:attempt", "exams:result"):
        assert attacker.get(reverse(name, args=[first.pk])).status_code == 404
    assert _answer(attacker, first, 0, "A").status_code == 404
    assert attacker.post(reverse("exams:submit", args=[first.pk])).status_code == 404
    page = attacker.get(_url(contest)).content.decode()
    assert "赵六" not in page and reverse("exams:result", args=[first.pk]) not in page
    assert "冒名者" in page  # the attacker sees only their own participant

    # "Continue" without the first browser's cookie continues nobody else.
    stranger = Client()
    stranger.post(_url(contest), {"continue": "1"}, REMOTE_ADDR="10.0.0.3")
    assert not Attempt.objects.filter(participant=victim_row, status="started").exists()

    # Only the cookie's holder continues the first participant.
    page = victim.get(_url(contest)).content.decode()
    assert "赵六" in page and reverse("exams:result", args=[first.pk]) in page
    again = victim.post(_url(contest), {"continue": "1"})
    assert again.status_code == 302
    assert Attempt.objects.get(participant=victim_row, number=2).status == "started"


def test_forged_or_copied_ids_reach_nothing(contest, town):
    victim = Client()
    _join(victim, contest, name="赵六", phone=VICTIM_PHONE, unit={"village": town["village_a"].pk})
    attempt = Attempt.objects.get()
    forger = Client()
    forger.cookies[COOKIE_NAME] = str(attempt.participant_id)  # unsigned
    assert forger.get(reverse("exams:attempt", args=[attempt.pk])).status_code == 404
    signed = victim.cookies[COOKIE_NAME].value
    forger.cookies[COOKIE_NAME] = signed.replace(str(attempt.participant_id), "999", 1)
    assert forger.get(reverse("exams:attempt", args=[attempt.pk])).status_code == 404
    assert victim.get(reverse("exams:attempt", args=[attempt.pk])).status_code == 200


def test_cookie_is_secure_in_production(contest, town, settings):
    settings.SESSION_COOKIE_SECURE = True
    response = _join(
        Client(), contest, name="赵六", phone=VICTIM_PHONE, unit={"village": town["village_a"].pk}
    )
    assert response.cookies[COOKIE_NAME]["secure"]


def test_joins_limited_per_address(contest, town, settings):
    settings.CONTEST_JOINS_PER_ADDRESS = 3
    unit = {"village": town["village_a"].pk}
    statuses = [
        _join(Client(), contest, name=f"村民{n}", phone=f"1390000000{n}", unit=unit).status_code
        for n in range(3)
    ]
    assert statuses == [302, 302, 302]
    refused = _join(Client(), contest, name="村民9", phone="13900000009", unit=unit)
    assert refused.status_code == 429
    page = refused.content.decode()
    assert "每小时最多 3 人" in page and "data-contest-error" in page and 'value="村民9"' in page
    assert COOKIE_NAME not in refused.cookies
    assert ContestParticipant.objects.count() == 3 and Attempt.objects.count() == 3
    # Another address has its own count.
    other = _join(Client(), contest, name="村民9", phone="13900000009", unit=unit, ip="10.0.0.8")
    assert other.status_code == 302


def test_joins_limited_per_phone(contest, town, settings):
    settings.CONTEST_JOINS_PER_PHONE = 2
    unit = {"enterprise": town["ent_a"].credit_code}
    statuses = [
        _join(Client(), contest, name="钱七", phone=VICTIM_PHONE, unit=unit, ip=ip).status_code
        for ip in ("10.0.1.1", "10.0.1.2", "10.0.1.3")
    ]
    assert statuses == [302, 302, 429]
    refused = _join(Client(), contest, name="钱七", phone=VICTIM_PHONE, unit=unit, ip="10.0.1.4")
    message = re.search(r"data-contest-error>([^<]*)<", refused.content.decode()).group(1)
    assert "138****0001" in message and "今天已报名 2 次" in message
    assert ContestParticipant.objects.count() == 2


def test_rankings_mask_names_and_count_one_participant_per_phone(contest, town, settings):
    settings.CONTEST_JOINS_PER_PHONE = 10  # the ranking rule, not the limit, is under test
    real = Client()
    _join(real, contest, name="张三丰", phone=VICTIM_PHONE, unit={"village": town["village_a"].pk})
    _finish(real, Attempt.objects.get(), right=5)
    # Three more joins with the same phone for another village, each with a better score.
    for n in range(3):
        client = Client()
        _join(
            client,
            contest,
            name=f"刷榜{n}号",
            phone=VICTIM_PHONE,
            unit={"village": town["village_b"].pk},
            ip=f"10.0.2.{n}",
        )
        _finish(client, Attempt.objects.latest("pk"), right=10)
    rankings = contest_rankings(exam=contest)
    assert [(row.label, row.participants) for row in rankings["village"]] == [("徐泾村", 1)]
    assert [(row.name, row.score) for row in rankings["people"]] == [("张*丰", 50)]

    page = Client().get(_url(contest)).content.decode()
    assert "张*丰" in page and "张三丰" not in page and "刷榜" not in page
    assert town["village_b"].name not in page.split("data-rankings")[1]


def test_the_registry_person_counts_for_their_phone(client, accounts, contest, town):
    # Somebody types the learner's number first and scores full marks for another village.
    squatter = Client()
    _join(
        squatter,
        contest,
        name="冒名者",
        phone="13812345678",
        unit={"village": town["village_b"].pk},
    )
    _finish(squatter, Attempt.objects.get(), right=10)
    client.force_login(accounts[AccountRole.LEARNER])
    client.post(_url(contest))
    _finish(client, Attempt.objects.get(participant__person=town["person_a"]), right=6)
    rankings = contest_rankings(exam=contest)
    assert [(row.name, row.score) for row in rankings["people"]] == [("张*", 60)]
    assert [row.label for row in rankings["village"]] == ["徐泾村"]


def test_learner_joins_with_registry_data_whatever_is_posted(client, accounts, contest, town):
    client.force_login(accounts[AccountRole.LEARNER])  # 张三, 13812345678, 甲机械有限公司
    page = client.get(_url(contest)).content.decode()
    assert "data-contest-registry" in page and "138****5678" in page
    fields = re.findall(r"<input[^>]*>", page.split("data-contest-registry")[1].split("</form>")[0])
    shown = [field for field in fields if 'type="text"' in field]
    assert len(shown) == 3 and all("disabled" in field for field in shown)
    assert 'value="张三"' in shown[0]
    forged = {"village": town["village_b"].pk, "enterprise": town["ent_b"].pk}
    response = _join(client, contest, name="假名", phone="13900000000", unit=forged)
    assert response.status_code == 302
    participant = ContestParticipant.objects.get()
    assert participant.person == town["person_a"]
    assert (participant.name, participant.phone) == ("张三", "13812345678")
    assert (participant.enterprise, participant.village) == (town["ent_a"], town["village_a"])
    attempt = participant.attempts.get()
    assert client.get(reverse("exams:attempt", args=[attempt.pk])).status_code == 200
    # Joining again continues the same participant; anonymous typing of the phone does not.
    assert (
        _join(client, contest, name="又一个", phone="13900000001", unit=forged).status_code == 302
    )
    assert ContestParticipant.objects.filter(person=town["person_a"]).count() == 1
    stranger = Client()
    _join(
        stranger, contest, name="张三", phone="13812345678", unit={"village": town["village_a"].pk}
    )
    assert stranger.get(reverse("exams:attempt", args=[attempt.pk])).status_code == 404


def test_learner_cannot_start_the_contest_outside_its_page(client, accounts, contest, town):
    client.force_login(accounts[AccountRole.LEARNER])
    response = client.post(reverse("exams:start", args=[contest.pk]))
    assert response.status_code == 302 and response["Location"] == _url(contest)
    assert not Attempt.objects.exists()


def test_staff_without_a_person_join_as_the_public(client, accounts, contest, town):
    client.force_login(accounts[AccountRole.TOWN_OFFICE])
    page = client.get(_url(contest)).content.decode()
    assert "data-contest-join" in page and "data-contest-registry" not in page
    unit = {"department": town["dept_a"].pk}
    response = _join(client, contest, name="镇安委办访客", phone="13900000077", unit=unit)
    assert response.status_code == 302 and COOKIE_NAME in response.cookies
    assert ContestParticipant.objects.get().person is None


@pytest.fixture
def practice(contest):
    """A practice exam on the contest's bank (its explanation as SECRET), review after submit."""
    bank = contest.paper.draw_rules.first().bank
    paper = PaperFactory(bank=bank, score="1")
    return ExamFactory(
        paper=paper,
        title="安全生产月练习",
        kind="course_quiz",
        mode="practice",
        review="after_submit",
    )


def test_practice_on_the_contest_bank_reveals_no_answer_while_it_is_open(
    client, accounts, contest, practice
):
    client.force_login(accounts[AccountRole.LEARNER])
    assert client.post(reverse("exams:start", args=[practice.pk])).status_code == 302
    attempt = Attempt.objects.get(exam=practice)
    page = client.get(reverse("exams:attempt", args=[attempt.pk])).content.decode()
    assert "data-answers-withheld" in page and contest.title in page
    reply = _answer(client, attempt, 0, "A")
    assert reply.status_code == 200 and "feedback" not in reply.json()
    assert SECRET not in reply.content.decode()
    client.post(reverse("exams:submit", args=[attempt.pk]))
    result = client.get(reverse("exams:result", args=[attempt.pk])).content.decode()
    assert SECRET not in result and "data-answers-withheld" in result
    assert "竞赛进行期间不显示正确答案和解析" in result

    # Once the contest has closed, the review is back.
    contest.opens_at = timezone.now() - datetime.timedelta(days=2)
    contest.closes_at = timezone.now() - datetime.timedelta(minutes=1)
    contest.save()
    result = client.get(reverse("exams:result", args=[attempt.pk])).content.decode()
    assert SECRET in result and "data-answers-withheld" not in result


def test_practice_on_another_bank_keeps_its_feedback(client, accounts, contest):
    other = QuestionBankFactory(name="消防题库", single=3)
    Question.objects.filter(bank=other).update(explanation="消防解析")
    exam = ExamFactory(
        paper=PaperFactory(bank=other), kind="course_quiz", mode="practice", review="after_submit"
    )
    client.force_login(accounts[AccountRole.LEARNER])
    client.post(reverse("exams:start", args=[exam.pk]))
    attempt = Attempt.objects.get(exam=exam)
    reply = _answer(client, attempt, 0, "A").json()
    assert reply["feedback"]["explanation"] == "消防解析"


def test_contest_review_waits_for_its_close(contest, town):
    contest.review = "after_submit"
    contest.save()
    visitor = Client()
    _join(visitor, contest, name="赵六", phone=VICTIM_PHONE, unit={"village": town["village_a"].pk})
    attempt = Attempt.objects.get()
    _finish(visitor, attempt, right=3)
    result = visitor.get(reverse("exams:result", args=[attempt.pk])).content.decode()
    assert SECRET not in result and "竞赛结束" in result
