"""The public contest: joining without an account, a random paper per attempt, the daily quota,
the attempt reachable only from the joining browser, rankings with masked names, no phone numbers."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories.exams import (
    DrawnPaperFactory,
    ExamFactory,
    QuestionBankFactory,
    right_answers_shown,
)
from training.exams.selectors.contest import contest_rankings
from training.exams.services.attempts import attempt_answer_save
from training.exams.services.contest import contest_attempt_start, contest_join
from training.exams.services.grading import attempt_submit
from training.models import Attempt, ContestParticipant


@pytest.fixture
def contest(db):
    bank = QuestionBankFactory(single=30, true_false=10)
    paper = DrawnPaperFactory(bank=bank, rules=[("single", 8, "10"), ("true_false", 4, "5")])
    closes = timezone.now() + datetime.timedelta(days=30)
    return ExamFactory(
        paper=paper,
        title="2026年安全生产月知识竞赛",
        kind="contest",
        daily_quota=2,
        closes_at=closes,
    )


def test_join_start_answer_and_rank_over_http(contest, town):
    visitor = Client()
    page = visitor.get(reverse("exams:contest", args=[contest.pk]))
    assert page.status_code == 200 and "知识竞赛" in page.content.decode()
    response = visitor.post(
        reverse("exams:contest", args=[contest.pk]),
        {"name": "赵六", "phone": "138 1234 5678", "village": town["village_a"].pk},
    )
    assert response.status_code == 302
    attempt = Attempt.objects.get()
    assert attempt.participant.phone == "13812345678" and len(attempt.items) == 12
    shown = right_answers_shown(attempt)
    for position, choice in enumerate(shown):
        saved = visitor.post(
            reverse("exams:answer", args=[attempt.pk]),
            {"position": position, "choice": choice},
            content_type="application/json",
        )
        assert saved.status_code == 200
    visitor.post(reverse("exams:submit", args=[attempt.pk]))
    result = visitor.get(reverse("exams:result", args=[attempt.pk])).content.decode()
    assert "100.0 / 100.0" in result
    # Another visitor cannot reach this attempt.
    stranger = Client()
    assert stranger.get(reverse("exams:attempt", args=[attempt.pk])).status_code == 404
    page = stranger.get(reverse("exams:contest", args=[contest.pk])).content.decode()
    # Names masked as /verify masks them; no phone number.
    assert "赵*" in page and "赵六" not in page and "徐泾村" in page and "13812345678" not in page


def test_bad_join_is_explained(contest):
    response = Client().post(
        reverse("exams:contest", args=[contest.pk]), {"name": "赵六", "phone": "12345"}
    )
    assert response.status_code == 200
    assert "data-contest-error" in response.content.decode()
    assert not ContestParticipant.objects.exists()


def test_daily_quota_and_random_papers(contest, town):
    participant = contest_join(
        exam=contest, name="钱七", phone="13900001111", enterprise=town["ent_a"]
    )
    papers = []
    for _ in range(2):
        attempt = contest_attempt_start(participant=participant)
        assert contest_attempt_start(participant=participant).pk == attempt.pk  # resumed
        papers.append([item["q"] for item in attempt.items])
        attempt_submit(attempt_id=attempt.pk)
    assert papers[0] != papers[1]
    with pytest.raises(PermissionDenied):
        contest_attempt_start(participant=participant)
    tomorrow = attempt.started_at + datetime.timedelta(days=1)
    assert contest_attempt_start(participant=participant, now=tomorrow).number == 3


def test_rankings_by_best_score_and_unit(contest, town):
    scores = {}
    for name, phone, unit, right in [
        ("甲", "13900000001", {"enterprise": town["ent_a"]}, 12),
        ("乙", "13900000002", {"enterprise": town["ent_a"]}, 6),
        ("丙", "13900000003", {"village": town["village_b"]}, 10),
    ]:
        participant = contest_join(exam=contest, name=name, phone=phone, **unit)
        attempt = contest_attempt_start(participant=participant)
        for position, choice in enumerate(right_answers_shown(attempt)[:right]):
            attempt_answer_save(attempt_id=attempt.pk, position=position, choice=choice)
        scores[name] = attempt_submit(attempt_id=attempt.pk).score
    rankings = contest_rankings(exam=contest)
    assert [row.name for row in rankings["people"]] == sorted(scores, key=lambda n: -scores[n])
    assert [(r.label, r.participants) for r in rankings["enterprise"]] == [("甲机械有限公司", 2)]
    assert rankings["village"][0].label == "金云村"
