"""The person-based metrics plugged into their sources: 从业人员培训学时达标率 (requirements and
the study-hours ledger) and the two certificate metrics (the registry). Numbers on a small town,
the drill-down of who is not covered, scoping, reminders to people's accounts, bounded queries
and the dashboard showing figures instead of "no data"."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from directory.constants import AccountRole, RiskClass
from directory.models import Notification
from reports.metrics import Scope, metric_get
from reports.selectors.coverage import measure_of
from reports.selectors.uncovered import uncovered_for
from reports.services.reminders import coverage_remind
from tests.factories import EnterpriseFactory, IndustryFactory, PersonFactory, UserFactory
from tests.factories.certificates import management_certificate, special_certificate
from training.learning.services.ledger import ledger_history_record

YEAR = 2026
TODAY = datetime.date(YEAR, 11, 20)
TOWN = AccountRole.TOWN_OFFICE
DEPT = AccountRole.DEPARTMENT_OFFICER
VILLAGE = AccountRole.VILLAGE_OFFICER


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(timezone.make_aware(datetime.datetime.combine(TODAY, datetime.time(12))))


def credit(accounts, person, hours, day):
    ledger_history_record(
        user=accounts[TOWN],
        person=person,
        training_name=f"安全培训{day}",
        hours=Decimal(hours),
        date=day,
    )


@pytest.fixture
def hours(accounts, town):
    """张三 (dept a) reaches his 8 hours in June; 李四 (dept b) has 4; one person owes nothing."""
    credit(accounts, town["person_a"], "5", datetime.date(YEAR, 3, 10))
    credit(accounts, town["person_a"], "3", datetime.date(YEAR, 6, 2))
    credit(accounts, town["person_a"], "20", datetime.date(YEAR - 1, 6, 2))
    credit(accounts, town["person_b"], "4", datetime.date(YEAR, 2, 1))
    PersonFactory(name="赵六", employer=town["ent_a"], is_general_worker=False)
    return town


@pytest.fixture
def certified(town):
    """A high-risk enterprise of dept a with its managers, special operators on both sides."""
    high_risk = IndustryFactory(name="危险化学品", risk_class=RiskClass.HIGH_RISK)
    ent_h = EnterpriseFactory(
        name="丙化工有限公司",
        village=town["village_a"],
        industry=high_risk,
        lead_department=town["dept_a"],
    )
    role = {"employer": ent_h, "is_general_worker": False}
    people = {
        "boss": PersonFactory(name="钱一", is_principal=True, **role),
        "manager": PersonFactory(name="孙二", is_safety_manager=True, **role),
        "new_boss": PersonFactory(name="周三", is_principal=True, **role),
        # A principal of a general-risk enterprise needs no management certificate.
        "other_boss": PersonFactory(
            name="吴四", employer=town["ent_a"], is_principal=True, is_general_worker=False
        ),
        "op_old": PersonFactory(name="郑五", employer=town["ent_a"], is_special_operator=True),
        "op_new": PersonFactory(name="冯六", employer=town["ent_a"], is_special_operator=True),
        "op_b": PersonFactory(name="陈七", employer=town["ent_b"], is_special_operator=True),
    }
    management_certificate(people["boss"], first_issued_on=datetime.date(YEAR - 1, 1, 10))
    management_certificate(people["manager"], first_issued_on=datetime.date(YEAR, 4, 8))
    management_certificate(people["other_boss"], first_issued_on=datetime.date(YEAR, 1, 8))
    special_certificate(people["op_old"], first_issued_on=datetime.date(2015, 1, 1))
    special_certificate(people["op_new"], first_issued_on=datetime.date(YEAR, 2, 3))
    special_certificate(people["op_b"], first_issued_on=datetime.date(YEAR - 2, 3, 5))
    return {**town, **people, "ent_h": ent_h}


def months(code, scope=None):
    """Covered month → count, over the whole scope."""
    result = {}
    for item in metric_get(code).items(scope=scope or Scope(), year=YEAR):
        result[item.covered_month] = result.get(item.covered_month, 0) + item.count
    return result


def uncovered_names(code, month, scope=None):
    queryset = metric_get(code).uncovered(scope=scope or Scope(), year=YEAR, month=month)
    return sorted(p.name for p in queryset)


# --- 从业人员培训学时达标率 --------------------------------------------------------------------


def test_training_hours_covered_in_the_month_the_requirement_is_reached(hours):
    metric = metric_get("training_hours")
    assert metric.has_source
    assert months("training_hours") == {6: 1, None: 1}
    items = metric.items(scope=Scope(), year=YEAR)
    assert (measure_of(metric, items, 5).numerator, measure_of(metric, items, 5).denominator) == (
        0,
        2,
    )
    assert measure_of(metric, items, 6).percent == 50.0
    assert uncovered_names("training_hours", 5) == ["张三", "李四"]
    assert uncovered_names("training_hours", 11) == ["李四"]


def test_training_hours_by_unit(hours):
    dept_a = Scope(department_id=hours["dept_a"].pk)
    assert months("training_hours", dept_a) == {6: 1}
    assert uncovered_names("training_hours", 11, dept_a) == []
    [item_b] = metric_get("training_hours").items(
        scope=Scope(village_id=hours["village_b"].pk), year=YEAR
    )
    assert (item_b.department_id, item_b.covered_month) == (hours["dept_b"].pk, None)


# --- certificates ------------------------------------------------------------------------------


def test_manager_assessment_counts_the_managers_of_high_risk_units(certified):
    assert metric_get("manager_assessment").has_source
    # 钱一 certified before the year, 孙二 in April, 周三 not yet; 吴四 needs none.
    assert months("manager_assessment") == {0: 1, 4: 1, None: 1}
    assert uncovered_names("manager_assessment", 3) == ["周三", "孙二"]
    assert uncovered_names("manager_assessment", 11) == ["周三"]


def test_special_operators_need_a_usable_certificate(certified):
    # 郑五's certificate has expired; 冯六 certified in February; 陈七 before the year.
    assert months("special_operator_certified") == {None: 1, 2: 1, 0: 1}
    assert uncovered_names("special_operator_certified", 1) == ["冯六", "郑五"]
    assert uncovered_names("special_operator_certified", 11) == ["郑五"]
    dept_b = Scope(department_id=certified["dept_b"].pk)
    assert months("special_operator_certified", dept_b) == {0: 1}


def test_a_revoked_certificate_stops_counting(certified):
    from certificates.models import RegisteredCertificate

    RegisteredCertificate.objects.filter(person=certified["op_b"]).update(
        revoked_on=datetime.date(YEAR, 5, 1)
    )
    assert months("special_operator_certified") == {None: 2, 2: 1}


def test_a_past_year_is_judged_on_its_31_december(certified):
    items = metric_get("special_operator_certified").items(scope=Scope(), year=YEAR - 1)
    counts = {i.covered_month: i.count for i in items}
    # In 2025 冯六's February 2026 certificate did not exist yet.
    assert counts == {None: 2, 0: 1}


# --- drill-down, scoping, reminders -------------------------------------------------------------


def uncovered_url(code):
    return reverse("coverage:uncovered", args=[code]) + f"?year={YEAR}&month=11"


@pytest.mark.parametrize("role, sees_b", [(TOWN, True), (DEPT, False), (VILLAGE, False)])
def test_drill_down_lists_people_in_the_viewers_scope(
    client, accounts, hours, certified, role, sees_b
):
    client.force_login(accounts[role])
    body = client.get(uncovered_url("special_operator_certified")).content.decode()
    assert "郑五" in body and "冯六" not in body
    assert ("陈七" in body) is False  # covered, whatever the scope
    body = client.get(uncovered_url("training_hours")).content.decode()
    assert ("李四" in body) is sees_b
    assert "张三" not in body


def test_department_officer_sees_only_its_enterprises_people(accounts, hours):
    metric = metric_get("training_hours")
    for role, names in ((DEPT, ["张三"]), (TOWN, ["张三", "李四"])):
        queryset = uncovered_for(accounts[role], metric, scope=Scope(), year=YEAR, month=5)
        assert [p.name for p in queryset] == names


def test_reminders_reach_the_uncovered_peoples_accounts(client, accounts, certified):
    account = UserFactory(username="zheng", role=AccountRole.LEARNER)
    certified["op_old"].account = account
    certified["op_old"].save()
    covered = UserFactory(username="feng", role=AccountRole.LEARNER)
    certified["op_new"].account = covered
    certified["op_new"].save()
    client.force_login(accounts[TOWN])
    response = client.post(uncovered_url("special_operator_certified"), follow=True)
    assert "已向 1 个账号发送提醒" in response.content.decode()
    (note,) = Notification.objects.all()
    assert note.recipient == account and note.link == "/me/certificates/"
    assert "特种作业" in note.title


def test_an_hours_reminder_says_how_many_hours_are_missing_and_who_sends_it(accounts, hours):
    """The reminder a department sends a worker: its own name, the worker, the hours short in
    plain words (not the metric's ratio), the year's deadline and the learning screen."""
    hours["person_b"].account = UserFactory(username="lisi", role=AccountRole.LEARNER)
    hours["person_b"].save()
    officer_b = UserFactory(role=DEPT, department=hours["dept_b"])

    accounts_reminded, sent = coverage_remind(
        user=officer_b, metric=metric_get("training_hours"), scope=Scope(), year=YEAR, month=11
    )

    assert (accounts_reminded, sent) == (1, 1)
    (note,) = Notification.objects.all()
    assert note.recipient == hours["person_b"].account
    assert note.title == "【规建办】学时未达标：李四（2026年12月31日前）"
    assert note.body == (
        "【规建办】李四：本年度还差 4 学时（要求 8 学时，已完成 4 学时）。"
        "请于2026年12月31日前完成在线课程学习或参加培训班。"
    )
    assert note.link == "/learning/"
    assert " / " not in note.body and "人数" not in note.body  # no ratio label


# --- queries and the dashboard -----------------------------------------------------------------


@pytest.mark.parametrize("size", [2, 25])
@pytest.mark.parametrize(
    "code, limit",
    [("training_hours", 5), ("manager_assessment", 1), ("special_operator_certified", 1)],
)
def test_queries_do_not_grow_with_the_people(
    accounts, town, size, code, limit, django_assert_max_num_queries
):
    high_risk = IndustryFactory(name="危险化学品", risk_class=RiskClass.HIGH_RISK)
    enterprise = EnterpriseFactory(industry=high_risk, lead_department=town["dept_a"])
    for n in range(size):
        person = PersonFactory(employer=enterprise, is_principal=True, is_special_operator=True)
        credit(accounts, person, "10", datetime.date(YEAR, 1 + n % 10, 1))
        if n % 2:
            special_certificate(person, first_issued_on=datetime.date(YEAR, 1 + n % 10, 1))
            management_certificate(person, first_issued_on=datetime.date(YEAR, 1 + n % 10, 1))
    metric = metric_get(code)
    with django_assert_max_num_queries(limit):
        items = metric.items(scope=Scope(), year=YEAR)
    assert sum(i.count for i in items) >= size
    with django_assert_max_num_queries(limit):
        list(metric.uncovered(scope=Scope(), year=YEAR, month=11))


def test_dashboard_shows_the_numbers_of_the_people_metrics(client, accounts, hours, certified):
    client.force_login(accounts[TOWN])
    response = client.get(reverse("coverage:dashboard"))
    body = response.content.decode()
    assert "暂无数据" not in body
    figures = {f.metric.code: f.measure for f in response.context["figures"]}
    # Everyone in post owes hours but 赵六; only 张三 has them.
    assert (figures["training_hours"].numerator, figures["training_hours"].denominator) == (1, 9)
    assert (figures["manager_assessment"].numerator, figures["manager_assessment"].denominator) == (
        2,
        3,
    )
    special = figures["special_operator_certified"]
    assert (special.numerator, special.denominator) == (2, 3)
    for label in ("从业人员培训学时达标率", "特种作业持证上岗率", "安全管理人员考核合格率"):
        assert label in body
    assert "1 / 9" in body and "2 / 3" in body and "66.7%" in body


# --- agreement with the sources' own lists -----------------------------------------------------


def test_this_months_lists_agree_with_the_sources(accounts, hours, certified):
    from certificates.selectors.registry import GAP_MANAGEMENT, GAP_SPECIAL, certification_gaps
    from directory.models import Person
    from training.learning.selectors.requirements import MET, NOT_DUE, requirement_status

    gaps = certification_gaps(user=accounts[TOWN], today=TODAY)
    for code, needs in (
        ("special_operator_certified", GAP_SPECIAL),
        ("manager_assessment", GAP_MANAGEMENT),
    ):
        expected = sorted(g.person.name for g in gaps if g.needs == needs)
        assert uncovered_names(code, TODAY.month) == expected

    statuses = requirement_status(people=Scope().people(), year=YEAR, today=TODAY)
    short = sorted(s.name for s in statuses if s.status not in (MET, NOT_DUE))
    assert uncovered_names("training_hours", TODAY.month) == short
    assert Person.objects.filter(name="赵六").exists() and "赵六" not in short


def test_a_long_drill_down_is_one_parameter(town):
    from directory.models import Person
    from reports.metrics.learning import ids_subquery

    # More ids than SQLite (32,766) or PostgreSQL (65,535) accept as separate parameters.
    ids = [town["person_a"].pk, *range(10**6, 10**6 + 70_000)]
    assert list(Person.objects.filter(pk__in=ids_subquery(ids))) == [town["person_a"]]


def test_special_operator_metric_and_gap_list_agree(accounts, certified):
    """特种作业持证上岗率 and the 持证上岗 gap list read one definition (原国家安监总局令第30号
    第五条): a person on a post needs a usable card for each operation it requires; the people
    the metric counts uncovered this month are the special-operator gaps of the list."""
    from certificates.selectors.registry import certification_gaps
    from directory.models import Post

    ent_a = certified["ent_a"]
    welder = PersonFactory(name="焊工八", employer=ent_a, work_post=Post.objects.get(name="焊工"))
    special_certificate(welder, first_issued_on=datetime.date(YEAR - 1, 5, 1))
    electrician = PersonFactory(
        name="电工九", employer=ent_a, work_post=Post.objects.get(name="电工")
    )
    special_certificate(electrician, first_issued_on=datetime.date(YEAR - 1, 5, 1))
    PersonFactory(name="叉车十", employer=ent_a, work_post=Post.objects.get(name="叉车司机"))
    gaps = sorted(
        g.person.name
        for g in certification_gaps(user=accounts[TOWN], today=TODAY)
        if g.needs == "special_operator"
    )
    # 郑五's card of 2015 has expired; 电工九's card is for his post's operation.
    assert gaps == ["叉车十", "焊工八", "郑五"]
    assert uncovered_names("special_operator_certified", TODAY.month) == gaps
