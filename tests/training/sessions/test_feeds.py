"""What sessions feed: principal coverage (+ invitation), criteria study, inspectors, make-ups."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from directory.constants import AccountRole
from tests.export_helpers import export_get
from tests.factories import EnterpriseFactory, PersonFactory
from tests.factories.exams import AttemptFactory, ExamFactory, PaperFactory, QuestionBankFactory
from tests.factories.sessions import TrainingSessionFactory
from training.models import AttendanceStatus, SessionKind, TrainingSession
from training.sessions.selectors.feeds import (
    criteria_study,
    inspectors_training,
    principal_coverage,
)

R = AccountRole


@pytest.fixture
def principals(town):
    """Both enterprises are fire-safety key units with a principal; a third is not key."""
    result = {}
    for side in ("a", "b"):
        ent = town[f"ent_{side}"]
        ent.is_fire_key_unit = True
        ent.principal = PersonFactory(name=f"厂长{side}", employer=ent, is_principal=True)
        ent.save()
        result[side] = ent.principal
    EnterpriseFactory(name="=HYPERLINK(1)", industry=town["industry"])
    return result


def test_principal_coverage_lists_missing_first(town, accounts, principals):
    session = TrainingSessionFactory(invitees=[town["person_a"]])
    session.attendances.create(person=principals["a"], status=AttendanceStatus.PRESENT)
    session.attendances.create(person=principals["b"], status=AttendanceStatus.ABSENT)
    with CaptureQueriesContext(connection) as queries:
        rows = principal_coverage(user=accounts[R.TOWN_OFFICE], year=2026)
    assert len(queries) <= 3
    assert [(r.enterprise.name, r.covered) for r in rows] == [
        ("乙建设有限公司", False),
        ("甲机械有限公司", True),
    ]
    assert principal_coverage(user=accounts[R.TOWN_OFFICE], year=2025)[0].covered is False
    # A department officer sees only its own enterprises.
    dept_rows = principal_coverage(user=accounts[R.DEPARTMENT_OFFICER], year=2026)
    assert [r.enterprise.name for r in dept_rows] == ["甲机械有限公司"]


def test_one_click_invites_missing_principals_to_next_session(client, town, accounts, principals):
    start = timezone.now() + datetime.timedelta(days=7)
    upcoming = TrainingSessionFactory(
        kind=SessionKind.PRINCIPAL, title="第二期主要负责人培训", starts_at=start
    )
    client.force_login(accounts[R.TOWN_OFFICE])
    year = timezone.localdate().year
    page = client.get(reverse("session_principal_coverage"), {"year": year})
    assert "第二期主要负责人培训" in page.content.decode()
    client.post(f"{reverse('session_principal_invite')}?year={year}")
    assert set(upcoming.attendances.values_list("person__name", flat=True)) == {"厂长a", "厂长b"}


def test_exports_are_formula_safe(client, town, accounts, principals):
    town["ent_a"].name = "=cmd|' /C calc'!A0"
    town["ent_a"].save()
    client.force_login(accounts[R.TOWN_OFFICE])
    response = export_get(
        client, reverse("session_principal_coverage"), {"year": 2026, "format": "xlsx"}
    )
    sheet = load_workbook(io.BytesIO(response.getvalue())).active
    names = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert "'=cmd|' /C calc'!A0" in names
    for name in ("session_criteria_study", "session_inspectors"):
        export = client.get(reverse(name), {"year": 2026, "format": "xlsx"})
        assert export.status_code == 200
        assert load_workbook(io.BytesIO(export.content)).active.max_row >= 1
    client.force_login(accounts[R.LEARNER])
    assert client.get(reverse("session_principal_coverage")).status_code in (302, 403)


def test_criteria_study_by_member_unit_and_deadline(town, accounts):
    session = TrainingSessionFactory(
        organiser_department=town["dept_a"], kind=SessionKind.CRITERIA, invitees=[town["person_a"]]
    )
    session.attendances.update(status=AttendanceStatus.PRESENT)
    rows = {
        r.department.name: r
        for r in criteria_study(
            user=accounts[R.TOWN_OFFICE], year=2026, deadline=datetime.date(2026, 6, 30)
        )
    }
    assert rows["经发办"].held and rows["经发办"].attendees == ["张三"]
    assert not rows["规建办"].held
    early = criteria_study(
        user=accounts[R.TOWN_OFFICE], year=2026, deadline=datetime.date(2026, 5, 1)
    )
    assert not any(r.held for r in early)


def test_inspectors_who_attended(town, accounts):
    session = TrainingSessionFactory(kind=SessionKind.INSPECTORS, invitees=[town["person_a"]])
    session.attendances.create(person=town["inspector_a"], status=AttendanceStatus.LATE)
    PersonFactory(name="陈监管", employer=None, department=town["dept_a"], is_inspector=True)
    rows = inspectors_training(user=accounts[R.DEPARTMENT_OFFICER], year=2026)
    assert [(r.person.name, r.attended_on is not None) for r in rows] == [
        ("陈监管", False),
        ("王五", True),
    ]


def test_makeup_session_invites_the_absent(client, town, accounts):
    session = TrainingSessionFactory(
        organiser_department=town["dept_a"], invitees=[town["person_a"]]
    )
    other = PersonFactory(name="周八", employer=town["ent_a"])
    session.attendances.create(person=other, status=AttendanceStatus.PRESENT)
    session.attendances.filter(person=town["person_a"]).update(
        status=AttendanceStatus.ABSENT, reason="出差"
    )
    client.force_login(accounts[R.DEPARTMENT_OFFICER])
    response = client.post(
        reverse("session_makeup", args=[session.pk]),
        {
            "title": "补课",
            "starts_at": "2026-06-01T09:00",
            "ends_at": "2026-06-01T12:00",
            "mode": "on_site",
            "place": "经发办会议室",
            "hours": "4",
        },
    )
    assert response.status_code == 302
    makeup = TrainingSession.objects.get(title="补课")
    assert makeup.kind == session.kind
    assert list(makeup.attendances.values_list("person__name", flat=True)) == ["张三"]


def test_principal_covered_by_the_assessment_passed_this_year(client, town, accounts, principals):
    exam = ExamFactory(paper=PaperFactory(bank=QuestionBankFactory(single=2)), kind="assessment")
    other = ExamFactory(
        paper=PaperFactory(bank=QuestionBankFactory(name="其他题库", single=2)), kind="course_quiz"
    )
    passed_at = timezone.make_aware(datetime.datetime(2026, 8, 3, 10, 0))

    def attempt(on_exam, person, ok):
        AttemptFactory(
            exam=on_exam,
            person=person,
            started_at=passed_at,
            deadline=passed_at,
            submitted_at=passed_at,
            passed=ok,
        )

    attempt(exam, principals["b"], True)
    attempt(other, principals["a"], True)  # a course quiz is not the assessment
    session = TrainingSessionFactory(invitees=[town["person_a"]])
    session.attendances.create(person=principals["a"], status=AttendanceStatus.ABSENT)
    with CaptureQueriesContext(connection) as queries:
        rows = principal_coverage(user=accounts[R.TOWN_OFFICE], year=2026)
    assert len(queries) <= 3
    by_name = {r.enterprise.name: r for r in rows}
    assert by_name["乙建设有限公司"].covered_by == "assessment"
    assert not by_name["甲机械有限公司"].covered
    # Another year's pass does not count.
    assert not any(r.covered for r in principal_coverage(user=accounts[R.TOWN_OFFICE], year=2025))

    session.attendances.filter(person=principals["a"]).update(status=AttendanceStatus.PRESENT)
    client.force_login(accounts[R.TOWN_OFFICE])
    body = client.get(reverse("session_principal_coverage"), {"year": 2026}).content.decode()
    assert "2026年8月3日通过考核" in body
    assert "2026年5月12日参加培训" in body
    assert "0 家企业的主要负责人既未参加培训也未通过考核" in body
    export = export_get(
        client, reverse("session_principal_coverage"), {"year": 2026, "format": "xlsx"}
    )
    sheet = load_workbook(io.BytesIO(export.getvalue())).active
    values = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert values["乙建设有限公司"][3] == "2026年8月3日"


def test_a_mark_on_a_session_still_to_come_covers_nobody_yet(
    town, accounts, principals, time_machine
):
    """Attendance counts once the session has started: a hand mark on a session still to come
    (the organiser may set one) leaves the principal and the inspector uncovered, in the feeds'
    lists as in the coverage figures, which count them by the month the session is held."""
    time_machine.move_to(timezone.make_aware(datetime.datetime(2026, 11, 20, 12)))
    december = timezone.make_aware(datetime.datetime(2026, 12, 5, 9))
    for kind, person in (
        (SessionKind.PRINCIPAL, principals["a"]),
        (SessionKind.INSPECTORS, town["inspector_a"]),
    ):
        session = TrainingSessionFactory(kind=kind, starts_at=december)
        session.attendances.create(person=person, status=AttendanceStatus.PRESENT)
    office = accounts[R.TOWN_OFFICE]
    assert not any(r.covered for r in principal_coverage(user=office, year=2026))
    assert not any(r.attended_on for r in inspectors_training(user=office, year=2026))

    time_machine.move_to(timezone.make_aware(datetime.datetime(2026, 12, 5, 12)))
    covered = [r.principal for r in principal_coverage(user=office, year=2026) if r.covered]
    assert covered == [principals["a"]]
    assert [r.person for r in inspectors_training(user=office, year=2026) if r.attended_on] == [
        town["inspector_a"]
    ]
