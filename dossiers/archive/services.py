"""年度归档: render each subject's file of a past year, store it privately with its checksum,
never rewrite it; delete it once its retention period is over.

Files are rendered one subject at a time (two variants each) and stored as soon as they are
made, so memory stays flat whatever the town's size and a run that stops (a killed worker, the
task's time budget) resumes where it was: what is stored is skipped, never rendered again.
"""

import datetime
import hashlib
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from directory.jobs import job_retry_claim
from directory.models import User
from directory.uploads import stored_name
from dossiers.archive.kinds import KINDS, ArchiveKind, FixedMasking
from dossiers.archive.models import ARCHIVE_RETENTION_YEARS, ArchivedFile, ArchiveRun

logger = logging.getLogger(__name__)
Variant = ArchivedFile.Variant
Status = ArchiveRun.Status
# Subjects read and checked against the archive together.
CHUNK = 100


class ArchivedFileRefused(Exception):
    """A stored file that does not match its checksum (or is gone): never handed out."""


@dataclass
class ArchiveResult:
    year: int
    total: int = 0  # subjects to archive
    done: int = 0  # subjects checked
    written: int = 0  # files written now
    skipped: int = 0  # files already archived
    failed: list[str] | None = None  # subjects whose file could not be made
    finished: bool = False


def archivable_years(today: datetime.date) -> list[int]:
    """The years the archive may still be made for, newest first: past, and not yet past the
    retention period of archived files (such a file would be deleted at once)."""
    return list(range(today.year - 1, today.year - ARCHIVE_RETENTION_YEARS - 1, -1))


def archive_year_check(year: int, today: datetime.date) -> None:
    if year >= today.year:
        raise ValidationError(
            _("Only a past year can be archived: %(year)s is not over yet.") % {"year": year}
        )
    if year not in archivable_years(today):
        raise ValidationError(
            _(
                "The files of %(year)s are past their retention period of %(years)s years and "
                "are not archived."
            )
            % {"year": year, "years": ARCHIVE_RETENTION_YEARS}
        )


def archive_kinds(kinds: Iterable[str] | None) -> list[ArchiveKind]:
    """The registered kinds named (all when none is); an unknown kind is refused."""
    if not kinds:
        return list(KINDS.values())
    unknown = [kind for kind in kinds if kind not in KINDS]
    if unknown:
        raise ValidationError(
            _("Unknown kind of file: %(kinds)s.") % {"kinds": "、".join(map(str, unknown))}
        )
    return [KINDS[kind] for kind in dict.fromkeys(kinds)]


def _store(kind: ArchiveKind, subject, year: int, variant: str, data: bytes, by) -> bool:
    """Store one file and its row; False when another worker stored it first."""
    row = ArchivedFile(
        kind=kind.kind,
        year=year,
        variant=variant,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        created_by=by,
        **{kind.field: subject},
    )
    row.file.save(stored_name("application/pdf"), ContentFile(data), save=False)
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError:
        row.file.storage.delete(row.file.name)
        return False
    return True


def _archive_chunk(
    kind: ArchiveKind, year: int, ids: list[int], by: User | None, result: ArchiveResult
) -> None:
    model = ArchivedFile._meta.get_field(kind.field).related_model
    subjects = kind.subjects(year).filter(pk__in=ids).in_bulk()
    stored: dict[int, set[str]] = {}
    for pk, variant in ArchivedFile.objects.filter(
        kind=kind.kind, year=year, **{f"{kind.field}__in": ids}
    ).values_list(f"{kind.field}_id", "variant"):
        stored.setdefault(pk, set()).add(variant)
    for pk in ids:
        # Read through the kind's query; one that left it since the ids were listed (an edit
        # meanwhile) is still filed, one deleted meanwhile is not.
        subject = subjects.get(pk) or model.objects.filter(pk=pk).first()
        if subject is None:
            result.done += 1
            continue
        for variant in Variant.values:
            if variant in stored.get(pk, ()):
                result.skipped += 1
                continue
            try:
                data = kind.render(subject, year, FixedMasking(variant == Variant.WHOLE))
            except Exception:
                # One file that cannot be made must not stop the town's archive: logged,
                # reported on the run, made by the next run.
                logger.exception("Archiving %s %s of %s failed", kind.kind, pk, year)
                result.failed.append(f"{subject}（#{pk}）")
                break
            if _store(kind, subject, year, variant, data, by):
                result.written += 1
            else:
                result.skipped += 1
        result.done += 1


def archive_year(
    year: int,
    *,
    kinds: Iterable[str] | None = None,
    by: User | None = None,
    today: datetime.date | None = None,
    progress: Callable[[ArchiveResult], None] | None = None,
    seconds: float | None = None,
) -> ArchiveResult:
    """Archive the files of `year` not archived yet (both variants of each subject), one subject
    at a time; existing files are left as they are. `seconds`: stop after about that long
    (`finished` false; run again to go on). `progress` is called after every chunk."""
    today = today or timezone.localdate()
    archive_year_check(year, today)
    chosen = archive_kinds(kinds)
    result = ArchiveResult(year=year, failed=[])
    ids = {
        kind.kind: list(kind.subjects(year).order_by("pk").values_list("pk", flat=True))
        for kind in chosen
    }
    result.total = sum(map(len, ids.values()))
    deadline = time.monotonic() + seconds if seconds is not None else None
    with translation.override(settings.LANGUAGE_CODE):
        for kind in chosen:
            pks = ids[kind.kind]
            for start in range(0, len(pks), CHUNK):
                # Checked only once this pass has written a file: every pass makes progress,
                # and a resumed pass runs through what is stored (a query per chunk) at once.
                if deadline is not None and result.written and time.monotonic() > deadline:
                    return result
                _archive_chunk(kind, year, pks[start : start + CHUNK], by, result)
                if progress is not None:
                    progress(result)
    result.finished = True
    return result


# --- runs: the beat's and the town office's, with progress ------------------------------------


@transaction.atomic
def archive_run_start(
    *,
    year: int,
    kinds: Iterable[str] | None = None,
    by: User | None = None,
    today: datetime.date | None = None,
) -> ArchiveRun:
    """Queue the archiving of a past year (the task starts on commit); refused while one for
    the same year is under way."""
    today = today or timezone.localdate()
    archive_year_check(year, today)
    chosen = [kind.kind for kind in archive_kinds(kinds)]
    for run in ArchiveRun.objects.select_for_update().filter(
        year=year, status__in=ArchiveRun.ACTIVE_STATUSES
    ):
        if not run.stuck:
            raise ValidationError(
                _("The archiving of %(year)s is already under way.") % {"year": year}
            )
    run = ArchiveRun.objects.create(
        year=year, kinds=chosen, created_by=by, heartbeat_at=timezone.now()
    )
    from dossiers.tasks import archive_run_task

    archive_run_task.delay_on_commit(run.pk)
    return run


@transaction.atomic
def archive_run_retry(*, run: ArchiveRun) -> ArchiveRun:
    """Queue a failed or interrupted run again: it makes only the files still missing."""
    run = job_retry_claim(run, pending=Status.PENDING)
    ArchiveRun.objects.filter(pk=run.pk).update(error="")
    from dossiers.tasks import archive_run_task

    archive_run_task.delay_on_commit(run.pk)
    return run


def archive_run_process(*, run_id: int, seconds: float | None = None) -> bool:
    """Work on a run (called by the task) for about `seconds`; True once it is over. A done run
    is left alone, so a duplicated or redelivered message changes nothing."""
    with transaction.atomic():
        run = ArchiveRun.objects.select_for_update().get(pk=run_id)
        if run.status == Status.DONE:
            return True
        run.status, run.error = Status.RUNNING, ""
        run.heartbeat_at, run.interrupted_at = timezone.now(), None
        run.save(update_fields=["status", "error", "heartbeat_at", "interrupted_at"])
    written_before = run.written

    def progress(result: ArchiveResult) -> None:
        ArchiveRun.objects.filter(pk=run_id).update(
            total=result.total,
            done=result.done,
            written=written_before + result.written,
            failed=len(result.failed),
            heartbeat_at=timezone.now(),
        )

    try:
        result = archive_year(
            run.year,
            kinds=run.kinds,
            by=run.created_by,
            today=timezone.localdate(run.created_at),
            progress=progress,
            seconds=seconds,
        )
    except Exception as error:
        ArchiveRun.objects.filter(pk=run_id).update(status=Status.FAILED, error=str(error)[:1000])
        raise
    progress(result)
    if not result.finished:
        return False
    failed = result.failed or []
    ArchiveRun.objects.filter(pk=run_id).update(
        status=Status.FAILED if failed else Status.DONE,
        error=(
            _("These files could not be made: %(subjects)s.")
            % {"subjects": "、".join(failed[:20]) + ("…" if len(failed) > 20 else "")}
            if failed
            else ""
        ),
        finished_at=timezone.now(),
    )
    return True


# --- reading back, and retention ---------------------------------------------------------------


def archived_file_read(row: ArchivedFile) -> bytes:
    """The stored bytes, checked against the checksum written with them; a file changed or
    lost since is refused (and logged), never handed out."""
    try:
        with row.file.open("rb") as handle:
            data = handle.read()
    except FileNotFoundError:
        data = None
    if data is None or len(data) != row.size or hashlib.sha256(data).hexdigest() != row.sha256:
        logger.error(
            "Archived file %s (%s) does not match its checksum %s: refused",
            row.pk,
            row.file.name,
            row.sha256,
        )
        raise ArchivedFileRefused(
            _(
                "The archived file of %(year)s does not match the checksum recorded when it was "
                "filed and is not handed out. Please tell the town safety office."
            )
            % {"year": row.year}
        )
    return data


def archived_files_purge(*, today: datetime.date) -> int:
    """Delete the archived files whose retention period is over (the yearly task); the number
    deleted. Nothing inside its period is touched."""
    deleted = 0
    expired = ArchivedFile.objects.filter(year__lt=today.year - ARCHIVE_RETENTION_YEARS)
    for row in expired.order_by("pk").iterator(chunk_size=500):
        name = row.file.name
        row.delete()
        row.file.storage.delete(name)
        deleted += 1
    return deleted


def archive_yearly(*, today: datetime.date) -> dict:
    """The beat's work on 1 January: files past their period deleted, last year's archived."""
    deleted = archived_files_purge(today=today)
    try:
        run = archive_run_start(year=today.year - 1, today=today)
    except ValidationError:  # already under way (a second delivery of the beat's message)
        run = None
    return {"deleted": deleted, "run": run.pk if run else None}
