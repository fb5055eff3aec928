"""Batch printing of an enterprise's files: one PDF joining each file (each with its own pages),
a ZIP of one PDF per person, who may ask for which people, the masking as the requester saw it,
the download through the export path, and the rendering in parts (memory flat)."""

import io
import zipfile

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from directory.constants import AccountRole
from directory.files import private_storage
from directory.identifiers import id_number_mask
from directory.models import ExportLogEntry
from dossiers.batch import services
from dossiers.batch.services import dossier_batch_create, dossier_batch_process
from dossiers.models import DossierBatch, DossierBatchItem
from dossiers.person.pdf import person_dossier_pdf
from dossiers.person.selectors import person_dossier
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db
TOWN = AccountRole.TOWN_OFFICE
DEPT = AccountRole.DEPARTMENT_OFFICER
VILLAGE = AccountRole.VILLAGE_OFFICER
MANAGER = AccountRole.ENTERPRISE_MANAGER


@pytest.fixture
def create(django_capture_on_commit_callbacks):
    """Ask for a batch and run what is queued on commit (the task, eagerly in tests)."""

    def run(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            batch = dossier_batch_create(**kwargs)
        batch.refresh_from_db()
        return batch

    return run


@pytest.fixture
def staff(town):
    """张三 and three more people of enterprise a, one with a name no file system takes."""
    extra = [PersonFactory(name=name, employer=town["ent_a"]) for name in ("王/五", "赵六", "孙七")]
    return [town["person_a"], *extra]


def _read(batch: DossierBatch) -> bytes:
    with batch.file.open("rb") as handle:
        return handle.read()


def _pages(person, viewer) -> int:
    dossier = person_dossier(person=person, viewer=viewer, today=timezone.localdate())
    return len(PdfReader(io.BytesIO(person_dossier_pdf(dossier))).pages)


def test_one_pdf_joins_every_file_with_its_own_pages(create, accounts, town, staff, monkeypatch):
    monkeypatch.setattr(services, "PART_SIZE", 3)  # two parts joined into one file
    manager = accounts[MANAGER]
    batch = create(user=manager, enterprise=town["ent_a"], format="pdf")
    assert (batch.status, batch.total, batch.done, batch.percent) == ("done", 4, 4, 100)
    reader = PdfReader(io.BytesIO(_read(batch)))
    assert len(reader.pages) == sum(_pages(person, manager) for person in staff)
    texts = [page.extract_text() for page in reader.pages]
    # Each file starts on a new page with its own numbering: one "第 1 页" per person.
    first_pages = [text for text in texts if "第 1 页" in text]
    assert len(first_pages) == 4
    assert sorted(p.name for p in staff) == sorted(
        next(p.name for p in staff if p.name in text) for text in first_pages
    )
    # The parts are gone once joined.
    assert not private_storage().exists(services.part_name(batch, 0))


def test_zip_holds_one_pdf_per_person_with_safe_names(create, accounts, town, staff):
    batch = create(user=accounts[TOWN], enterprise=town["ent_a"], format="zip")
    with zipfile.ZipFile(io.BytesIO(_read(batch))) as archive:
        names = sorted(archive.namelist())
        assert names == sorted(f"{p.name.replace('/', '_')}-{p.pk}.pdf" for p in staff)
        assert "王_五-" in " ".join(names)
        one = PdfReader(io.BytesIO(archive.read(f"赵六-{staff[2].pk}.pdf")))
        assert "赵六" in one.pages[0].extract_text()


def test_a_selection_prints_only_the_people_ticked(create, accounts, town, staff):
    chosen = [staff[1].pk, staff[3].pk]
    batch = create(
        user=accounts[MANAGER], enterprise=town["ent_a"], format="zip", person_ids=chosen
    )
    with zipfile.ZipFile(io.BytesIO(_read(batch))) as archive:
        assert sorted(archive.namelist()) == sorted(
            f"{p.name.replace('/', '_')}-{p.pk}.pdf" for p in (staff[1], staff[3])
        )


def test_a_manager_cannot_print_another_enterprise(create, client, accounts, town):
    manager = accounts[MANAGER]
    with pytest.raises(PermissionDenied):
        create(user=manager, enterprise=town["ent_b"], format="pdf")
    client.force_login(manager)
    url = reverse("dossiers:batch_new") + f"?enterprise={town['ent_b'].pk}"
    assert client.get(url).status_code == 404
    assert client.post(url, {"format": "pdf", "everyone": "on"}).status_code == 404
    assert not DossierBatch.objects.exists()


def test_a_selection_with_a_foreign_person_is_refused_in_chinese(client, accounts, town, staff):
    client.force_login(accounts[MANAGER])
    foreign = town["person_b"]
    response = client.post(
        reverse("dossiers:batch_new"),
        {"format": "pdf", "people": [staff[0].pk, foreign.pk]},
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert f"以下人员不属于您可查看的甲机械有限公司人员：{foreign.pk}" in text
    assert not DossierBatch.objects.exists()
    assert not DossierBatchItem.objects.exists()
    # Nothing ticked is refused too, naming what to do.
    response = client.post(reverse("dossiers:batch_new"), {"format": "pdf"})
    assert "请至少选择一人" in response.content.decode()


def test_officers_print_the_enterprises_they_follow(create, accounts, town, staff):
    for role in (VILLAGE, DEPT, TOWN):
        batch = create(user=accounts[role], enterprise=town["ent_a"], format="zip")
        assert (batch.status, batch.total) == ("done", 4)
    for role in (VILLAGE, DEPT):
        with pytest.raises(PermissionDenied):
            create(user=accounts[role], enterprise=town["ent_b"], format="zip")
    for role in (AccountRole.LEARNER, AccountRole.EDITOR):
        with pytest.raises(PermissionDenied):
            create(user=accounts[role], enterprise=town["ent_a"], format="zip")


def test_a_village_officer_gets_masked_numbers(create, accounts, town):
    person = town["person_a"]
    village = create(user=accounts[VILLAGE], enterprise=town["ent_a"], format="pdf")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(_read(village))).pages)
    assert id_number_mask(person.id_number) in text
    assert person.id_number not in text
    assert person.phone not in text
    assert village.personal_data is False

    manager = create(user=accounts[MANAGER], enterprise=town["ent_a"], format="pdf")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(_read(manager))).pages)
    assert person.id_number in text
    assert manager.personal_data is True


def test_masking_is_the_one_at_the_time_of_the_request(
    django_capture_on_commit_callbacks, accounts, town
):
    manager = accounts[MANAGER]
    with django_capture_on_commit_callbacks(execute=False):
        batch = dossier_batch_create(user=manager, enterprise=town["ent_a"], format="pdf")
    # The account moves to another enterprise before the worker gets to the batch.
    manager.enterprise = town["ent_b"]
    manager.save()
    dossier_batch_process(batch_id=batch.pk)
    batch.refresh_from_db()
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(_read(batch))).pages)
    assert town["person_a"].id_number in text


def test_download_goes_through_the_export_log(create, client, accounts, town, staff):
    manager = accounts[MANAGER]
    batch = create(user=manager, enterprise=town["ent_a"], format="zip")
    client.force_login(manager)
    response = client.get(reverse("dossiers:batch_download", args=[batch.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Cache-Control"] == "private, no-store"
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as archive:
        assert len(archive.namelist()) == 4
    entry = ExportLogEntry.objects.get()
    assert (entry.user, entry.rows, entry.personal_data) == (manager, 4, True)
    assert entry.kind == "档案批量打印"

    # Another account's batch is not found, and nothing is logged for it.
    client.force_login(accounts[VILLAGE])
    assert client.get(reverse("dossiers:batch_download", args=[batch.pk])).status_code == 404
    assert client.get(reverse("dossiers:batch", args=[batch.pk])).status_code == 404
    assert ExportLogEntry.objects.count() == 1
    # The town office sees every batch.
    client.force_login(accounts[TOWN])
    assert client.get(reverse("dossiers:batch_download", args=[batch.pk])).status_code == 200


def test_pages_request_follow_and_list(
    client, accounts, town, staff, django_capture_on_commit_callbacks
):
    client.force_login(accounts[MANAGER])
    page = client.get(reverse("dossiers:batch_new"))
    assert page.status_code == 200
    assert all(p.name in page.content.decode() for p in staff)
    assert town["person_b"].name not in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("dossiers:batch_new"), {"format": "pdf", "everyone": "on"})
    batch = DossierBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("dossiers:batch", args=[batch.pk])
    detail = client.get(response["Location"]).content.decode()
    assert "data-job-progress" in detail
    assert reverse("dossiers:batch_progress", args=[batch.pk]) in detail
    progress = client.get(reverse("dossiers:batch_progress", args=[batch.pk])).json()
    assert (progress["status"], progress["done"], progress["total"]) == ("done", 4, 4)
    listing = client.get(reverse("dossiers:batches")).content.decode()
    assert reverse("dossiers:batch", args=[batch.pk]) in listing
    # The enterprise's status list offers the batch.
    status = client.get(reverse("learning:enterprise_status")).content.decode()
    assert reverse("dossiers:batch_new") in status


def test_thirty_people_are_rendered_and_stored_in_parts(create, accounts, town, monkeypatch):
    """Memory stays flat: the files are rendered a part at a time, each part stored before the
    next is rendered, and joined one file at a time (not asserted as a speed)."""
    for index in range(29):
        PersonFactory(name=f"员工{index:02d}", employer=town["ent_a"])
    events = []
    storage = private_storage()
    real_save, real_render = storage.save, services.items_render

    def save(name, content, **kwargs):
        if name.startswith(services.PARTS_DIR):
            with zipfile.ZipFile(content) as part:
                events.append(("part", len(part.namelist())))
            content.seek(0)
        return real_save(name, content, **kwargs)

    def render(items, **kwargs):
        for file in real_render(items, **kwargs):
            events.append(("file", file.stem))
            yield file

    monkeypatch.setattr(storage, "save", save)
    monkeypatch.setattr(services, "items_render", render)
    batch = create(user=accounts[TOWN], enterprise=town["ent_a"], format="pdf")
    assert (batch.status, batch.total) == ("done", 30)
    parts = [count for kind, count in events if kind == "part"]
    assert parts == [10, 10, 10]
    # Never more than one part's files rendered before that part is stored.
    pending = 0
    for kind, _value in events:
        pending = pending + 1 if kind == "file" else 0
        assert pending <= services.PART_SIZE


def test_a_redelivered_task_renders_only_the_parts_not_stored(
    create, accounts, town, staff, monkeypatch
):
    rendered = []
    real = services.items_render

    def dies_in_the_second_part(items, **kwargs):
        for file in real(items, **kwargs):
            if len(rendered) == 3:
                raise RuntimeError("worker killed")
            rendered.append(file.stem)
            yield file

    def counted(items, **kwargs):
        for file in real(items, **kwargs):
            rendered.append(file.stem)
            yield file

    monkeypatch.setattr(services, "PART_SIZE", 2)
    monkeypatch.setattr(services, "items_render", dies_in_the_second_part)
    with pytest.raises(RuntimeError):
        create(user=accounts[TOWN], enterprise=town["ent_a"], format="zip")
    batch = DossierBatch.objects.get()
    assert (batch.status, batch.done) == ("failed", 3)
    assert batch.retryable
    monkeypatch.setattr(services, "items_render", counted)
    dossier_batch_process(batch_id=batch.pk)
    batch.refresh_from_db()
    assert batch.status == "done"
    # The first part was stored before the worker died: its two files were not rendered again.
    assert len(rendered) == 3 + 2
    with zipfile.ZipFile(io.BytesIO(_read(batch))) as archive:
        assert len(archive.namelist()) == 4


@pytest.mark.parametrize("role", [TOWN, DEPT, VILLAGE, MANAGER])
def test_the_back_office_enterprise_list_offers_printing_their_files(client, accounts, town, role):
    client.force_login(accounts[role])
    content = client.get(reverse("registry_enterprises:index")).content.decode()
    ours = reverse("dossiers:batch_new") + f"?enterprise={town['ent_a'].pk}"
    theirs = reverse("dossiers:batch_new") + f"?enterprise={town['ent_b'].pk}"
    assert ours in content
    assert (theirs in content) == (role == TOWN)
    assert "批量打印档案" in content


def test_a_person_gone_since_the_request_fails_the_batch_with_a_reason(
    django_capture_on_commit_callbacks, accounts, town, staff
):
    with django_capture_on_commit_callbacks(execute=False):
        batch = dossier_batch_create(user=accounts[TOWN], enterprise=town["ent_a"], format="pdf")
    DossierBatchItem.objects.filter(batch=batch, position=1).update(object_id=10**9)
    with pytest.raises(ValueError):
        dossier_batch_process(batch_id=batch.pk)
    batch.refresh_from_db()
    assert batch.status == "failed" and batch.retryable
    assert batch.error == f"人员（编号 {10**9}）已不在人员库中，请重新发起批量打印。"


def test_a_bad_format_or_selection_is_named_on_the_form(client, accounts, town, staff):
    client.force_login(accounts[MANAGER])
    response = client.post(reverse("dossiers:batch_new"), {"format": "docx", "people": ["x"]})
    text = response.content.decode()
    assert response.status_code == 200
    assert "选择一个有效的选项" in text
    assert "所选人员无效。" in text
    assert not DossierBatch.objects.exists()


# --- the enterprise's own file (一企一档) in a batch ---------------------------------------------


def test_the_enterprise_file_heads_a_batch_and_prints_alone(create, accounts, town, staff):
    year = timezone.localdate().year
    ent = town["ent_a"]
    batch = create(user=accounts[MANAGER], enterprise=ent, format="zip", enterprise_year=year)
    assert (batch.status, batch.total, batch.year) == ("done", 5, year)
    with zipfile.ZipFile(io.BytesIO(_read(batch))) as archive:
        names = archive.namelist()
        assert names[0] == f"{ent.name}-{year}.pdf" and len(names) == 5
        text = PdfReader(io.BytesIO(archive.read(names[0]))).pages[0].extract_text()
        assert ent.name in text and str(year) in text
    alone = create(
        user=accounts[VILLAGE], enterprise=ent, format="pdf", person_ids=[], enterprise_year=year
    )
    assert (alone.status, alone.total) == ("done", 1)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(_read(alone))).pages)
    assert ent.name in text and staff[0].name in text
    # The village officer's copy masks the numbers, the manager's does not.
    assert alone.personal_data is False and batch.personal_data is True
    assert staff[0].id_number not in text


def test_an_enterprise_file_of_a_year_out_of_range_is_refused(create, accounts, town):
    with pytest.raises(ValidationError, match="无法打印1999年度的企业档案"):
        create(user=accounts[TOWN], enterprise=town["ent_a"], format="pdf", enterprise_year=1999)
    assert not DossierBatch.objects.exists()


def test_a_large_enterprise_makes_its_file_in_the_background(
    client, accounts, town, staff, monkeypatch
):
    from dossiers.enterprise import views

    year = timezone.localdate().year
    ent = town["ent_a"]
    client.force_login(accounts[DEPT])
    page = reverse("dossiers:enterprise", args=[ent.pk])
    direct = reverse("dossiers:enterprise_pdf", args=[ent.pk, year])
    background = reverse("dossiers:enterprise_print", args=[ent.pk, year])
    html = client.get(page).content.decode()
    assert direct in html and background not in html  # a small file: downloaded at once
    monkeypatch.setattr(views, "PRINT_IN_BACKGROUND_FROM", len(staff))
    html = client.get(page).content.decode()
    assert background in html and direct not in html
    response = client.post(background)
    batch = DossierBatch.objects.get()
    assert response["Location"] == reverse("dossiers:batch", args=[batch.pk])
    assert (batch.year, batch.total, batch.enterprise) == (year, 1, ent)
    assert client.get(background).status_code == 405
    client.force_login(accounts[MANAGER])  # another account's batch, and another enterprise's
    assert client.get(reverse("dossiers:batch", args=[batch.pk])).status_code == 404
    other = reverse("dossiers:enterprise_print", args=[town["ent_b"].pk, year])
    assert client.post(other).status_code == 404
