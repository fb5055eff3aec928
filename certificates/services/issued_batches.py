"""Batch printing: many certificates into one PDF or a ZIP of PDFs, made by a Celery task.

The task renders the certificates in parts of PART_SIZE, each stored as soon as it is made
(one PDF, or one ZIP of PDFs), then copies the parts into the result and deletes them; progress
is written to the batch row part by part. A batch that is already done is never rendered again,
and a task redelivered after its worker died (acks_late) renders only the parts not stored yet.
"""

import io
import zipfile

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from pypdf import PdfReader

from certificates.models import CertificateBatch, CertificateBatchItem, IssuedCertificate
from certificates.pdf import (
    PdfConcatenator,
    certificate_content,
    certificate_pdf_write,
    certificates_pdf_stream,
)
from certificates.selectors.issued import issued_certificates_visible_to
from directory.files import private_storage
from directory.jobs import job_retry_claim, parted_file_job_run
from directory.models import User

# At most this many certificates in one batch (a year's town-wide exam is ~20,000 people).
BATCH_MAX = 50_000
# Certificates rendered and stored together: the unit a redelivered task does not redo.
PART_SIZE = 100
# Parts hold personal data like the batch itself: in the private storage.
PARTS_DIR = "certificates/batches/parts"
Status = CertificateBatch.Status


@transaction.atomic
def certificate_batch_create(
    *, user: User, certificates: QuerySet[IssuedCertificate], format: str, site_url: str = ""
) -> CertificateBatch:
    """A print batch of the chosen certificates the user may see; the task is queued on commit.

    `site_url`: the address the batch was asked from (config.site.request_origin), which the
    QR codes the worker draws point to when SITE_URL is unset."""
    if not user.has_perm("certificates.add_certificatebatch"):
        raise PermissionDenied
    if format not in CertificateBatch.Format.values:
        raise ValidationError(_("Choose one PDF or a ZIP of PDFs."))
    ids = list(
        issued_certificates_visible_to(user, certificates)
        .order_by("holder__employer__name", "holder__name", "pk")
        .values_list("pk", flat=True)[: BATCH_MAX + 1]
    )
    if not ids:
        raise ValidationError(_("Select at least one certificate to print."))
    if len(ids) > BATCH_MAX:
        raise ValidationError(
            _("At most %(max)s certificates can be printed at once.") % {"max": BATCH_MAX}
        )
    batch = CertificateBatch.objects.create(
        created_by=user,
        format=format,
        total=len(ids),
        site_url=site_url[:200],
        heartbeat_at=timezone.now(),
    )
    CertificateBatchItem.objects.bulk_create(
        (
            CertificateBatchItem(batch=batch, certificate_id=pk, position=position)
            for position, pk in enumerate(ids)
        ),
        batch_size=1000,
    )
    from certificates.tasks import certificate_batch_run_task

    certificate_batch_run_task.delay_on_commit(batch.pk)
    return batch


@transaction.atomic
def certificate_batch_retry(*, batch: CertificateBatch) -> CertificateBatch:
    """Queue a failed or interrupted batch again (the caller found it among the user's). It
    resumes from the parts already stored whole, and the file appears only once all are made."""
    batch = job_retry_claim(batch, pending=Status.PENDING)
    CertificateBatch.objects.filter(pk=batch.pk).update(error="")
    from certificates.tasks import certificate_batch_run_task

    certificate_batch_run_task.delay_on_commit(batch.pk)
    return batch


def _part_name(batch: CertificateBatch, index: int) -> str:
    return f"{PARTS_DIR}/{batch.pk}/{index:05d}.{batch.format}"


def _part_count(data: bytes, format: str) -> int:
    """Certificates in a stored part (pages or ZIP members); -1 when it is unreadable."""
    try:
        if format == CertificateBatch.Format.ZIP:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                return len(archive.namelist())
        return len(PdfReader(io.BytesIO(data)).pages)
    except Exception:  # a part cut short by a killed worker: rendered again
        return -1


def _part_stored(batch: CertificateBatch, index: int, expected: int) -> bool:
    """True when the part is in storage whole; a partial one is deleted."""
    name = _part_name(batch, index)
    if not private_storage().exists(name):
        return False
    with private_storage().open(name, "rb") as handle:
        if _part_count(handle.read(), batch.format) == expected:
            return True
    private_storage().delete(name)
    return False


def _part_render(batch: CertificateBatch, ids: list[int]) -> bytes:
    """One part: the certificates of `ids`, in that order, as one PDF or one ZIP of PDFs."""
    by_id = IssuedCertificate.objects.select_related("holder").order_by().in_bulk(ids)
    origin = batch.site_url  # the worker has no request: the host the batch was asked from
    buffer = io.BytesIO()
    if batch.format == CertificateBatch.Format.ZIP:
        # PDFs are compressed already: stored, not deflated again.
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
            for pk in ids:
                page = io.BytesIO()
                certificate_pdf_write(page, certificate_content(by_id[pk], origin=origin))
                archive.writestr(f"{by_id[pk].number}.pdf", page.getvalue())
    else:
        certificates_pdf_stream(
            buffer, (certificate_content(by_id[pk], origin=origin) for pk in ids)
        )
    return buffer.getvalue()


def _part_store(batch: CertificateBatch, index: int, data: bytes) -> None:
    private_storage().save(_part_name(batch, index), ContentFile(data))


def _parts_render(batch: CertificateBatch) -> int:
    """Render the parts not in storage yet; returns the number of parts.

    A worker killed mid-batch leaves the parts it finished in storage: the redelivered task
    renders only the rest, so no certificate is rendered again once its part is stored.
    """
    positions = CertificateBatchItem.objects.filter(batch=batch).order_by("position")
    parts = 0
    for index, start in enumerate(range(0, batch.total, PART_SIZE)):
        ids = list(positions.values_list("certificate_id", flat=True)[start : start + PART_SIZE])
        if not _part_stored(batch, index, len(ids)):
            _part_store(batch, index, _part_render(batch, ids))
        CertificateBatch.objects.filter(pk=batch.pk).update(
            done=start + len(ids), heartbeat_at=timezone.now()
        )
        parts += 1
    return parts


def _beat(batch: CertificateBatch) -> None:
    CertificateBatch.objects.filter(pk=batch.pk).update(heartbeat_at=timezone.now())


def _parts_join(batch: CertificateBatch, parts: int, out) -> None:
    """The stored parts into one file, copied as they are (nothing rendered again)."""
    if batch.format == CertificateBatch.Format.ZIP:
        with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED) as archive:
            for index in range(parts):
                _beat(batch)
                with private_storage().open(_part_name(batch, index), "rb") as handle:
                    data = handle.read()
                with zipfile.ZipFile(io.BytesIO(data)) as part:
                    for name in part.namelist():
                        archive.writestr(name, part.read(name))
        return
    merger = PdfConcatenator(out)
    for index in range(parts):
        _beat(batch)
        with private_storage().open(_part_name(batch, index), "rb") as handle:
            merger.append(io.BytesIO(handle.read()))
    merger.close()


def _parts_delete(batch: CertificateBatch) -> None:
    for index in range((batch.total + PART_SIZE - 1) // PART_SIZE):
        private_storage().delete(_part_name(batch, index))


def certificate_batch_process(*, batch_id: int) -> CertificateBatch:
    """Render a batch (called by the task), resuming from the parts already stored.

    Done batches are left alone, so a duplicated or redelivered task changes nothing; a task
    redelivered after its worker died renders only the parts the dead worker had not stored.
    """
    return parted_file_job_run(
        CertificateBatch,
        batch_id,
        render=_parts_render,
        join=_parts_join,
        delete_parts=_parts_delete,
        file_prefix="certificates",
    )
