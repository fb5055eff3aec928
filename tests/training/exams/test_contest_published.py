"""The contest under its 9:00 spike and on the campaign page: an answer locks only its attempt
and is checked against the visitor in the same query; the published rankings are computed once
until a result comes in; the safety-month campaign page shows the contest's entry and rankings."""

import datetime

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import EnterpriseFactory
from tests.factories.content import (
    CampaignIndexPageFactory,
    CampaignPageFactory,
    home_site_make,
)
from tests.factories.exams import (
    DrawnPaperFactory,
    ExamFactory,
    QuestionBankFactory,
    right_answers_shown,
)
from training.exams.services.attempts import attempt_answer_save
from training.exams.services.contest import contest_attempt_start, contest_join
from training.exams.services.grading import attempt_submit
from training.exams.views import front
from training.models import Attempt


@pytest.fixture
def contest(db):
    cache.clear()
    bank = QuestionBankFactory(single=20, true_false=10)
    paper = DrawnPaperFactory(bank=bank, rules=[("single", 6, "10"), ("true_false", 4, "10")])
    closes = timezone.now() + datetime.timedelta(days=30)
    return ExamFactory(
        paper=paper, title="2026年安全生产月知识竞赛", kind="contest", closes_at=closes
    )


def _joined(client: Client, contest, *, name, phone, unit) -> Attempt:
    response = client.post(
        reverse("exams:contest", args=[contest.pk]), {"name": name, "phone": phone, **unit}
    )
    assert response.status_code == 302
    return Attempt.objects.get(participant__phone=phone)


def _result(contest, *, name, phone, right, **unit) -> None:
    participant = contest_join(exam=contest, name=name, phone=phone, **unit)
    attempt = contest_attempt_start(participant=participant)
    for position, choice in enumerate(right_answers_shown(attempt)[:right]):
        attempt_answer_save(attempt_id=attempt.pk, position=position, choice=choice)
    attempt_submit(attempt_id=attempt.pk)


def test_answer_from_another_visitor_is_refused_and_not_saved(contest, town):
    attempt = _joined(
        Client(), contest, name="赵六", phone="13812345678", unit={"village": town["village_a"].pk}
    )
    stranger = Client()
    response = stranger.post(
        reverse("exams:answer", args=[attempt.pk]),
        {"position": 0, "choice": "A"},
        content_type="application/json",
    )
    assert response.status_code == 404
    attempt.refresh_from_db()
    assert attempt.answers == {}


def test_answer_reads_and_locks_only_the_attempt(contest, town, monkeypatch):
    # The general path (every answer on SQLite; on PostgreSQL those the one statement leaves to
    # it, see test_answer_sql): its one locking read.
    monkeypatch.setattr(front, "attempt_answer_quick", lambda **answer: None)
    visitor = Client()
    attempt = _joined(
        visitor, contest, name="赵六", phone="13812345678", unit={"village": town["village_a"].pk}
    )
    with CaptureQueriesContext(connection) as queries:
        response = visitor.post(
            reverse("exams:answer", args=[attempt.pk]),
            {"position": 2, "choice": "B"},
            content_type="application/json",
        )
    assert response.status_code == 200 and response.json()["saved"] is True
    reads = [
        q["sql"]
        for q in queries
        if q["sql"].startswith("SELECT") and "training_attempt" in q["sql"]
    ]
    assert len(reads) == 1  # ownership and lock in one query
    if connection.features.has_select_for_update_of:
        # Answers to one contest must not queue behind a lock on the contest's exam row.
        assert 'FOR UPDATE OF "training_attempt"' in reads[0]
    attempt.refresh_from_db()
    assert "2" in attempt.answers
    # The page of the attempt in progress still carries no right answer.
    page = visitor.get(reverse("exams:attempt", args=[attempt.pk])).content.decode()
    assert "data-right" not in page and "explanation" not in page.lower()


def test_rankings_computed_once_until_a_result_comes_in(contest, town):
    _result(contest, name="甲", phone="13900000001", right=10, enterprise=town["ent_a"])
    url = reverse("exams:contest", args=[contest.pk])
    visitor = Client()
    with CaptureQueriesContext(connection) as first:
        assert "甲" in visitor.get(url).content.decode()
    with CaptureQueriesContext(connection) as second:
        visitor.get(url)
    ranking_reads = [q for q in second if "training_contestparticipant" in q["sql"]]
    assert len(second) < len(first) and not ranking_reads
    # A new result is on the next page at once.
    _result(contest, name="乙", phone="13900000002", right=4, village=town["village_b"])
    page = visitor.get(url).content.decode()
    assert "乙" in page and town["village_b"].name in page


def test_only_a_contest_goes_on_a_campaign_page(contest):
    home = home_site_make()
    campaign = CampaignPageFactory(parent=CampaignIndexPageFactory(parent=home))
    contest.campaign_page = campaign
    contest.full_clean()
    contest.kind = "assessment"
    with pytest.raises(ValidationError) as problem:
        contest.full_clean()
    assert "campaign_page" in problem.value.message_dict


def test_campaign_page_shows_contest_entry_and_rankings(contest, town):
    home = home_site_make()
    index = CampaignIndexPageFactory(parent=home)
    campaign = CampaignPageFactory(parent=index, title="2026年安全生产月", slug="month-2026")
    other = CampaignPageFactory(parent=index, title="2026年消防日", slug="fire-2026")
    contest.campaign_page = campaign
    contest.save()
    _result(contest, name="张敏", phone="13900000101", right=10, village=town["village_a"])
    _result(contest, name="李强", phone="13900000102", right=5, enterprise=town["ent_a"])
    _result(contest, name="王芳", phone="13900000103", right=7, village=town["village_a"])

    page = Client().get(campaign.url).content.decode()
    assert "2026年安全生产月知识竞赛" in page
    assert reverse("exams:contest", args=[contest.pk]) in page
    assert "data-rankings" in page
    people = page.index("张*"), page.index("王*"), page.index("李*")
    assert people == tuple(sorted(people))  # best score first, names masked
    assert "张敏" not in page
    assert town["village_a"].name in page and town["ent_a"].name in page
    # Village A: two participants, average of 100 and 70.
    row = page[page.index(town["village_a"].name, page.index("data-rankings")) :]
    assert "<td>2</td><td>85.0</td>" in row[:200]
    assert "13900000101" not in page
    # A campaign without a contest shows none.
    assert "data-rankings" not in Client().get(other.url).content.decode()


def test_join_form_choices_rendered_once_for_the_spike(contest, town):
    url = reverse("exams:contest", args=[contest.pk])
    first = Client().get(url).content.decode()
    assert town["village_b"].name in first and 'name="enterprise"' in first
    # The enterprise is typed, never listed: a district's 25,000 made the page 2 MB.
    assert town["ent_a"].name not in first
    with CaptureQueriesContext(connection) as queries:
        second = Client().get(url).content.decode()
    assert not [q for q in queries if "directory_enterprise" in q["sql"]]
    assert town["village_b"].name in second and 'name="csrfmiddlewaretoken"' in second
    # A refused join shows the form again with what the visitor typed.
    refused = Client().post(
        url, {"name": "赵六", "phone": "12345", "village": town["village_b"].pk}
    )
    page = refused.content.decode()
    assert "data-contest-error" in page and 'value="赵六"' in page


@pytest.mark.parametrize("typed", ["name", "credit_code", "credit_code_spaced"])
def test_join_takes_the_enterprise_by_name_or_credit_code(contest, town, typed):
    enterprise = town["ent_a"]
    value = {
        "name": f" {enterprise.name} ",
        "credit_code": enterprise.credit_code.lower(),
        "credit_code_spaced": f"{enterprise.credit_code[:9]} {enterprise.credit_code[9:]}",
    }[typed]
    client = Client()
    attempt = _joined(client, contest, name="甲", phone="13900000301", unit={"enterprise": value})
    assert attempt.participant.enterprise == enterprise


def test_join_refuses_an_unknown_or_ambiguous_enterprise(contest, town):
    url = reverse("exams:contest", args=[contest.pk])
    unknown = Client().post(url, {"name": "甲", "phone": "13900000302", "enterprise": "没有的公司"})
    assert unknown.status_code == 200 and "没有的公司" in unknown.content.decode()
    twin = EnterpriseFactory(name=town["ent_a"].name)
    ambiguous = Client().post(
        url, {"name": "甲", "phone": "13900000303", "enterprise": town["ent_a"].name}
    )
    assert ambiguous.status_code == 200 and not Attempt.objects.exists()
    by_code = Client().post(
        url, {"name": "甲", "phone": "13900000303", "enterprise": twin.credit_code}
    )
    assert by_code.status_code == 302
    assert Attempt.objects.get().participant.enterprise == twin


def test_join_page_query_count_does_not_grow_with_enterprises(
    contest, town, django_assert_max_num_queries
):
    url = reverse("exams:contest", args=[contest.pk])
    Client().get(url)
    for _n in range(30):
        EnterpriseFactory()
    cache.clear()
    with django_assert_max_num_queries(6):
        page = Client().get(url)
    assert len(page.content) < 40_000
