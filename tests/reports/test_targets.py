"""Targets: the plan's seeded targets, which one applies to a scope on a day, the model's checks,
exemplary enterprises counted per department, and the scoped back-office screens."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from directory.constants import AccountRole
from reports.metrics import Scope
from reports.models import ExemplaryEnterprise, Target
from reports.selectors.coverage import TargetBook, dashboard_figures
from reports.services.targets import target_save
from tests.factories import EnterpriseFactory

TOWN = AccountRole.TOWN_OFFICE
DEPT = AccountRole.DEPARTMENT_OFFICER
VILLAGE = AccountRole.VILLAGE_OFFICER


def test_plan_targets_are_seeded_for_each_plan_year(db):
    """regulations.md §8: full coverage by 31 December of each plan year (items 9, 19, 20, 21,
    26); criteria study by end-2024 only (item 10); 2 exemplary enterprises per department."""
    for year in (2024, 2025, 2026):
        year_end = Target.objects.get(
            metric="drill_coverage", scope="town", deadline=datetime.date(year, 12, 31)
        )
        assert (year_end.target_percent, year_end.source) == (100, "plan")
        assert Target.objects.filter(year=year, target_percent=100).count() == (
            7 if year == 2024 else 6
        )
    assert list(Target.objects.filter(metric="criteria_study").values_list("year", flat=True)) == [
        2024
    ]
    exemplary = Target.objects.get(metric="exemplary_enterprises", year=2024)
    assert (exemplary.target_count, exemplary.deadline) == (2, datetime.date(2024, 12, 31))


def test_the_plan_has_no_mid_year_milestone(db):
    """regulations.md §8: the plan sets no "80% by 30 June"; every seeded row is the plan's."""
    assert not Target.objects.filter(deadline__month=6).exists()
    assert set(Target.objects.values_list("source", flat=True)) == {"plan"}


def test_invented_plan_rows_are_deleted_if_untouched_else_kept_as_local(db):
    """regulations.md §8: rows once seeded under the plan's name but not in it are removed when
    nobody changed them; an edited one stays, labelled as a local target."""
    from reports.plan import NOTE, plan_targets_correct

    untouched = Target.objects.create(
        metric="drill_coverage", year=2026, target_percent=80, note=NOTE, source="plan",
        deadline=datetime.date(2026, 6, 30),
    )  # fmt: skip
    edited = Target.objects.create(
        metric="training_hours", year=2026, target_percent=70, note=NOTE, source="plan",
        deadline=datetime.date(2026, 6, 30),
    )  # fmt: skip
    study = Target.objects.create(
        metric="criteria_study", year=2025, target_percent=100, note=NOTE, source="plan",
        deadline=datetime.date(2025, 12, 31),
    )  # fmt: skip
    assert plan_targets_correct(Target) == (2, 1)
    assert not Target.objects.filter(pk__in=[untouched.pk, study.pk]).exists()
    edited.refresh_from_db()
    assert (edited.source, edited.target_percent, edited.note) == ("local", 70, "")
    assert Target.objects.filter(metric="drill_coverage", year=2026, source="plan").count() == 1


def test_the_next_deadline_applies_then_the_last(db):
    Target.objects.create(
        metric="drill_coverage",
        year=2026,
        target_percent=80,
        deadline=datetime.date(2026, 6, 30),
        note="本镇年中节点",
    )  # a local milestone the town office adds: source defaults to local

    def applying(day):
        return TargetBook(2026, day).applying("drill_coverage", Scope())

    assert applying(datetime.date(2026, 3, 1)).target_percent == 80
    assert applying(datetime.date(2026, 3, 1)).source == "local"
    assert applying(datetime.date(2026, 7, 1)).target_percent == 100
    assert applying(datetime.date(2027, 2, 1)).deadline == datetime.date(2026, 12, 31)


def test_a_unit_target_overrides_the_town_one(town):
    Target.objects.create(
        metric="drill_coverage",
        year=2026,
        scope="department",
        department=town["dept_a"],
        target_percent=90,
        deadline=datetime.date(2026, 10, 31),
    )
    book = TargetBook(2026, datetime.date(2026, 9, 1))
    assert book.applying("drill_coverage", Scope(department_id=town["dept_a"].pk)).value == 90
    assert book.applying("drill_coverage", Scope(department_id=town["dept_b"].pk)).value == 100
    assert book.applying("drill_coverage", Scope()).value == 100


def test_model_checks_speak_chinese(town):
    target = Target(
        metric="drill_coverage", year=2026, scope="department", deadline=datetime.date(2025, 1, 1)
    )
    with pytest.raises(ValidationError) as caught:
        target.full_clean()
    errors = caught.value.message_dict
    assert errors["deadline"] == ["截止日期必须在目标年度内。"]
    assert errors["department"] == ["请选择目标所针对的部门。"]
    assert errors["target_percent"] == ["比率指标需要填写目标百分比。"]


def test_only_the_town_office_saves_targets(accounts):
    target = Target(
        metric="drill_coverage", year=2027, target_percent=100, deadline=datetime.date(2027, 12, 31)
    )
    with pytest.raises(PermissionDenied):
        target_save(user=accounts[DEPT], target=target)
    target_save(user=accounts[TOWN], target=target)
    assert target.pk


def test_exemplary_enterprises_counted_against_two_per_department(town):
    second = EnterpriseFactory(lead_department=town["dept_a"])
    ExemplaryEnterprise.objects.create(
        enterprise=town["ent_a"], year=2024, named_on=datetime.date(2024, 5, 1)
    )
    ExemplaryEnterprise.objects.create(
        enterprise=second, year=2025, named_on=datetime.date(2025, 3, 1)
    )
    figures = dashboard_figures(
        scope=Scope(), year=2025, month=12, today=datetime.date(2025, 12, 1)
    )
    exemplary = next(f for f in figures if f.metric.code == "exemplary_enterprises")
    assert exemplary.measure.numerator == 2
    # The target is per department: no gap for the whole town.
    assert exemplary.target_per_department and exemplary.gap is None
    rows = {r.pk: r for r in exemplary.rankings["department"]}
    assert (rows[town["dept_a"].pk].measure.numerator, rows[town["dept_a"].pk].gap) == (2, 0)
    in_2024 = dashboard_figures(
        scope=Scope(department_id=town["dept_a"].pk),
        year=2024,
        month=12,
        today=datetime.date(2024, 12, 1),
    )
    exemplary_2024 = next(f for f in in_2024 if f.metric.code == "exemplary_enterprises")
    assert (exemplary_2024.measure.numerator, exemplary_2024.gap) == (1, 1)


# --- back office ---------------------------------------------------------------------------


@pytest.fixture
def unit_targets(town):
    return {
        key: Target.objects.create(
            metric="drill_coverage",
            year=2026,
            scope=kind,
            target_percent=95,
            deadline=datetime.date(2026, 9, 30),
            **{kind: town[key]},
        )
        for key, kind in (("dept_b", "department"), ("village_b", "village"))
    }


@pytest.mark.parametrize("role, sees_b", [(TOWN, True), (DEPT, False), (VILLAGE, False)])
def test_target_list_is_scoped(client, accounts, unit_targets, role, sees_b):
    client.force_login(accounts[role])
    response = client.get(reverse("coverage_targets:index") + "?year=2026")
    assert response.status_code == 200
    body = response.content.decode()
    assert ("规建办" in body) is sees_b
    assert ("金云村" in body) is sees_b


@pytest.mark.parametrize("role, status", [(TOWN, 200), (DEPT, 302), (VILLAGE, 302)])
def test_only_the_town_office_adds_targets(client, accounts, role, status):
    client.force_login(accounts[role])
    assert client.get(reverse("coverage_targets:add")).status_code == status


def test_town_office_adds_a_target_through_the_form(client, accounts, town):
    client.force_login(accounts[TOWN])
    response = client.post(
        reverse("coverage_targets:add"),
        {
            "metric": "drill_coverage",
            "year": "2027",
            "scope": "village",
            "village": town["village_a"].pk,
            "target_percent": "90",
            "deadline": "2027-09-30",
        },
    )
    assert response.status_code == 302
    target = Target.objects.get(year=2027, scope="village")
    assert (target.village, target.target_percent) == (town["village_a"], 90)
