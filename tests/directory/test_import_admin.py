"""The back office import: upload, dry-run report, confirm; large files through a task."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from directory.constants import AccountRole
from directory.models import ImportJob, Person
from tests.directory.importing_helpers import PEOPLE_HEADERS, PEOPLE_TEMPLATE_HEADERS, write_xlsx
from tests.factories import id_number_make

pytestmark = pytest.mark.django_db


def upload(client, path, kind="people"):
    with open(path, "rb") as handle:
        data = {"kind": kind, "file": SimpleUploadedFile(path.name, handle.read())}
    return client.post(reverse("directory_imports:index"), data)


def people_file(tmp_path, town, n=3, bad=False):
    rows = [
        [
            f"员工{i}",
            id_number_make(900 + i),
            "",
            town["ent_a"].credit_code,
            "",
            "",
            "",
            "2020-01-01",
        ]
        for i in range(n)
    ]
    if bad:
        rows.append(["坏", "123", "", town["ent_a"].credit_code, "", "", "", ""])
    return write_xlsx(tmp_path / "people.xlsx", PEOPLE_HEADERS, rows)


def test_upload_shows_the_dry_run_then_confirm_writes(
    client, accounts, town, tmp_path, django_capture_on_commit_callbacks
):
    client.force_login(accounts[AccountRole.ENTERPRISE_MANAGER])
    before = Person.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, people_file(tmp_path, town))
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert job.status == ImportJob.Status.CHECKED
    assert Person.objects.count() == before

    page = client.get(reverse("directory_imports:job", args=[job.pk]))
    assert page.status_code == 200
    assert "2–4" in page.content.decode()  # the rows to create, by Excel row number
    assert reverse("directory_imports:confirm", args=[job.pk]) in page.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("directory_imports:confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert Person.objects.count() == before + 3

    # Confirming twice writes nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("directory_imports:confirm", args=[job.pk]))
    assert Person.objects.count() == before + 3


def test_a_file_with_a_bad_row_cannot_be_confirmed(
    client, accounts, town, tmp_path, django_capture_on_commit_callbacks
):
    client.force_login(accounts[AccountRole.TOWN_OFFICE])
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, people_file(tmp_path, town, bad=True))
    job = ImportJob.objects.get()
    page = client.get(reverse("directory_imports:job", args=[job.pk])).content.decode()
    assert "身份证号" in page
    assert reverse("directory_imports:confirm", args=[job.pk]) not in page
    before = Person.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("directory_imports:confirm", args=[job.pk]))
    assert Person.objects.count() == before
    job.refresh_from_db()
    assert job.status == ImportJob.Status.CHECKED


def test_large_files_go_through_the_task_with_progress(
    client, accounts, town, tmp_path, settings, django_capture_on_commit_callbacks
):
    settings.IMPORT_ASYNC_THRESHOLD = 2
    client.force_login(accounts[AccountRole.TOWN_OFFICE])
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        upload(client, people_file(tmp_path, town, n=5))
    assert callbacks  # the task was queued on commit, not inside the transaction
    job = ImportJob.objects.get()
    assert job.rows_total == 5 and job.status == ImportJob.Status.CHECKED
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("directory_imports:confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and job.rows_done == 5


def test_jobs_are_private_to_their_uploader(
    client, accounts, town, tmp_path, django_capture_on_commit_callbacks
):
    client.force_login(accounts[AccountRole.ENTERPRISE_MANAGER])
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, people_file(tmp_path, town))
    job = ImportJob.objects.get()
    client.force_login(accounts[AccountRole.DEPARTMENT_OFFICER])
    assert client.get(reverse("directory_imports:job", args=[job.pk])).status_code == 404
    assert client.post(reverse("directory_imports:confirm", args=[job.pk])).status_code == 404


@pytest.mark.parametrize("role", [AccountRole.VILLAGE_OFFICER, AccountRole.EDITOR])
def test_roles_without_import_rights_are_refused(client, accounts, role):
    client.force_login(accounts[role])
    assert client.get(reverse("directory_imports:index")).status_code in (302, 403)


def test_templates_carry_the_contract_headers(client, accounts):
    client.force_login(accounts[AccountRole.TOWN_OFFICE])
    response = client.get(reverse("directory_imports:template", args=["people", "xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [cell.value for cell in sheet[1]] == PEOPLE_TEMPLATE_HEADERS
    csv = client.get(reverse("directory_imports:template", args=["enterprises", "csv"])).content
    assert csv.startswith(b"\xef\xbb\xbf")
    assert csv.decode("utf-8-sig").splitlines()[0] == (
        "企业名称,统一社会信用代码,地址,所属村居,行业领域,牵头部门,从业人数,"
        "消防安全重点单位(是/否),涉及危险化学品(是/否),人员密集场所(是/否)"
    )
