"""Batch printing: many certificates into one PDF or a ZIP of PDFs, made by a Celery task.

The task streams pages to a temporary file (chunks merged as they come, or one ZIP member at a
time) and stores the result once; progress is written to the batch row as it goes. A batch that
is already done is never rendered again, so a retried or duplicated task changes nothing.
"""

import io
import os
import tempfile
import zipfile
from collections.abc import Iterator

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from certificates.models import CertificateBatch, CertificateBatchItem, IssuedCertificate
from certificates.pdf import (
    CertificateContent,
    certificate_content,
    certificate_pdf_write,
    certificates_pdf_stream,
)
from certificates.selectors.issued import issued_certificates_visible_to
from directory.models import User

# At most this many certificates in one batch (a year's town-wide exam is ~20,000 people).
BATCH_MAX = 50_000
PROGRESS_EVERY = 50
Status = CertificateBatch.Status


@transaction.atomic
def certificate_batch_create(
    *, user: User, certificates: QuerySet[IssuedCertificate], format: str
) -> CertificateBatch:
    """A print batch of the chosen certificates the user may see; the task is queued on commit."""
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
    batch = CertificateBatch.objects.create(created_by=user, format=format, total=len(ids))
    CertificateBatchItem.objects.bulk_create(
        (
            CertificateBatchItem(batch=batch, certificate_id=pk, position=position)
            for position, pk in enumerate(ids)
        ),
        batch_size=1000,
    )
    from certificates.tasks import certificate_batch_run

    certificate_batch_run.delay_on_commit(batch.pk)
    return batch


def _contents(batch: CertificateBatch) -> Iterator[tuple[str, CertificateContent]]:
    """The batch's certificates in order, read in chunks; progress saved every few pages."""
    certificates = IssuedCertificate.objects.select_related("holder").order_by()
    positions = CertificateBatchItem.objects.filter(batch=batch).order_by("position")
    done = 0
    for start in range(0, batch.total, 1000):
        ids = list(positions.values_list("certificate_id", flat=True)[start : start + 1000])
        by_id = certificates.in_bulk(ids)
        for pk in ids:
            certificate = by_id[pk]
            yield certificate.number, certificate_content(certificate)
            done += 1
            if done % PROGRESS_EVERY == 0:
                CertificateBatch.objects.filter(pk=batch.pk).update(done=done)


def _render_pdf(batch: CertificateBatch, out) -> None:
    certificates_pdf_stream(out, (content for _number, content in _contents(batch)))


def _render_zip(batch: CertificateBatch, out) -> None:
    # PDFs are compressed already: stored, not deflated again.
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED) as archive:
        for number, content in _contents(batch):
            buffer = io.BytesIO()
            certificate_pdf_write(buffer, content)
            archive.writestr(f"{number}.pdf", buffer.getvalue())


def certificate_batch_process(*, batch_id: int) -> CertificateBatch:
    """Render a batch (called by the task). Done batches are left alone: idempotent per job."""
    with transaction.atomic():
        batch = CertificateBatch.objects.select_for_update().get(pk=batch_id)
        if batch.status == Status.DONE:
            return batch
        batch.status, batch.done, batch.error = Status.RUNNING, 0, ""
        batch.save(update_fields=["status", "done", "error"])
    handle, path = tempfile.mkstemp(suffix=f".{batch.format}")
    try:
        with os.fdopen(handle, "wb") as out:
            if batch.format == CertificateBatch.Format.ZIP:
                _render_zip(batch, out)
            else:
                _render_pdf(batch, out)
        with transaction.atomic():
            batch = CertificateBatch.objects.select_for_update().get(pk=batch_id)
            if batch.status == Status.DONE:  # a duplicate delivery finished first
                return batch
            stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
            with open(path, "rb") as source:
                batch.file.save(
                    f"certificates-{batch.pk}-{stamp}.{batch.format}", File(source), save=False
                )
            batch.status, batch.done, batch.finished_at = Status.DONE, batch.total, timezone.now()
            batch.save(update_fields=["file", "status", "done", "finished_at"])
    except Exception as error:
        CertificateBatch.objects.filter(pk=batch_id).exclude(status=Status.DONE).update(
            status=Status.FAILED, error=str(error)[:1000]
        )
        raise
    finally:
        os.unlink(path)
    return batch
