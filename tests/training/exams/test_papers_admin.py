"""Papers and exams in the back office: written through the services, scoped by owner."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from directory.constants import AccountRole
from directory.selectors import editable_by, visible_to
from tests.factories.exams import DrawRuleFactory, ExamFactory, PaperFactory, QuestionBankFactory
from training.models import DrawRule, Exam, Paper

ROLES_WITHOUT_EXAMS = [
    AccountRole.VILLAGE_OFFICER,
    AccountRole.ENTERPRISE_MANAGER,
    AccountRole.LEARNER,
    AccountRole.EDITOR,
]


@pytest.mark.parametrize("model", [Paper, Exam, DrawRule])
def test_scopes_by_owner(accounts, town, model):
    own = QuestionBankFactory(name="经发办题库", owner_department=town["dept_a"])
    other = QuestionBankFactory(name="规建办题库", owner_department=town["dept_b"])
    papers = {"a": PaperFactory(bank=own), "b": PaperFactory(bank=other)}
    papers["a"].owner_department = town["dept_a"]
    papers["b"].owner_department = town["dept_b"]
    for side in "ab":
        papers[side].save()
        ExamFactory(paper=papers[side], owner_department=papers[side].owner_department)
        DrawRuleFactory(paper=papers[side], bank=own)
    objects = {
        side: model.objects.get(**{"paper" if model is not Paper else "pk": papers[side]})
        if model is not Paper
        else papers[side]
        for side in "ab"
    }
    officer = accounts[AccountRole.DEPARTMENT_OFFICER]
    assert visible_to(officer, model).filter(pk=objects["a"].pk).exists()
    assert not visible_to(officer, model).filter(pk=objects["b"].pk).exists()
    assert editable_by(officer, model).filter(pk=objects["a"].pk).exists()
    town_office = accounts[AccountRole.TOWN_OFFICE]
    assert editable_by(town_office, model).count() == 2
    for role in ROLES_WITHOUT_EXAMS:
        assert not visible_to(accounts[role], model).exists()


def test_department_officer_sets_an_exam_on_a_town_paper(client, accounts, town):
    paper = PaperFactory(bank=QuestionBankFactory())
    officer = accounts[AccountRole.DEPARTMENT_OFFICER]
    client.force_login(officer)
    now = timezone.localtime()
    response = client.post(
        reverse("exam_settings:add"),
        {
            "title": "安全管理人员考核",
            "kind": "assessment",
            "paper": paper.pk,
            "opens_at": (now - datetime.timedelta(hours=1)).strftime("%Y-%m-%d %H:%M"),
            "closes_at": (now + datetime.timedelta(days=2)).strftime("%Y-%m-%d %H:%M"),
            "duration_minutes": 60,
            "pass_mark": 80,
            "max_attempts": 2,
            "mode": "formal",
            "review": "after_close",
            "layout": "one",
            "ledger_hours": "2",
            "certificate_title": "",
            "daily_quota": 3,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    exam = Exam.objects.get()
    assert exam.owner_department == town["dept_a"] and exam.created_by == officer
    assert exam.pass_mark == 80
    edit = client.get(reverse("exam_papers:edit", args=[paper.pk]))
    assert edit.status_code in (302, 403, 404)
