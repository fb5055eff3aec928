"""Batch printing of an enterprise's files: the request (scoped, masking recorded), the task's
rendering in parts, the retry.

The task renders the files in parts of PART_SIZE, each part a ZIP of that part's PDFs stored in
the private storage as soon as it is made; then it copies the parts, file by file, into the
result (the PDFs appended page by page to one PDF, or written one by one into a ZIP) in a
temporary file, stores that and deletes the parts. At no point are all the files in memory: one
part's PDFs while it renders, one PDF while joining. A batch that is done is never rendered
again, and a task redelivered after its worker died renders only the parts not stored yet.
"""

import io
import shutil
import tempfile
import zipfile

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from certificates.pdf import PdfConcatenator
from directory.files import private_storage
from directory.jobs import job_retry_claim, parted_file_job_run
from directory.models import Enterprise, User
from directory.scoping import REGISTRY_ROLES, account_role
from directory.selectors import enterprises_visible_to, sees_personal_data
from dossiers.batch.renderers import items_render
from dossiers.enterprise.selectors import dossier_years, sees_enterprise_whole
from dossiers.models import DossierBatch, DossierBatchItem, DossierItemKind
from dossiers.person.selectors import dossier_people_visible_to

# At most this many files in one batch (the town's largest enterprises have a few thousand).
BATCH_MAX = 5_000
# Files rendered and stored together: the unit a redelivered task does not redo.
PART_SIZE = 10
PARTS_DIR = "dossiers/batches/parts"
Status = DossierBatch.Status


def may_batch(user: User) -> bool:
    return account_role(user) in REGISTRY_ROLES


def enterprise_for_batch(user: User, enterprise_id: int | None) -> Enterprise | None:
    """The enterprise whose files the user may print: a manager's own, an officer's followed."""
    if not may_batch(user) or enterprise_id is None:
        return None
    return enterprises_visible_to(user).filter(pk=enterprise_id).first()


def batch_people(*, user: User, enterprise: Enterprise):
    """The enterprise's people whose files the user may print, in print order."""
    return dossier_people_visible_to(user).filter(employer=enterprise).order_by("name", "pk")


@transaction.atomic
def dossier_batch_create(
    *,
    user: User,
    enterprise: Enterprise,
    format: str,
    person_ids: list[int] | None = None,
    enterprise_year: int | None = None,
) -> DossierBatch:
    """A batch of the enterprise's people's files (all, or those of `person_ids`), headed by the
    enterprise's own file of `enterprise_year` if one is asked for; the numbers each shows are
    fixed now, as the user sees them; the task is queued on commit."""
    if enterprise_for_batch(user, enterprise.pk) is None:
        raise PermissionDenied(_("You may not print the files of this enterprise."))
    if format not in DossierBatch.Format.values:
        raise ValidationError(_("Choose one PDF or a ZIP of PDFs."))
    if enterprise_year is not None and enterprise_year not in dossier_years(timezone.localdate()):
        raise ValidationError(
            _("The enterprise file of %(year)s cannot be printed: choose a year from %(years)s.")
            % {
                "year": enterprise_year,
                "years": "、".join(map(str, dossier_years(timezone.localdate()))),
            }
        )
    people = (
        batch_people(user=user, enterprise=enterprise)
        .select_related(None)
        .only("pk", "name", "employer_id", "account_id")
    )
    if person_ids is not None:
        wanted = set(person_ids)
        if not wanted and enterprise_year is None:
            raise ValidationError(_("Select at least one person."))
        people = people.filter(pk__in=wanted)
    chosen = list(people[: BATCH_MAX + 1]) if person_ids != [] else []
    if person_ids is not None:
        foreign = sorted(wanted - {person.pk for person in chosen})
        if foreign:
            raise ValidationError(
                _(
                    "These people are not among the people of %(enterprise)s you may see: "
                    "%(ids)s. Nothing was printed."
                )
                % {"enterprise": enterprise.name, "ids": "、".join(map(str, foreign))}
            )
    if not chosen and enterprise_year is None:
        raise ValidationError(
            _("%(enterprise)s has no people to print.") % {"enterprise": enterprise.name}
        )
    if len(chosen) > BATCH_MAX:
        raise ValidationError(
            _("At most %(max)s files can be printed at once.") % {"max": BATCH_MAX}
        )
    wholes = [sees_personal_data(user, person) for person in chosen]
    items = [
        (DossierItemKind.PERSON, person.pk, whole)
        for person, whole in zip(chosen, wholes, strict=True)
    ]
    if enterprise_year is not None:
        items.insert(
            0, (DossierItemKind.ENTERPRISE, enterprise.pk, sees_enterprise_whole(user, enterprise))
        )
    batch = DossierBatch.objects.create(
        created_by=user,
        enterprise=enterprise,
        format=format,
        year=enterprise_year,
        total=len(items),
        personal_data=any(whole for _kind, _pk, whole in items),
        heartbeat_at=timezone.now(),
    )
    DossierBatchItem.objects.bulk_create(
        (
            DossierBatchItem(batch=batch, position=position, kind=kind, object_id=pk, whole=whole)
            for position, (kind, pk, whole) in enumerate(items)
        ),
        batch_size=1000,
    )
    from dossiers.tasks import dossier_batch_run_task

    dossier_batch_run_task.delay_on_commit(batch.pk)
    return batch


@transaction.atomic
def dossier_batch_retry(*, batch: DossierBatch) -> DossierBatch:
    """Queue a failed or interrupted batch again (the caller found it among the user's); it
    resumes from the parts already stored."""
    batch = job_retry_claim(batch, pending=Status.PENDING)
    DossierBatch.objects.filter(pk=batch.pk).update(error="")
    from dossiers.tasks import dossier_batch_run_task

    dossier_batch_run_task.delay_on_commit(batch.pk)
    return batch


# --- the task's work -------------------------------------------------------------------------


def part_name(batch: DossierBatch, index: int) -> str:
    return f"{PARTS_DIR}/{batch.pk}/{index:05d}.zip"


def _part_stored(batch: DossierBatch, index: int, expected: int) -> bool:
    """True when the part is in storage whole; one cut short by a killed worker is deleted."""
    name = part_name(batch, index)
    if not private_storage().exists(name):
        return False
    try:
        with private_storage().open(name, "rb") as handle, zipfile.ZipFile(handle) as part:
            if len(part.namelist()) == expected and part.testzip() is None:
                return True
    except (zipfile.BadZipFile, OSError, EOFError):
        pass
    private_storage().delete(name)
    return False


def _beat(batch: DossierBatch, **fields) -> None:
    DossierBatch.objects.filter(pk=batch.pk).update(heartbeat_at=timezone.now(), **fields)


def _parts_render(batch: DossierBatch) -> int:
    """Render and store the parts not in storage yet; returns the number of parts."""
    items = DossierBatchItem.objects.filter(batch=batch).order_by("position")
    today = timezone.localdate()
    parts = 0
    for index, start in enumerate(range(0, batch.total, PART_SIZE)):
        chunk = list(items[start : start + PART_SIZE])
        if not _part_stored(batch, index, len(chunk)):
            with tempfile.TemporaryFile() as spool:
                # PDFs are compressed already: stored, not deflated again.
                with zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_STORED) as part:
                    rendered = items_render(chunk, viewer=batch.created_by, today=today)
                    for offset, file in enumerate(rendered):
                        part.writestr(f"{file.stem}.pdf", file.content)
                        _beat(batch, done=start + offset + 1)
                spool.seek(0)
                private_storage().save(part_name(batch, index), File(spool, name="part.zip"))
        _beat(batch, done=start + len(chunk))
        parts += 1
    return parts


def _parts_join(batch: DossierBatch, parts: int, out) -> None:
    """The stored parts into one file, one PDF at a time (nothing rendered again)."""
    merger = PdfConcatenator(out) if batch.format == DossierBatch.Format.PDF else None
    archive = None
    if merger is None:
        archive = zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED)
    for index in range(parts):
        _beat(batch)
        with (
            private_storage().open(part_name(batch, index), "rb") as handle,
            zipfile.ZipFile(handle) as part,
        ):
            for name in part.namelist():
                if merger is not None:
                    # Each file keeps its own pages and its own "第 x 页 共 y 页".
                    merger.append(io.BytesIO(part.read(name)))
                else:
                    with part.open(name) as source, archive.open(name, "w") as target:
                        shutil.copyfileobj(source, target)
    if merger is not None:
        merger.close()
    else:
        archive.close()


def _parts_delete(batch: DossierBatch) -> None:
    for index in range((batch.total + PART_SIZE - 1) // PART_SIZE):
        private_storage().delete(part_name(batch, index))


def dossier_batch_process(*, batch_id: int) -> DossierBatch:
    """Render a batch (called by the task), resuming from the parts already stored; a batch
    that is done is left alone, so a duplicated or redelivered task changes nothing."""
    return parted_file_job_run(
        DossierBatch,
        batch_id,
        render=_parts_render,
        join=_parts_join,
        delete_parts=_parts_delete,
        file_prefix="files",
        related=("created_by",),
    )
