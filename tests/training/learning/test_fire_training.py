"""公安部61号令 第三十六条: staff of fire-safety key units are trained in fire safety at least once
a year, staff of crowded places at least every half year, and new staff before starting work.
The ledger's fire-safety entries meet it; the 消防安全培训 list shows who owes it, scoped like
the other gap lists, with an XLSX export through the one path."""

import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from directory.constants import AccountRole
from directory.identifiers import id_number_mask
from directory.models import ExportLogEntry
from tests.export_helpers import export_get
from tests.factories import EnterpriseFactory, PersonFactory
from tests.factories.sessions import TrainingSessionFactory
from training.learning.models.ledger import TrainingTopic
from training.learning.models.requirements import TopicAudience, TopicTrainingRequirement
from training.learning.selectors import fire_training as ft
from training.learning.services.ledger import ledger_history_record
from training.models import SessionKind, StudyHourEntry
from training.sessions.services.attendance import attendance_mark, session_confirm

D = datetime.date
TODAY = D(2026, 11, 28)
TOWN = AccountRole.TOWN_OFFICE
DEPT = AccountRole.DEPARTMENT_OFFICER
MANAGER = AccountRole.ENTERPRISE_MANAGER


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 28, 12, tzinfo=datetime.UTC))


def duties(accounts, role=TOWN, today=TODAY):
    """name → {requirement's group → duty}."""
    found = {}
    for duty in ft.fire_training(user=accounts[role], today=today):
        found.setdefault(duty.person.name, {})[duty.requirement.applies_to] = duty
    return found


def gap_names(accounts, role=TOWN):
    return {duty.person.name for duty in ft.fire_training_gaps(user=accounts[role], today=TODAY)}


def fire(accounts, person, day, topic=TrainingTopic.FIRE_SAFETY):
    ledger_history_record(
        user=accounts[TOWN],
        person=person,
        training_name=f"消防安全培训{day}",
        hours=Decimal("2"),
        date=day,
        topic=topic,
    )


def flag(enterprise, **flags):
    for name, value in flags.items():
        setattr(enterprise, name, value)
    enterprise.save()
    return enterprise


def test_the_three_rows_of_article_36_are_seeded_as_data(db):
    """第三十六条's three duties are rows the town office may correct, each citing the article."""
    rows = {row.applies_to: row for row in TopicTrainingRequirement.objects.all()}
    assert set(rows) == set(TopicAudience.values)
    assert all(row.topic == TrainingTopic.FIRE_SAFETY for row in rows.values())
    assert all("第三十六条" in row.source for row in rows.values())
    assert rows[TopicAudience.FIRE_KEY_UNIT_STAFF].rule_label == "每年至少 1 次"
    assert rows[TopicAudience.CROWDED_PLACE_STAFF].rule_label == "每半年至少 1 次"
    assert rows[TopicAudience.NEW_STAFF].within_days_of_hire == 30


def test_key_unit_staff_owe_one_fire_training_a_year(accounts, town):
    """第三十六条: 消防安全重点单位对每名员工应当至少每年进行一次消防安全培训. Last year's training
    and general safety training do not count; one fire-safety training this year does."""
    flag(town["ent_a"], is_fire_key_unit=True)
    person = town["person_a"]
    fire(accounts, person, D(2025, 12, 20))
    fire(accounts, person, D(2026, 3, 1), topic=TrainingTopic.GENERAL)
    duty = duties(accounts)["张三"][TopicAudience.FIRE_KEY_UNIT_STAFF]
    assert not duty.met
    assert duty.deadline == D(2026, 12, 31)
    assert duty.reason == "2026年度未进行消防安全培训（每年至少 1 次），截止2026年12月31日"
    assert "张三" in gap_names(accounts)
    # Staff of an enterprise that is neither a key unit nor a crowded place owe nothing yearly.
    assert "李四" not in duties(accounts)
    fire(accounts, person, D(2026, 3, 2))
    duty = duties(accounts)["张三"][TopicAudience.FIRE_KEY_UNIT_STAFF]
    assert duty.met and duty.reason == "已于2026年3月2日培训"
    assert "张三" not in gap_names(accounts)


def test_crowded_place_staff_owe_it_every_half_year(accounts, town):
    """第三十六条: 公众聚集场所对员工的消防安全培训应当至少每半年进行一次. A training in January
    meets the first half only: in November the second half is owed."""
    flag(town["ent_b"], is_crowded_place=True)
    person = town["person_b"]
    fire(accounts, person, D(2026, 1, 15))
    in_may = duties(accounts, today=D(2026, 5, 1))["李四"][TopicAudience.CROWDED_PLACE_STAFF]
    assert in_may.met
    duty = duties(accounts)["李四"][TopicAudience.CROWDED_PLACE_STAFF]
    assert not duty.met
    assert (duty.start, duty.deadline) == (D(2026, 7, 1), D(2026, 12, 31))
    assert duty.period_label == "2026年下半年"
    assert "李四" in gap_names(accounts)
    fire(accounts, person, D(2026, 8, 3))
    assert duties(accounts)["李四"][TopicAudience.CROWDED_PLACE_STAFF].met


def test_a_new_hire_without_fire_training_within_the_window_is_a_gap(accounts, town):
    """第三十六条: 单位应当组织新上岗的员工进行上岗前的消防安全培训; the table allows 30 days from
    the hire date for it to be recorded. Past them with no training, the new hire is listed."""
    PersonFactory(name="新员工", employer=town["ent_a"], hire_date=D(2026, 10, 1))
    duty = duties(accounts)["新员工"][TopicAudience.NEW_STAFF]
    assert duty.state == ft.NOT_TRAINED and duty.deadline == D(2026, 10, 31)
    assert duty.reason == "入职后 30 天内未进行消防安全培训"
    assert "新员工" in gap_names(accounts)


def test_a_new_hire_within_the_window_is_shown_as_not_yet_due(accounts, town):
    """Within the 30 days the training may still come: listed, but not as missed."""
    PersonFactory(name="刚入职", employer=town["ent_a"], hire_date=D(2026, 11, 20))
    duty = duties(accounts)["刚入职"][TopicAudience.NEW_STAFF]
    assert duty.state == ft.NOT_YET_DUE
    assert duty.reason == "尚未培训，截止2026年12月20日"


def test_a_fire_training_after_the_window_is_late_and_one_within_meets_it(accounts, town):
    """Trained on day 45 after the hire: late (still on the list); on day 10: met."""
    late = PersonFactory(name="迟培训", employer=town["ent_a"], hire_date=D(2026, 9, 1))
    fire(accounts, late, D(2026, 10, 16))
    duty = duties(accounts)["迟培训"][TopicAudience.NEW_STAFF]
    assert duty.state == ft.LATE
    assert duty.reason == "培训迟于期限：首次培训于2026年10月16日，已超过入职后 30 天"
    assert "迟培训" in gap_names(accounts)
    on_time = PersonFactory(name="按时培训", employer=town["ent_a"], hire_date=D(2026, 9, 1))
    fire(accounts, on_time, D(2026, 9, 10))
    assert duties(accounts)["按时培训"][TopicAudience.NEW_STAFF].met
    # Staff hired more than a year ago are not new: no pre-job duty is judged for them.
    assert "张三" not in duties(accounts)


def test_a_fire_safety_session_credits_fire_training(accounts, town):
    """A session of the kind 消防安全培训 writes fire-safety ledger entries on confirmation."""
    flag(town["ent_a"], is_fire_key_unit=True)
    session = TrainingSessionFactory(
        kind=SessionKind.FIRE, organiser_department=town["dept_a"], invitees=[town["person_a"]]
    )
    officer = accounts[DEPT]
    row = session.attendances.get(person=town["person_a"])
    attendance_mark(user=officer, attendance=row, status="present")
    session_confirm(user=officer, session=session)
    entry = StudyHourEntry.objects.get(person=town["person_a"])
    assert entry.topic == TrainingTopic.FIRE_SAFETY
    assert duties(accounts)["张三"][TopicAudience.FIRE_KEY_UNIT_STAFF].met


def test_the_list_and_its_export_follow_the_scope(client, accounts, town):
    """A department sees its enterprises' staff only, an enterprise manager the own enterprise;
    the XLSX holds the same rows."""
    flag(town["ent_a"], is_fire_key_unit=True)
    flag(town["ent_b"], is_fire_key_unit=True)
    assert {"张三", "李四"} <= gap_names(accounts)
    for role in (DEPT, MANAGER):
        assert "张三" in gap_names(accounts, role) and "李四" not in gap_names(accounts, role)
        client.force_login(accounts[role])
        page = client.get(reverse("fire_training_gaps:index"))
        assert page.status_code == 200
        text = page.content.decode()
        assert "张三" in text and "李四" not in text
        response = export_get(client, reverse("fire_training_gaps:export"))
        assert response.status_code == 200
        rows = [[c.value for c in r] for r in load_workbook(io.BytesIO(response.getvalue())).active]
        assert rows[0] == ft.FIRE_TRAINING_COLUMNS
        assert {row[0] for row in rows[1:]} == {"张三"}
    client.force_login(accounts[AccountRole.LEARNER])
    assert export_get(client, reverse("fire_training_gaps:export")).status_code in (302, 403)


def test_the_export_masks_id_numbers_quotes_formulas_and_is_logged(client, accounts, town):
    """A village officer may not see whole ID numbers: the file holds them masked; a name that a
    spreadsheet would run as a formula is quoted; the export log has the file."""
    flag(town["ent_a"], is_fire_key_unit=True)
    PersonFactory(name="=HYPERLINK(1)", employer=town["ent_a"])
    client.force_login(accounts[AccountRole.VILLAGE_OFFICER])
    response = export_get(client, reverse("fire_training_gaps:export"))
    rows = [[c.value for c in r] for r in load_workbook(io.BytesIO(response.getvalue())).active]
    person = town["person_a"]
    (row,) = [row for row in rows if row[0] == "张三"]
    assert row[1] == id_number_mask(person.id_number) != person.id_number
    assert "'=HYPERLINK(1)" in {row[0] for row in rows}
    log = ExportLogEntry.objects.get(user=accounts[AccountRole.VILLAGE_OFFICER])
    assert log.rows == 2 and not log.personal_data and log.kind == "消防安全培训"


def test_the_list_filters_by_enterprise(client, accounts, town):
    flag(town["ent_a"], is_fire_key_unit=True)
    flag(town["ent_b"], is_fire_key_unit=True)
    client.force_login(accounts[TOWN])
    page = client.get(reverse("fire_training_gaps:index"), {"enterprise": town["ent_b"].pk})
    text = page.content.decode()
    assert "李四" in text and "张三" not in text


def test_the_selector_reads_three_queries_whatever_the_number_of_people(accounts, town):
    """The table, the people, their fire-safety entries: the same count for 2 or 40 people."""
    ent = EnterpriseFactory(is_fire_key_unit=True, is_crowded_place=True)
    counts = []
    for _round in range(2):
        for n in range(20):
            person = PersonFactory(employer=ent, hire_date=D(2026, 6, n + 1))
            StudyHourEntry.objects.create(
                person=person,
                source="imported",
                hours=Decimal("1"),
                date=D(2026, 6, n + 2),
                training_name="消防",
                topic=TrainingTopic.FIRE_SAFETY,
            )
        with CaptureQueriesContext(connection) as queries:
            found = ft.fire_training(user=accounts[TOWN], today=TODAY)
        counts.append(len(queries))
    assert len(found) == 40 * 3
    assert counts == [3, 3]


def test_the_town_office_corrects_a_row_and_the_list_follows(client, accounts, town):
    """The table is data: the town office changes the pre-job days in the back office (others
    only read it), and a training on day 40 after the hire then meets the duty."""
    hired = PersonFactory(name="新员工", employer=town["ent_a"], hire_date=D(2026, 9, 1))
    fire(accounts, hired, D(2026, 10, 11))
    assert duties(accounts)["新员工"][TopicAudience.NEW_STAFF].state == ft.LATE
    row = TopicTrainingRequirement.objects.get(applies_to=TopicAudience.NEW_STAFF)
    url = reverse("topic_training_requirements:edit", args=[row.pk])
    data = {
        "topic": row.topic,
        "applies_to": row.applies_to,
        "period": "",
        "times": "1",
        "within_days_of_hire": "45",
        "source": row.source,
        "note": row.note,
    }
    client.force_login(accounts[MANAGER])
    assert client.get(reverse("topic_training_requirements:index")).status_code == 200
    assert client.post(url, data).status_code in (302, 403, 404)
    row.refresh_from_db()
    assert row.within_days_of_hire == 30
    client.force_login(accounts[TOWN])
    page = client.post(url, {**data, "period": "year"})
    assert "周期与入职后天数须填写其一，且只能填写其一。" in page.content.decode()
    assert client.post(url, data).status_code == 302
    assert duties(accounts)["新员工"][TopicAudience.NEW_STAFF].met


def test_imported_history_names_its_topic_and_an_unknown_one_is_refused(accounts, town, tmp_path):
    """The training-records import's 培训专题: 消防安全培训 rows meet the duty; an unknown word is
    refused naming the column and the words allowed, and nothing is written."""
    from directory.importing.services import import_file
    from tests.directory.importing_helpers import write_xlsx

    flag(town["ent_a"], is_fire_key_unit=True)
    person = town["person_a"]
    headers = [
        "姓名",
        "身份证号",
        "培训名称",
        "培训类型",
        "学时",
        "培训日期",
        "培训机构",
        "培训专题",
    ]
    good = [
        person.name,
        person.id_number,
        "消防安全知识培训",
        "",
        "2",
        "2026-04-01",
        "",
        "消防安全培训",
    ]
    bad = [*good[:2], "灭火器使用", *good[3:7], "灭火"]
    report = import_file(
        kind="training_records",
        path=write_xlsx(tmp_path / "a.xlsx", headers, [good, bad]),
        dry_run=False,
    )
    assert not report.written
    (row,) = report.error_rows
    assert row.row == 3 and row.errors[0].startswith("培训专题：")
    assert "一般安全培训、消防安全培训" in row.errors[0]
    assert "张三" in gap_names(accounts)
    report = import_file(
        kind="training_records",
        path=write_xlsx(tmp_path / "b.xlsx", headers, [good]),
        dry_run=False,
    )
    assert report.written
    assert StudyHourEntry.objects.get(person=person).topic == TrainingTopic.FIRE_SAFETY
    assert "张三" not in gap_names(accounts)


def test_an_entry_by_hand_in_the_back_office_may_be_fire_safety(client, accounts, town):
    """学时台账 → 添加: the manager records a past fire-safety training; it meets the duty."""
    flag(town["ent_a"], is_fire_key_unit=True)
    client.force_login(accounts[MANAGER])
    page = client.get(reverse("study_hours:add"))
    assert "培训专题" in page.content.decode()
    response = client.post(
        reverse("study_hours:add"),
        {
            "id_number": town["person_a"].id_number,
            "training_name": "消防演练及灭火器使用培训",
            "training_type": "",
            "topic": TrainingTopic.FIRE_SAFETY,
            "level": "",
            "hours": "2",
            "date": "2026-06-01",
            "organisation": "",
        },
    )
    assert response.status_code == 302
    assert StudyHourEntry.objects.get(person=town["person_a"]).topic == TrainingTopic.FIRE_SAFETY
    assert "张三" not in gap_names(accounts, MANAGER)


def test_imported_history_names_its_three_level_training(accounts, town, tmp_path):
    """The import's optional 培训层级 (厂级 / 车间级 / 班组级, 第十二条) lands on the ledger row, so
    the person's file shows it under 三级安全教育; an unknown word is refused, nothing written."""
    from directory.importing.services import import_file
    from tests.directory.importing_helpers import write_xlsx
    from training.learning.models.ledger import TrainingLevel

    person = town["person_a"]
    headers = ["姓名", "身份证号", "培训名称", "学时", "培训日期", "培训层级"]
    rows = [
        [person.name, person.id_number, "入厂安全教育", "24", "2026-03-02", "厂级"],
        [person.name, person.id_number, "车间安全教育", "24", "2026-03-05", "车间级"],
        [person.name, person.id_number, "班组安全教育", "24", "2026-03-09", "班组"],
        [person.name, person.id_number, "年度再培训", "8", "2026-06-01", ""],
    ]
    bad = [person.name, person.id_number, "岗前教育", "8", "2026-03-10", "部门级"]
    report = import_file(
        kind="training_records",
        path=write_xlsx(tmp_path / "a.xlsx", headers, [*rows, bad]),
        dry_run=False,
    )
    assert not report.written and not StudyHourEntry.objects.exists()
    (row,) = report.error_rows
    assert row.row == 6 and row.errors[0].startswith("培训层级：")
    assert "厂级、车间级、班组级" in row.errors[0]
    report = import_file(
        kind="training_records", path=write_xlsx(tmp_path / "b.xlsx", headers, rows), dry_run=False
    )
    assert report.written
    levels = dict(StudyHourEntry.objects.values_list("training_name", "level"))
    assert levels == {
        "入厂安全教育": TrainingLevel.PLANT,
        "车间安全教育": TrainingLevel.WORKSHOP,
        "班组安全教育": TrainingLevel.TEAM,
        "年度再培训": "",
    }
