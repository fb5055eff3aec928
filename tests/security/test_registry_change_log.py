"""Every change to the registry leaves a line in its change log, however it is made: an import
(web, command or worker), a back-office form, a service. A person moved to another employer by
import sees the move in 一人一档 and in their own data download."""

import io

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from directory.constants import AccountRole
from directory.demo import id_number_make
from directory.importing.services import import_file
from directory.models import Enterprise, Person, RegistryLogEntry
from directory.services import account_person_set
from tests.directory.importing_helpers import ENTERPRISE_HEADERS, PEOPLE_HEADERS, write_xlsx
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _log_of(instance) -> list[RegistryLogEntry]:
    return list(
        RegistryLogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(type(instance)),
            object_id=str(instance.pk),
        ).order_by("timestamp", "pk")
    )


def _person_row(person, credit_code, *, phone=None):
    return [
        person.name,
        person.id_number,
        person.phone if phone is None else phone,
        credit_code,
        "一般从业人员",
        "",
        person.post,
        person.hire_date.isoformat(),
    ]


def _enterprise_row(enterprise, *, address=None):
    return [
        enterprise.name,
        enterprise.credit_code,
        enterprise.address if address is None else address,
        enterprise.village.name,
        enterprise.industry.name,
        enterprise.lead_department.name,
        enterprise.headcount,
        "否",
        "否",
        "否",
    ]


@pytest.fixture
def moved(town, accounts, tmp_path):
    """张三 (account "learner") moved from 甲机械 to 乙建设 by the town office's import."""
    person = town["person_a"]
    path = write_xlsx(
        tmp_path / "p.xlsx", PEOPLE_HEADERS, [_person_row(person, town["ent_b"].credit_code)]
    )
    report = import_file(
        kind="people", path=path, viewer=accounts[AccountRole.TOWN_OFFICE], dry_run=False
    )
    assert report.written and report.counts["update"] == 1, report.lines()
    person.refresh_from_db()
    assert person.employer == town["ent_b"]
    return person


def test_an_import_move_is_logged_with_the_old_and_the_new_employer(moved, town, accounts):
    [entry] = _log_of(moved)
    assert entry.action == "wagtail.edit"
    assert entry.user == accounts[AccountRole.TOWN_OFFICE]
    assert entry.data["source"] == "import"
    employer = entry.data["changes"]["employer"]
    assert employer["old"] == town["ent_a"].pk and employer["new"] == town["ent_b"].pk
    assert employer["old_name"] == "甲机械有限公司" and employer["new_name"] == "乙建设有限公司"
    # Only what changed: the row repeated every other value.
    assert set(entry.data["changes"]) == {"employer"}


def test_the_move_is_in_the_persons_own_data_download(moved, client, accounts):
    client.force_login(accounts[AccountRole.LEARNER])
    data = client.get(reverse("directory:my_data")).json()
    moves = [
        entry["data"]["changes"]["employer"]
        for entry in data["registry_history"]
        if "employer" in entry["data"].get("changes", {})
    ]
    assert [(m["old_name"], m["new_name"]) for m in moves] == [("甲机械有限公司", "乙建设有限公司")]


def test_the_move_is_on_the_persons_record_page(moved, client, accounts):
    client.force_login(accounts[AccountRole.LEARNER])
    html = client.get(reverse("dossiers:person", args=[moved.pk])).content.decode()
    assert "任职单位变动" in html
    history = html[html.index("任职单位变动") :]
    assert "甲机械有限公司" in history and "乙建设有限公司" in history and "导入" in history


def test_the_move_is_in_the_printed_record(moved, client, accounts):
    client.force_login(accounts[AccountRole.LEARNER])
    response = client.get(reverse("dossiers:person_pdf", args=[moved.pk]))
    assert response.status_code == 200
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    history = text[text.index("任职单位变动") :]
    assert "甲机械有限公司" in history and "乙建设有限公司" in history


def test_an_unchanged_row_imported_again_logs_nothing(moved, town, tmp_path):
    path = write_xlsx(
        tmp_path / "again.xlsx", PEOPLE_HEADERS, [_person_row(moved, town["ent_b"].credit_code)]
    )
    before = RegistryLogEntry.objects.count()
    report = import_file(kind="people", path=path, dry_run=False)
    assert report.written and report.counts["skip"] == 1
    assert RegistryLogEntry.objects.count() == before


def test_a_dry_run_or_a_rejected_file_logs_nothing(town, tmp_path):
    person = town["person_a"]
    good = _person_row(person, town["ent_b"].credit_code)
    bad = ["坏人", "123", "", town["ent_b"].credit_code, "", "", "", ""]
    path = write_xlsx(tmp_path / "p.xlsx", PEOPLE_HEADERS, [good, bad])
    assert not import_file(kind="people", path=path, dry_run=False).written
    assert import_file(kind="people", path=path, dry_run=True).counts["update"] == 1
    assert not RegistryLogEntry.objects.exists()
    person.refresh_from_db()
    assert person.employer == town["ent_a"]


def test_an_enterprise_changed_by_the_import_command_is_logged(town, tmp_path):
    ent = town["ent_a"]
    old_address = ent.address
    path = write_xlsx(
        tmp_path / "e.xlsx", ENTERPRISE_HEADERS, [_enterprise_row(ent, address="徐泾镇华徐公路1号")]
    )
    call_command("import_data", "enterprises", str(path))
    [entry] = _log_of(ent)
    assert entry.data["source"] == "import" and entry.user is None
    assert entry.data["changes"]["address"]["old"] == old_address
    assert entry.data["changes"]["address"]["new"] == "徐泾镇华徐公路1号"


def test_people_created_by_import_are_logged_in_one_batch_with_their_employer(town, tmp_path):
    code = town["ent_a"].credit_code
    rows = [[f"新员工{i}", id_number_make(700 + i), "", code, "", "", "", ""] for i in range(30)]
    report = import_file(
        kind="people", path=write_xlsx(tmp_path / "n.xlsx", PEOPLE_HEADERS, rows), dry_run=False
    )
    assert report.written and report.counts["new"] == 30
    created = Person.objects.filter(name__startswith="新员工")
    entries = RegistryLogEntry.objects.filter(
        object_id__in=[str(pk) for pk in created.values_list("pk", flat=True)]
    )
    assert entries.count() == 30
    assert {e.action for e in entries} == {"wagtail.create"}
    assert len({e.uuid for e in entries}) == 1  # one batch, one bulk insert
    assert {e.data["changes"]["employer"]["new_name"] for e in entries} == {"甲机械有限公司"}


def test_a_phone_change_is_logged_masked(town, tmp_path):
    person = town["person_a"]
    path = write_xlsx(
        tmp_path / "p.xlsx",
        PEOPLE_HEADERS,
        [_person_row(person, town["ent_a"].credit_code, phone="13700001111")],
    )
    assert import_file(kind="people", path=path, dry_run=False).written
    [entry] = _log_of(person)
    phone = entry.data["changes"]["phone"]
    assert "13812345678" not in str(entry.data) and "13700001111" not in str(entry.data)
    assert phone["old"].startswith("138") and phone["new"].startswith("137")


def test_a_service_write_is_logged(town, accounts):
    person = town["person_b"]
    account = UserFactory(username="lisi", role=AccountRole.LEARNER)
    town_office = accounts[AccountRole.TOWN_OFFICE]
    account_person_set(account=account, person=person, by=town_office)
    [entry] = _log_of(person)
    assert entry.data["source"] == "service" and entry.user == town_office
    assert entry.data["changes"]["account"]["new_name"] == "lisi"
    # Tying the account to someone else unties the first person: both are logged.
    account_person_set(account=account, person=town["inspector_a"])
    [_, untied] = _log_of(person)
    assert untied.data["changes"]["account"]["old_name"] == "lisi"
    assert untied.data["changes"]["account"]["new"] is None


def test_a_back_office_move_is_logged_with_its_fields_and_shows_on_the_record(
    client, accounts, town
):
    from tests.directory.test_admin_registry import form_data, url

    person = town["person_a"]
    client.force_login(accounts[AccountRole.TOWN_OFFICE])
    page = client.get(url("registry_people", "edit", person.pk))
    response = client.post(
        url("registry_people", "edit", person.pk),
        form_data(page, employer=str(town["ent_b"].pk)),
    )
    assert response.status_code == 302
    [entry] = _log_of(person)
    assert entry.data["source"] == "form" and entry.user == accounts[AccountRole.TOWN_OFFICE]
    assert entry.data["changes"]["employer"]["new_name"] == "乙建设有限公司"
    html = client.get(reverse("dossiers:person", args=[person.pk])).content.decode()
    history = html[html.index("任职单位变动") :]
    assert "甲机械有限公司" in history and "管理后台" in history
    # Saving again without a change writes no second line.
    page = client.get(url("registry_people", "edit", person.pk))
    client.post(url("registry_people", "edit", person.pk), form_data(page))
    assert len(_log_of(person)) == 1
    assert Enterprise.objects.count() == 2


def test_the_back_office_history_lists_import_lines(moved, client, accounts):
    client.force_login(accounts[AccountRole.TOWN_OFFICE])
    history = client.get(reverse("registry_people:history", args=[moved.pk]))
    assert history.status_code == 200
    rows = history.content.decode().rsplit("<tbody", 1)[1]
    assert "已编辑" in rows and "town" in rows  # the import's line, by the uploader
    report = client.get(reverse("wagtailadmin_reports:site_history"))
    assert report.status_code == 200 and "张三" in report.content.decode()


def test_a_form_that_changes_only_many_to_many_links_is_logged(client, accounts, town):
    from tests.directory.test_admin_registry import form_data, url
    from tests.factories import IndustryFactory

    dept = town["dept_a"]
    chemicals = IndustryFactory(name="危险化学品")
    client.force_login(accounts[AccountRole.TOWN_OFFICE])
    page = client.get(url("registry_departments", "edit", dept.pk))
    response = client.post(
        url("registry_departments", "edit", dept.pk),
        form_data(page, industries=[str(chemicals.pk)]),
    )
    assert response.status_code == 302
    [entry] = _log_of(dept)
    industries = entry.data["changes"]["industries"]
    assert industries["new"] == [chemicals.pk] and industries["new_name"] == "危险化学品"
