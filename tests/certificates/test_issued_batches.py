"""Batch printing: one merged PDF or a ZIP, scoped, idempotent per job, progress recorded."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from pypdf import PdfReader

from certificates import pdf
from certificates.models import CertificateBatch, IssuedCertificate
from certificates.services.issued_batches import (
    certificate_batch_create,
    certificate_batch_process,
)
from directory.constants import AccountRole
from directory.files import private_storage
from tests.factories import PersonFactory

TOWN = AccountRole.TOWN_OFFICE
DEPT = AccountRole.DEPARTMENT_OFFICER


@pytest.fixture
def create(django_capture_on_commit_callbacks):
    """Create a batch and run what is queued on commit (the task, eagerly in tests)."""

    def run(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return certificate_batch_create(**kwargs)

    return run


@pytest.fixture
def five(town, issue):
    people = [PersonFactory(name=f"测试{i}", employer=town["ent_a"]) for i in range(4)]
    certs = [issue(p) for p in people] + [issue(town["person_b"])]
    return certs


def _pages_text(batch) -> list[str]:
    with batch.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
        return [page.extract_text() for page in reader.pages]


def test_one_merged_pdf_across_chunks(create, accounts, five, monkeypatch):
    monkeypatch.setattr(pdf, "CHUNK_PAGES", 2)  # three chunks merged into one file
    batch = create(user=accounts[TOWN], certificates=IssuedCertificate.objects.all(), format="pdf")
    batch.refresh_from_db()  # the task ran on commit (eagerly in tests)
    assert (batch.status, batch.total, batch.done, batch.percent) == ("done", 5, 5, 100)
    texts = _pages_text(batch)
    assert len(texts) == 5
    assert sorted(cert.number for cert in five) == sorted(
        next(n for n in (c.number for c in five) if n in text) for text in texts
    )
    assert all("安全生产培训合格证书" in text for text in texts)


def test_zip_of_pdfs(create, accounts, five):
    batch = create(user=accounts[TOWN], certificates=IssuedCertificate.objects.all(), format="zip")
    batch.refresh_from_db()
    with batch.file.open("rb") as handle, zipfile.ZipFile(io.BytesIO(handle.read())) as archive:
        names = sorted(archive.namelist())
        assert names == sorted(f"{cert.number}.pdf" for cert in five)
        first = PdfReader(io.BytesIO(archive.read(names[0])))
        assert names[0][:-4] in first.pages[0].extract_text()


def test_batch_holds_only_certificates_in_scope(create, accounts, five, town):
    batch = create(user=accounts[DEPT], certificates=IssuedCertificate.objects.all(), format="pdf")
    batch.refresh_from_db()
    assert batch.total == 4
    assert not any("李四" in text for text in _pages_text(batch))


def test_a_done_batch_is_not_rendered_again(create, accounts, five, monkeypatch):
    batch = create(user=accounts[TOWN], certificates=IssuedCertificate.objects.all(), format="pdf")
    batch.refresh_from_db()
    name = batch.file.name
    calls = []
    monkeypatch.setattr(
        "certificates.services.issued_batches.certificate_content",
        lambda cert, **kwargs: calls.append(cert.pk),
    )
    again = certificate_batch_process(batch_id=batch.pk)
    assert again.file.name == name and calls == []


def test_a_failed_run_is_recorded_and_a_retry_completes(create, accounts, five, monkeypatch):
    from certificates.services import issued_batches

    real = issued_batches.certificate_content
    fail = {"once": True}

    def flaky(cert, **kwargs):
        if fail.pop("once", False):
            raise OSError("disk full")
        return real(cert, **kwargs)

    monkeypatch.setattr(issued_batches, "certificate_content", flaky)
    with pytest.raises(OSError):
        create(user=accounts[TOWN], certificates=IssuedCertificate.objects.all(), format="zip")
    batch = CertificateBatch.objects.get()
    assert (batch.status, batch.error) == ("failed", "disk full")
    certificate_batch_process(batch_id=batch.pk)
    batch.refresh_from_db()
    with batch.file.open("rb") as handle, zipfile.ZipFile(io.BytesIO(handle.read())) as archive:
        assert len(archive.namelist()) == len(set(archive.namelist())) == 5


def test_nothing_to_print_is_refused(create, accounts, five):
    with pytest.raises(ValidationError):
        create(
            user=accounts[DEPT],
            certificates=IssuedCertificate.objects.filter(holder__name="李四"),
            format="pdf",
        )


def test_a_run_cut_short_resumes_from_the_stored_parts(create, accounts, five, monkeypatch):
    """A worker dying after two parts: the next run renders only the last part's certificates."""
    from certificates.services import issued_batches

    monkeypatch.setattr(issued_batches, "PART_SIZE", 2)
    real = issued_batches.certificate_content
    rendered = []

    def dies_on_the_fifth(cert, **kwargs):
        if len(rendered) == 4:
            raise SystemExit("worker lost")  # not an Exception: like a kill, nothing recorded
        rendered.append(cert.number)
        return real(cert, **kwargs)

    monkeypatch.setattr(issued_batches, "certificate_content", dies_on_the_fifth)
    with pytest.raises(SystemExit):
        create(user=accounts[TOWN], certificates=IssuedCertificate.objects.all(), format="zip")
    batch = CertificateBatch.objects.get()
    assert (batch.status, batch.done) == ("running", 4)

    again = []
    monkeypatch.setattr(
        issued_batches,
        "certificate_content",
        lambda cert, **kwargs: again.append(cert.number) or real(cert, **kwargs),
    )
    certificate_batch_process(batch_id=batch.pk)
    batch.refresh_from_db()
    assert batch.status == "done"
    assert len(again) == 1 and again[0] not in rendered
    with batch.file.open("rb") as handle, zipfile.ZipFile(io.BytesIO(handle.read())) as archive:
        assert sorted(archive.namelist()) == sorted(f"{cert.number}.pdf" for cert in five)
    assert not private_storage().exists(issued_batches._part_name(batch, 0))


def test_a_part_cut_short_in_storage_is_rendered_again(accounts, five, monkeypatch):
    from certificates.services import issued_batches

    monkeypatch.setattr(issued_batches, "PART_SIZE", 2)
    # Not inside a captured commit: the task is not run, the batch waits.
    batch = certificate_batch_create(
        user=accounts[TOWN], certificates=IssuedCertificate.objects.all(), format="pdf"
    )
    private_storage().save(issued_batches._part_name(batch, 0), ContentFile(b"%PDF-1.4 cut"))
    certificate_batch_process(batch_id=batch.pk)
    batch.refresh_from_db()
    assert len(_pages_text(batch)) == 5
