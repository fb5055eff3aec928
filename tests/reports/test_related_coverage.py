"""Coverage with related units: a host enterprise's figures include the people attached to it,
a contractor's still include its employees, and the town's, a department's and a village's count
each person once (at the employer's units). Figures worked out by hand on a small town."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from directory.constants import AccountRole, EmploymentType
from directory.models import RelationKind
from directory.relations.services import attachment_end, attachment_record, relation_record
from reports.metrics import Scope, metric_get
from reports.selectors.coverage import measure_of
from tests.factories import EnterpriseFactory, PersonFactory
from training.learning.services.ledger import ledger_history_record

YEAR = 2026
TODAY = datetime.date(YEAR, 11, 20)
START = datetime.date(YEAR, 1, 1)


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(timezone.make_aware(datetime.datetime.combine(TODAY, datetime.time(12))))


def credit(user, person, hours: str):
    ledger_history_record(
        user=user,
        person=person,
        training_name="安全培训",
        hours=Decimal(hours),
        date=datetime.date(YEAR, 6, 1),
    )


@pytest.fixture
def related(town, accounts):
    """Host 甲 (dept a, village a) with two contractors: 乙 (dept b, village b) and 丙 (dept a,
    village a, the host's own units).

    People (each general worker owes 8 hours; covered = 8 hours credited):
      张三  甲's employee                                   covered
      李四  乙's employee, attached to 甲                    not covered
      孙八  乙's employee, not attached                      not covered
      钱七  丙's employee, attached to 甲                    covered
      吴十  丙's employee, attachment to 甲 ended yesterday  not covered
      周九  flexible worker without employer, attached to 甲  covered
    """
    town_office = accounts[AccountRole.TOWN_OFFICE]
    host, b = town["ent_a"], town["ent_b"]
    c = EnterpriseFactory(
        name="丙安装有限公司",
        village=town["village_a"],
        industry=town["industry"],
        lead_department=town["dept_a"],
    )
    people = {
        "张三": town["person_a"],
        "李四": town["person_b"],
        "孙八": PersonFactory(name="孙八", employer=b),
        "钱七": PersonFactory(name="钱七", employer=c),
        "吴十": PersonFactory(name="吴十", employer=c),
        "周九": PersonFactory(name="周九", employer=None, employment_type=EmploymentType.FLEXIBLE),
    }
    for name in ("张三", "钱七", "周九"):
        credit(town_office, people[name], "8")
    for unit in (b, c):
        relation_record(
            user=None, host=host, unit=unit, kind=RelationKind.CONTRACTOR, starts_on=START
        )
    for name in ("李四", "钱七", "吴十", "周九"):
        attachment_record(user=None, person=people[name], host=host, starts_on=START)
    ended = people["吴十"].attachments.get()
    attachment_end(user=None, attachment=ended, ends_on=TODAY - datetime.timedelta(days=1))
    return {"host": host, "b": b, "c": c, **people}


def figure(scope: Scope, code: str = "training_hours") -> tuple[int, int]:
    metric = metric_get(code)
    measure = measure_of(metric, metric.items(scope=scope, year=YEAR), 11)
    return measure.numerator, measure.denominator


def test_each_enterprise_counts_whoever_works_for_it(related):
    # 甲: 张三, 李四, 钱七, 周九 (吴十's attachment has ended) — 3 covered of 4.
    assert figure(Scope(enterprise_id=related["host"].pk)) == (3, 4)
    # 乙: its employees 李四 and 孙八, attached elsewhere or not — 0 of 2.
    assert figure(Scope(enterprise_id=related["b"].pk)) == (0, 2)
    # 丙: 钱七 and 吴十 — 1 of 2.
    assert figure(Scope(enterprise_id=related["c"].pk)) == (1, 2)


def test_the_town_and_its_units_count_each_person_once(related, town):
    # Six people, each once: 张三, 钱七, 周九 covered.
    assert figure(Scope()) == (3, 6)
    # Dept a / village a: 张三, 钱七, 吴十 (employers 甲 and 丙) and 周九 (no employer: at 甲).
    assert figure(Scope(department_id=town["dept_a"].pk)) == (3, 4)
    assert figure(Scope(village_id=town["village_a"].pk)) == (3, 4)
    # Dept b / village b: 李四 and 孙八, at their employer 乙 only.
    assert figure(Scope(department_id=town["dept_b"].pk)) == (0, 2)
    assert figure(Scope(village_id=town["village_b"].pk)) == (0, 2)


def test_the_per_enterprise_grouping_includes_attached_people(related):
    metric = metric_get("training_hours")
    totals: dict[int, list[int]] = {}
    for enterprise_id, covered, count in metric.enterprise_items(scope=Scope(), year=YEAR):
        row = totals.setdefault(enterprise_id, [0, 0])
        row[1] += count
        if covered is not None and covered <= 11:
            row[0] += count
    assert totals == {
        related["host"].pk: [3, 4],
        related["b"].pk: [0, 2],
        related["c"].pk: [1, 2],
    }


def test_the_uncovered_list_of_the_host_names_its_attached_people(related):
    metric = metric_get("training_hours")
    short = metric.uncovered(scope=Scope(enterprise_id=related["host"].pk), year=YEAR, month=11)
    assert sorted(short.values_list("name", flat=True)) == ["李四"]


def test_an_ended_attachment_no_longer_counts_at_the_host(related):
    attachment = related["李四"].attachments.get()
    attachment_end(user=None, attachment=attachment, ends_on=TODAY - datetime.timedelta(days=1))
    assert figure(Scope(enterprise_id=related["host"].pk)) == (3, 3)
    assert figure(Scope(enterprise_id=related["b"].pk)) == (0, 2)
    assert figure(Scope()) == (3, 6)


def test_certificate_metrics_count_attached_people_too(related, town):
    related["李四"].is_special_operator = True
    related["李四"].save()
    code = "special_operator_certified"
    assert figure(Scope(enterprise_id=related["host"].pk), code) == (0, 1)
    assert figure(Scope(enterprise_id=related["b"].pk), code) == (0, 1)
    assert figure(Scope(), code) == (0, 1)
    assert figure(Scope(department_id=town["dept_a"].pk), code) == (0, 0)


def test_imported_relations_and_attachments_give_the_same_figures(town, accounts, tmp_path):
    """The worked example again, its relations and attachments imported from the templates."""
    from django.core.management import call_command

    from tests.directory.importing_helpers import write_xlsx

    town_office = accounts[AccountRole.TOWN_OFFICE]
    host, b = town["ent_a"], town["ent_b"]
    c = EnterpriseFactory(
        name="丙安装有限公司",
        village=town["village_a"],
        industry=town["industry"],
        lead_department=town["dept_a"],
    )
    qian = PersonFactory(name="钱七", employer=c)
    wu = PersonFactory(name="吴十", employer=c)
    zhou = PersonFactory(name="周九", employer=None, employment_type=EmploymentType.FLEXIBLE)
    PersonFactory(name="孙八", employer=b)
    for person in (town["person_a"], qian, zhou):
        credit(town_office, person, "8")
    relations = write_xlsx(
        tmp_path / "relations.xlsx",
        [
            "企业统一社会信用代码",
            "关联单位统一社会信用代码",
            "关系类型",
            "开始日期",
            "结束日期",
            "作业场所",
        ],
        [
            [host.credit_code, b.credit_code, "承包商", START, None, "二号车间"],
            [host.credit_code, c.credit_code, "外包单位", "2026-01-01", "", ""],
        ],
    )
    call_command("import_data", "relations", str(relations))
    yesterday = TODAY - datetime.timedelta(days=1)
    attachments = write_xlsx(
        tmp_path / "attachments.xlsx",
        ["姓名", "身份证号", "用工企业统一社会信用代码", "开始日期", "结束日期"],
        [
            ["李四", town["person_b"].id_number, host.credit_code, "2026-01-01", ""],
            ["钱七", qian.id_number, host.credit_code, "2026-01-01", ""],
            ["吴十", wu.id_number, host.credit_code, "2026-01-01", yesterday.isoformat()],
            ["周九", zhou.id_number, host.credit_code, "2026-01-01", ""],
        ],
    )
    call_command("import_data", "attachments", str(attachments))
    assert figure(Scope(enterprise_id=host.pk)) == (3, 4)
    assert figure(Scope(enterprise_id=b.pk)) == (0, 2)
    assert figure(Scope(enterprise_id=c.pk)) == (1, 2)
    assert figure(Scope()) == (3, 6)
    assert figure(Scope(department_id=town["dept_a"].pk)) == (3, 4)
    assert figure(Scope(department_id=town["dept_b"].pk)) == (0, 2)
