"""seed_demo's exams: a question bank, a test open to everyone and the safety-month contest with a
few results, published on the latest safety-month campaign page; once only."""

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from content.models import CampaignKind, CampaignPage
from directory.models import User
from training.exams.demo import BANK_NAME, CONTEST_TITLE, QUESTIONS, TEST_TITLE
from training.models import Attempt, Exam, ExamKind, Question

pytestmark = pytest.mark.django_db


def test_demo_exams_and_the_contest_on_the_campaign_page(demo_town, db):
    cache.clear()
    assert Question.objects.filter(bank__name=BANK_NAME).count() == len(QUESTIONS)
    for question in Question.objects.filter(bank__name=BANK_NAME):
        question.full_clean()  # every demo question is valid as the admin would check it
    test = Exam.objects.get(title=TEST_TITLE)
    contest = Exam.objects.get(kind=ExamKind.CONTEST, title__endswith=CONTEST_TITLE)
    latest = CampaignPage.objects.filter(kind=CampaignKind.SAFETY_MONTH).order_by("-year").first()
    assert contest.campaign_page_id == latest.pk
    graded = Attempt.objects.filter(exam=contest, score__isnull=False)
    assert graded.count() == 5

    visitor = Client()
    page = visitor.get(latest.url).content.decode()
    assert contest.title in page and reverse("exams:contest", args=[contest.pk]) in page
    assert "张*" in page and "张敏" not in page  # the best demo result, ranked, name masked
    assert "data-rankings" in page
    # The contest can be entered from there, and the learner sees the test among open exams.
    assert visitor.get(reverse("exams:contest", args=[contest.pk])).status_code == 200
    learner = Client()
    learner.force_login(User.objects.get(username="learner"))
    assert test.title in learner.get(reverse("exams:mine")).content.decode()
