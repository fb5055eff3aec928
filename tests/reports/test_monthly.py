"""Monthly reports: the states with their checks (messages in Chinese), figures snapshotted at
submission, reminders on the 20th and 25th once per unit and stage, the late list from the 26th,
and the back-office pages per role."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from directory.constants import AccountRole
from directory.models import Notification
from reports.models import MonthlyReport, ReportStatus
from reports.selectors.monthly import late_units, monthly_reports_visible_to
from reports.services import monthly
from tests.factories import UserFactory
from tests.factories.drills import DrillRecordFactory

TOWN = AccountRole.TOWN_OFFICE
DEPT = AccountRole.DEPARTMENT_OFFICER
VILLAGE = AccountRole.VILLAGE_OFFICER
MANAGER = AccountRole.ENTERPRISE_MANAGER
YEAR, MONTH = 2026, 11


def noon(day):
    return timezone.make_aware(datetime.datetime(YEAR, MONTH, day, 12))


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(noon(20))


def start(accounts, role=DEPT):
    return monthly.monthly_report_start(user=accounts[role], year=YEAR, month=MONTH)


def filled(accounts, role=DEPT):
    report = start(accounts, role)
    return monthly.monthly_report_save(
        user=accounts[role],
        report=report,
        work_done="组织演练3次",
        problems="个别企业未报送",
        next_month_plan="督促补报",
    )


def test_report_goes_through_its_states(accounts, town):
    DrillRecordFactory(enterprise=town["ent_a"], date=datetime.date(YEAR, 4, 1))
    report = filled(accounts)
    assert report.status == ReportStatus.DRAFT and report.department == town["dept_a"]
    report = monthly.monthly_report_submit(user=accounts[DEPT], report=report)
    assert report.status == ReportStatus.SUBMITTED and report.submitted_by == accounts[DEPT]
    drills = next(f for f in report.figures if f["code"] == "drill_coverage")
    assert (drills["numerator"], drills["denominator"], drills["percent"]) == (1, 1, 100.0)
    hours = next(f for f in report.figures if f["code"] == "training_hours")
    assert (hours["numerator"], hours["denominator"]) == (0, 1)
    principals = next(f for f in report.figures if f["code"] == "principal_training")
    # The department has no key enterprise: nothing to cover, no percentage.
    assert (principals["numerator"], principals["denominator"], principals["percent"]) == (
        0,
        0,
        None,
    )
    with pytest.raises(ValidationError) as caught:
        monthly.monthly_report_return(user=accounts[TOWN], report=report, comment=" ")
    assert caught.value.message_dict["review_comment"] == ["请说明需要修改的内容。"]
    report = monthly.monthly_report_return(user=accounts[TOWN], report=report, comment="补充问题")
    assert report.status == ReportStatus.RETURNED
    report = monthly.monthly_report_save(user=accounts[DEPT], report=report, problems="已补充")
    report = monthly.monthly_report_submit(user=accounts[DEPT], report=report)
    report = monthly.monthly_report_accept(user=accounts[TOWN], report=report)
    assert report.status == ReportStatus.ACCEPTED
    with pytest.raises(ValidationError) as caught:
        monthly.monthly_report_save(user=accounts[DEPT], report=report, problems="改")
    assert caught.value.messages == ["已提交或已通过的报告不能再修改。"]


def test_figures_are_frozen_at_submission(accounts, town):
    report = monthly.monthly_report_submit(user=accounts[DEPT], report=filled(accounts))
    DrillRecordFactory(enterprise=town["ent_a"], date=datetime.date(YEAR, 4, 1))
    report.refresh_from_db()
    drills = next(f for f in report.figures if f["code"] == "drill_coverage")
    assert drills["numerator"] == 0


def test_state_and_role_checks(accounts, town):
    report = start(accounts)
    with pytest.raises(ValidationError) as caught:
        monthly.monthly_report_submit(user=accounts[DEPT], report=report)
    assert caught.value.message_dict["work_done"] == ["请填写本月工作情况后再提交。"]
    with pytest.raises(ValidationError) as caught:
        monthly.monthly_report_accept(user=accounts[TOWN], report=report)
    assert caught.value.messages == ["只有已提交的报告才能通过。"]
    with pytest.raises(PermissionDenied):
        monthly.monthly_report_accept(user=accounts[DEPT], report=report)
    other = UserFactory(username="dept_b", role=DEPT, department=town["dept_b"])
    with pytest.raises(PermissionDenied):
        monthly.monthly_report_save(user=other, report=report, work_done="x")
    with pytest.raises(PermissionDenied):
        monthly.monthly_report_start(user=accounts[MANAGER], year=YEAR, month=MONTH)
    # The task counts are not the unit's to type: they are counted at submission.
    report = monthly.monthly_report_save(
        user=accounts[DEPT], report=report, work_done="x", tasks_total=9, tasks_done=9
    )
    report.refresh_from_db()
    assert (report.tasks_total, report.tasks_done) == (0, 0)


@pytest.mark.parametrize(
    "role, sees", [(TOWN, {"dept_a", "village_a"}), (DEPT, {"dept_a"}), (VILLAGE, {"village_a"})]
)
def test_reports_are_scoped(accounts, town, role, sees):
    own = {"dept_a": start(accounts, DEPT), "village_a": start(accounts, VILLAGE)}
    visible = set(monthly_reports_visible_to(accounts[role]))
    assert visible == {own[k] for k in sees}
    assert not monthly_reports_visible_to(accounts[MANAGER]).exists()


# --- reminders and the late list ---------------------------------------------------------------


def test_reminders_on_the_20th_and_25th_once_per_stage(accounts, town):
    monthly.monthly_report_submit(user=accounts[VILLAGE], report=filled(accounts, VILLAGE))
    assert monthly.monthly_reminders_send(today=datetime.date(YEAR, MONTH, 19)) == 0
    assert monthly.monthly_reminders_send(today=datetime.date(YEAR, MONTH, 20)) == 1
    assert monthly.monthly_reminders_send(today=datetime.date(YEAR, MONTH, 20)) == 0
    (note,) = Notification.objects.all()
    assert note.recipient == accounts[DEPT]
    month = f"{YEAR}年{MONTH}月"
    assert note.title == f"【镇安委办】{month}月报未报送：经发办（{month}26日前）"
    assert note.body == (
        f"【镇安委办】经发办：{month}安全生产工作月报尚未报送。"
        f"请于{month}26日前填写月报并报送镇安委办。"
    )
    assert note.link == "/admin/reports/monthly/"
    assert monthly.monthly_reminders_send(today=datetime.date(YEAR, MONTH, 25)) == 1
    assert Notification.objects.filter(recipient=accounts[VILLAGE]).count() == 0


def test_late_units_from_the_26th(accounts, town):
    monthly.monthly_report_submit(user=accounts[DEPT], report=filled(accounts))
    start(accounts, VILLAGE)  # a draft is not sent
    assert late_units(YEAR, MONTH, datetime.date(YEAR, MONTH, 25)) == []
    late = {u.name for u in late_units(YEAR, MONTH, datetime.date(YEAR, MONTH, 26))}
    assert late == {"规建办", "徐泾村", "金云村"}


def test_beat_runs_the_reminders(settings):
    schedule = settings.CELERY_BEAT_SCHEDULE
    assert schedule["reports-monthly-reminders"]["task"] == "reports.tasks.monthly_report_reminders"
    assert schedule["reports-town-report"]["schedule"].day_of_month == {26}


# --- pages ---------------------------------------------------------------------------------------


def test_officer_fills_and_submits_then_town_accepts(client, accounts, town):
    client.force_login(accounts[DEPT])
    response = client.post(reverse("monthly_reports:start"))
    report = MonthlyReport.objects.get()
    assert response.url == reverse("monthly_reports:detail", args=[report.pk])
    page = client.get(response.url).content.decode()
    assert "年度疏散演练覆盖率" in page and "主要负责人培训覆盖率" in page
    fields = {
        "work_done": "开展培训",
        "problems": "",
        "next_month_plan": "继续",
    }
    client.post(response.url, {**fields, "action": "submit"})
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    client.force_login(accounts[TOWN])
    index = client.get(reverse("monthly_reports:index") + f"?year={YEAR}&month={MONTH}")
    assert "经发办" in index.content.decode() and "已提交" in index.content.decode()
    client.post(response.url, {"action": "accept"})
    report.refresh_from_db()
    assert report.status == ReportStatus.ACCEPTED


def test_submitting_without_work_done_shows_the_reason(client, accounts, town):
    client.force_login(accounts[VILLAGE])
    url = client.post(reverse("monthly_reports:start")).url
    response = client.post(
        url,
        {"work_done": "", "action": "submit"},
        follow=True,
    )
    assert "请填写本月工作情况后再提交。" in response.content.decode()
    assert MonthlyReport.objects.get().status == ReportStatus.DRAFT


def test_town_office_sees_who_is_late(client, accounts, town, time_machine):
    time_machine.move_to(noon(26))
    client.force_login(accounts[TOWN])
    body = client.get(reverse("monthly_reports:index")).content.decode()
    assert "逾期未报送" in body and "金云村" in body


@pytest.mark.parametrize("role", [MANAGER, AccountRole.EDITOR])
def test_other_roles_have_no_monthly_reports(client, accounts, role):
    client.force_login(accounts[role])
    assert client.get(reverse("monthly_reports:index")).status_code == 302
