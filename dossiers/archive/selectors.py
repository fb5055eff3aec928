"""Reads of the yearly archive: a subject's archived years, the file a viewer gets, the town
office's overview and runs."""

from django.db.models import Count, Q, QuerySet

from directory.constants import AccountRole
from directory.models import User
from directory.selectors import account_role
from dossiers.archive.models import ArchivedFile, ArchiveRun


def archive_managed_by(user: User) -> bool:
    """Who starts and follows the archiving: the town office."""
    return account_role(user) == AccountRole.TOWN_OFFICE


def archived_years(*, kind: str, subject) -> list[int]:
    """The years a subject's file was archived, newest first (one query)."""
    field = "person" if kind == ArchivedFile.Kind.PERSON else "enterprise"
    return list(
        ArchivedFile.objects.filter(kind=kind, **{field: subject})
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )


def archived_file_of(*, kind: str, field: str, subject, year: int, whole: bool):
    """The variant of a subject's file of `year` that the viewer may see, or None."""
    variant = ArchivedFile.Variant.WHOLE if whole else ArchivedFile.Variant.MASKED
    return ArchivedFile.objects.filter(
        kind=kind, year=year, variant=variant, **{field: subject}
    ).first()


def archive_overview() -> list[dict]:
    """Per year and kind: how many subjects are filed (the whole variant counts them)."""
    return list(
        ArchivedFile.objects.values("year", "kind")
        .annotate(subjects=Count("pk", filter=Q(variant=ArchivedFile.Variant.WHOLE)))
        .order_by("-year", "kind")
    )


def archive_runs_visible_to(user: User) -> QuerySet[ArchiveRun]:
    if not archive_managed_by(user):
        return ArchiveRun.objects.none()
    return ArchiveRun.objects.select_related("created_by")
