"""What the yearly archive knows how to file: a registry of kinds, each with the subjects to
archive for a year, how to render one subject's file for that year, whose files a viewer may
open and whether the viewer sees numbers whole.

Two kinds: the person's file (一人一档) and the enterprise's (一企一档).
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from directory.constants import AccountRole, EnterpriseStatus, PersonStatus
from directory.exports import Masking
from directory.models import Enterprise, Person, User
from directory.selectors import enterprises_visible_to
from dossiers.archive.models import ArchivedFile
from dossiers.enterprise.selectors import sees_enterprise_whole


class FixedMasking(Masking):
    """Numbers whole or masked for everyone: an archived variant is rendered for no viewer."""

    def __init__(self, whole: bool):
        super().__init__(viewer=None)
        self.fixed = whole

    def sees(self, person) -> bool:
        self.whole |= self.fixed
        return self.fixed


@dataclass(frozen=True)
class ArchiveKind:
    kind: str
    field: str  # the ArchivedFile foreign key that names the subject
    subjects: Callable[[int], QuerySet]  # whom to archive for a year
    render: Callable[[object, int, Masking], bytes]  # one subject's file of a year, as a PDF
    visible_to: Callable[[User], QuerySet]  # whose archived files the viewer may open
    sees_whole: Callable[[Masking, object], bool]  # which variant the viewer gets


KINDS: dict[str, ArchiveKind] = {}


def kind_register(kind: ArchiveKind) -> None:
    KINDS[kind.kind] = kind


def _moments(year: int) -> tuple[datetime.datetime, datetime.datetime]:
    """The first moment of the year and of the next one, local time."""
    return (
        timezone.make_aware(datetime.datetime.combine(datetime.date(year, 1, 1), datetime.time())),
        timezone.make_aware(
            datetime.datetime.combine(datetime.date(year + 1, 1, 1), datetime.time())
        ),
    )


# --- 一人一档 ----------------------------------------------------------------------------------


def people_to_archive(year: int) -> QuerySet[Person]:
    """People employed during the year or with any record dated in it.

    Employed: hired by its end (or with no hire date) and in post, or left but changed in the
    registry since its start (the registry keeps no leaving date, so someone who left during
    the year is taken in; one more file is cheaper than a missing one).
    """
    from certificates.models import CertificateReview, IssuedCertificate, RegisteredCertificate
    from training.models import Attempt, Attendance, StudyHourEntry

    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    start, end = _moments(year)
    person = OuterRef("pk")
    employed = (Q(hire_date__lte=last) | Q(hire_date__isnull=True, created_at__lt=end)) & (
        Q(status=PersonStatus.ACTIVE) | Q(updated_at__gte=start)
    )
    records = (
        Exists(StudyHourEntry.objects.filter(person=person, date__range=(first, last)))
        | Exists(
            Attendance.objects.filter(
                person=person, session__starts_at__gte=start, session__starts_at__lt=end
            )
        )
        | Exists(
            Attempt.objects.filter(
                Q(person=person) | Q(participant__person=person),
                started_at__gte=start,
                started_at__lt=end,
            )
        )
        | Exists(
            RegisteredCertificate.objects.filter(
                person=person, first_issued_on__range=(first, last)
            )
        )
        | Exists(
            CertificateReview.objects.filter(
                certificate__person=person, reviewed_on__range=(first, last)
            )
        )
        | Exists(IssuedCertificate.objects.filter(holder=person, issued_on__range=(first, last)))
    )
    return Person.objects.filter(employed | records)


def _person_render(person: Person, year: int, masking: Masking) -> bytes:
    from dossiers.person.pdf import person_dossier_pdf
    from dossiers.person.selectors import person_dossier

    last = datetime.date(year, 12, 31)
    dossier = person_dossier(person=person, viewer=None, today=last, until=last, masking=masking)
    return person_dossier_pdf(dossier)


def _people_visible_to(user: User) -> QuerySet[Person]:
    from dossiers.person.selectors import dossier_people_visible_to

    return dossier_people_visible_to(user)


kind_register(
    ArchiveKind(
        kind=ArchivedFile.Kind.PERSON,
        field="person",
        subjects=lambda year: people_to_archive(year).select_related(
            "employer__industry", "employer__village", "department", "work_post"
        ),
        render=_person_render,
        visible_to=_people_visible_to,
        sees_whole=lambda masking, person: masking.sees(person),
    )
)


# --- 一企一档 ----------------------------------------------------------------------------------


def enterprises_to_archive(year: int) -> QuerySet[Enterprise]:
    """Enterprises in the registry during the year: created before its end, and active, or
    closed but changed in the registry since its start (closed during it or later)."""
    start, end = _moments(year)
    return Enterprise.objects.filter(
        Q(created_at__lt=end) & (Q(status=EnterpriseStatus.ACTIVE) | Q(updated_at__gte=start))
    )


def _enterprise_render(enterprise: Enterprise, year: int, masking: Masking) -> bytes:
    from dossiers.enterprise.pdf import enterprise_dossier_pdf
    from dossiers.enterprise.selectors import enterprise_dossier

    last = datetime.date(year, 12, 31)
    dossier = enterprise_dossier(
        enterprise=enterprise, viewer=_archivist(), year=year, today=last, masking=masking
    )
    return enterprise_dossier_pdf(dossier, as_of=last)


def _archivist() -> User:
    """Whom an enterprise's archived file is read for: every record of the enterprise, as the
    town office reads it (an unsaved account; the masking of the variant is fixed apart)."""
    return User(username="yearly-archive", role=AccountRole.TOWN_OFFICE, is_active=True)


def _enterprise_sees_whole(masking: Masking, enterprise: Enterprise) -> bool:
    whole = sees_enterprise_whole(masking.viewer, enterprise)
    masking.note(whole)
    return whole


kind_register(
    ArchiveKind(
        kind=ArchivedFile.Kind.ENTERPRISE,
        field="enterprise",
        subjects=lambda year: enterprises_to_archive(year).select_related(
            "village", "industry", "lead_department"
        ),
        render=_enterprise_render,
        visible_to=enterprises_visible_to,
        sees_whole=_enterprise_sees_whole,
    )
)
