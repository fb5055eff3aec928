"""The three metrics fed by the offline sessions: 主要负责人培训覆盖率 (principals' training or the
assessment passed), 监管人员年度培训率 and 判定标准学习开展率. Numbers on a small town, the cuts by
department / village, the drill-down of who is not covered, bounded queries at two sizes and the
dashboard showing figures where it showed "no data"."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from directory.constants import AccountRole
from reports.metrics import Scope, metric_get
from reports.selectors.coverage import measure_of
from tests.factories import DepartmentFactory, EnterpriseFactory, PersonFactory
from tests.factories.exams import AttemptFactory, ExamFactory, PaperFactory, QuestionBankFactory
from tests.factories.sessions import AttendanceFactory, TrainingSessionFactory
from training.models import AttendanceStatus, SessionKind

YEAR = 2026
NOW = timezone.make_aware(datetime.datetime(YEAR, 11, 20, 12, 0))
TOWN = AccountRole.TOWN_OFFICE
DEPT = AccountRole.DEPARTMENT_OFFICER


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(NOW)


def at(month, day=10, hour=9):
    return timezone.make_aware(datetime.datetime(YEAR, month, day, hour, 0))


def session(accounts, kind, month, day=10, department=None, title=None):
    return TrainingSessionFactory(
        kind=kind,
        title=title or f"{kind}{month}月",
        starts_at=at(month, day),
        ends_at=at(month, day, hour=12),
        created_by=accounts[TOWN],
        organiser_department=department,
    )


def attend(sess, person, status=AttendanceStatus.PRESENT):
    AttendanceFactory(session=sess, person=person, status=status)


def passed(exam, person, month, ok=True):
    AttemptFactory(
        exam=exam,
        person=person,
        started_at=at(month),
        deadline=at(month, hour=10),
        submitted_at=at(month, hour=10),
        passed=ok,
    )


@pytest.fixture
def assessment(db):
    return ExamFactory(paper=PaperFactory(bank=QuestionBankFactory(single=2)), kind="assessment")


@pytest.fixture
def principals(accounts, town, assessment):
    """Three key enterprises: 甲 (dept a) attended in May, 乙 (dept b) passed the assessment in
    August, 丙 (dept a) neither (absent from the training, failed the assessment)."""
    ent_c = EnterpriseFactory(
        name="丙仓储有限公司",
        village=town["village_a"],
        industry=town["industry"],
        lead_department=town["dept_a"],
    )
    # Not a key enterprise.
    EnterpriseFactory(
        name="丁商贸有限公司", industry=town["industry"], lead_department=town["dept_a"]
    )
    people = {}
    for key, ent in (("a", town["ent_a"]), ("b", town["ent_b"]), ("c", ent_c)):
        ent.is_fire_key_unit = True
        ent.principal = PersonFactory(name=f"厂长{key}", employer=ent, is_principal=True)
        ent.save()
        people[key] = ent.principal
    training = session(accounts, SessionKind.PRINCIPAL, 5)
    attend(training, people["a"])
    attend(training, people["c"], AttendanceStatus.ABSENT)
    # A training of another kind does not count.
    attend(session(accounts, SessionKind.FIRE, 3), people["b"])
    passed(assessment, people["b"], 8)
    passed(assessment, people["c"], 9, ok=False)
    return {**town, **people, "ent_c": ent_c}


@pytest.fixture
def inspectors(accounts, town):
    """王五 (dept a) attended the centralized training in March (late); 陈监管 (dept b) did not."""
    chen = PersonFactory(name="陈监管", employer=None, department=town["dept_b"], is_inspector=True)
    attend(session(accounts, SessionKind.INSPECTORS, 3), town["inspector_a"], AttendanceStatus.LATE)
    attend(session(accounts, SessionKind.INSPECTORS, 4), chen, AttendanceStatus.ABSENT)
    return {**town, "chen": chen}


@pytest.fixture
def criteria(accounts, town):
    """经发办 held a criteria study in April; 规建办's is planned for December (not held yet);
    the town safety office is not a member unit."""
    office = DepartmentFactory(name="镇安委办", is_town_office=True)
    session(accounts, SessionKind.CRITERIA, 4, department=town["dept_a"])
    session(accounts, SessionKind.CRITERIA, 12, department=town["dept_b"])
    session(accounts, SessionKind.CRITERIA, 2, department=office)
    return {**town, "office": office}


def months(code, scope=None):
    result = {}
    for item in metric_get(code).items(scope=scope or Scope(), year=YEAR):
        result[item.covered_month] = result.get(item.covered_month, 0) + item.count
    return result


def uncovered_names(code, month, scope=None):
    queryset = metric_get(code).uncovered(scope=scope or Scope(), year=YEAR, month=month)
    return sorted(o.name for o in queryset)


# --- 主要负责人培训覆盖率 ---------------------------------------------------------------------


def test_principal_covered_by_attendance_or_by_the_assessment(principals):
    metric = metric_get("principal_training")
    assert metric.has_source
    assert months("principal_training") == {5: 1, 8: 1, None: 1}
    items = metric.items(scope=Scope(), year=YEAR)
    june = measure_of(metric, items, 6)
    assert (june.numerator, june.denominator) == (1, 3)
    assert uncovered_names("principal_training", 6) == ["丙仓储有限公司", "乙建设有限公司"]
    assert uncovered_names("principal_training", 11) == ["丙仓储有限公司"]
    # Last year nobody was covered.
    assert {i.covered_month for i in metric.items(scope=Scope(), year=YEAR - 1)} == {None}


def test_principal_training_by_department_and_village(principals):
    dept_a = Scope(department_id=principals["dept_a"].pk)
    assert months("principal_training", dept_a) == {5: 1, None: 1}
    village_b = Scope(village_id=principals["village_b"].pk)
    [item] = metric_get("principal_training").items(scope=village_b, year=YEAR)
    assert (item.department_id, item.covered_month, item.count) == (
        principals["dept_b"].pk,
        8,
        1,
    )


def test_a_new_principal_is_not_covered_by_the_old_ones_training(principals):
    ent_a = principals["ent_a"]
    ent_a.principal = PersonFactory(name="新厂长", employer=ent_a, is_principal=True)
    ent_a.save()
    assert months("principal_training") == {8: 1, None: 2}


# --- 监管人员年度培训率 -----------------------------------------------------------------------


def test_inspectors_covered_from_the_month_they_attended(inspectors):
    assert metric_get("inspector_training").has_source
    assert months("inspector_training") == {3: 1, None: 1}
    assert uncovered_names("inspector_training", 2) == ["王五", "陈监管"]
    assert uncovered_names("inspector_training", 11) == ["陈监管"]
    dept_a = Scope(department_id=inspectors["dept_a"].pk)
    assert months("inspector_training", dept_a) == {3: 1}
    # Inspectors belong to departments: a village has none.
    assert months("inspector_training", Scope(village_id=inspectors["village_a"].pk)) == {}


# --- 判定标准学习开展率 -----------------------------------------------------------------------


def test_criteria_study_counts_member_units_that_held_one(criteria):
    assert metric_get("criteria_study").has_source
    # 经发办 in April; 规建办's December session has not taken place; 镇安委办 is not counted.
    assert months("criteria_study") == {4: 1, None: 1}
    assert uncovered_names("criteria_study", 3) == ["经发办", "规建办"]
    assert uncovered_names("criteria_study", 11) == ["规建办"]
    assert months("criteria_study", Scope(department_id=criteria["dept_b"].pk)) == {None: 1}


# --- dashboard and drill-down ---------------------------------------------------------------


def test_dashboard_shows_the_session_figures(client, accounts, principals, inspectors, criteria):
    client.force_login(accounts[TOWN])
    response = client.get(reverse("coverage:dashboard"), {"year": YEAR, "month": 11})
    body = response.content.decode()
    assert "暂无数据" not in body
    figures = {f.metric.code: f.measure for f in response.context["figures"]}
    assert (figures["principal_training"].numerator, figures["principal_training"].denominator) == (
        2,
        3,
    )
    assert (figures["inspector_training"].numerator, figures["inspector_training"].denominator) == (
        1,
        2,
    )
    assert (figures["criteria_study"].numerator, figures["criteria_study"].denominator) == (1, 2)
    for label in ("主要负责人培训覆盖率", "监管人员年度培训率", "判定标准学习开展率"):
        assert label in body
    assert "2 / 3" in body and "66.7%" in body and "1 / 2" in body


def uncovered_url(code, month=11):
    return reverse("coverage:uncovered", args=[code]) + f"?year={YEAR}&month={month}"


def test_drill_down_lists_who_is_not_covered(client, accounts, principals, inspectors, criteria):
    client.force_login(accounts[TOWN])
    body = client.get(uncovered_url("principal_training", month=6)).content.decode()
    assert "丙仓储有限公司" in body and "乙建设有限公司" in body
    assert "甲机械有限公司" not in body and "丁商贸有限公司" not in body
    body = client.get(uncovered_url("inspector_training")).content.decode()
    assert "陈监管" in body and "王五" not in body
    body = client.get(uncovered_url("criteria_study")).content.decode()
    assert "规建办" in body and "镇安委办" not in body
    assert "暂无数据" not in body


def test_department_officer_drill_down_is_scoped(client, accounts, principals):
    client.force_login(accounts[DEPT])
    body = client.get(uncovered_url("principal_training", month=6)).content.decode()
    assert "丙仓储有限公司" in body
    assert "乙建设有限公司" not in body


@pytest.mark.parametrize("size", [2, 20])
@pytest.mark.parametrize("code", ["principal_training", "inspector_training", "criteria_study"])
def test_queries_do_not_grow(accounts, town, assessment, size, code, django_assert_max_num_queries):
    training = session(accounts, SessionKind.PRINCIPAL, 5)
    centralized = session(accounts, SessionKind.INSPECTORS, 6)
    for n in range(size):
        department = DepartmentFactory(name=f"成员单位{n}")
        ent = EnterpriseFactory(is_fire_key_unit=True, lead_department=department)
        ent.principal = PersonFactory(employer=ent, is_principal=True)
        ent.save()
        inspector = PersonFactory(employer=None, department=department, is_inspector=True)
        if n % 3 == 0:
            attend(training, ent.principal)
            attend(centralized, inspector)
        elif n % 3 == 1:
            passed(assessment, ent.principal, 1 + n % 10)
            session(accounts, SessionKind.CRITERIA, 1 + n % 10, department=department)
    metric = metric_get(code)
    with django_assert_max_num_queries(1):
        items = metric.items(scope=Scope(), year=YEAR)
    assert sum(i.count for i in items) >= size
    assert any(i.covered_month for i in items)
    with django_assert_max_num_queries(1):
        uncovered = list(metric.uncovered(scope=Scope(), year=YEAR, month=11))
    covered = sum(i.count for i in items if i.covered_month is not None)
    assert len(uncovered) == sum(i.count for i in items) - covered
