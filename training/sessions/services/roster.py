"""Writes of offline sessions: creating one with its roster, inviting more people, notices."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from directory import messages
from directory.constants import TOWN_OFFICE_NAME, AccountRole
from directory.models import Person, User
from directory.selectors import account_role, people_trainable_by
from directory.services import NotificationDraft, notifications_send
from training.common.roles import ORGANISER_ROLES
from training.learning.services.assignments import assignment_audience
from training.sessions.models.sessions import (
    Attendance,
    AttendanceStatus,
    SessionMode,
    TrainingSession,
)


def session_organiser_check(user: User, session: TrainingSession) -> None:
    from training.sessions.selectors.scoping import sessions_editable_by

    if not sessions_editable_by(user).filter(pk=session.pk).exists():
        raise PermissionDenied(_("You may not run this session."))


def session_audience(*, user: User, session: TrainingSession, people: list[Person] | None = None):
    """The in-scope, in-post people the session's audience criteria (and listed people) reach."""
    return assignment_audience(
        user=user,
        role=session.audience_role,
        industry=session.audience_industry,
        enterprise=session.audience_enterprise,
        employment_type=session.audience_employment_type,
        people=people,
    )


@transaction.atomic
def session_create(
    *, user: User, session: TrainingSession, people: list[Person] | None = None
) -> TrainingSession:
    """Save a new session for the user's unit and invite its audience (with in-app notices)."""
    acting = account_role(user)
    if acting not in ORGANISER_ROLES:
        raise PermissionDenied(_("You may not organise training sessions."))
    session.created_by = user
    session.organiser_department = (
        user.department if acting == AccountRole.DEPARTMENT_OFFICER else None
    )
    session.organiser_enterprise = (
        user.enterprise if acting == AccountRole.ENTERPRISE_MANAGER else None
    )
    people = list(people or [])
    has_criteria = (
        session.audience_role
        or session.audience_industry_id
        or session.audience_enterprise_id
        or session.audience_employment_type
    )
    if not (has_criteria or people):
        raise ValidationError(
            _("Choose an audience: a role, industry, enterprise, type or people.")
        )
    session.full_clean(exclude=["materials"])
    session.save()
    audience = session_audience(user=user, session=session, people=people)
    person_ids = list(audience.order_by().values_list("pk", flat=True))
    if not person_ids:
        raise ValidationError(_("No one in your responsibility matches this audience."))
    session_invite(user=user, session=session, person_ids=person_ids)
    return session


@transaction.atomic
def session_invite(*, user: User, session: TrainingSession, person_ids: list[int]) -> int:
    """Put people on the roster (those already on it stay as they are); returns how many were new.

    Only people in the user's responsibility can be invited; the capacity is never exceeded.
    """
    session_organiser_check(user, session)
    allowed = set(people_trainable_by(user).filter(pk__in=person_ids).values_list("pk", flat=True))
    outside = set(person_ids) - allowed
    if outside:
        names = Person.objects.filter(pk__in=outside).values_list("name", flat=True)
        raise ValidationError(
            _("Outside your responsibility: %(names)s.") % {"names": "、".join(sorted(names))}
        )
    # Lock the session row so two invitations at once cannot both pass the capacity check.
    TrainingSession.objects.select_for_update().filter(pk=session.pk).first()
    existing = set(session.attendances.values_list("person_id", flat=True))
    new_ids = [pk for pk in dict.fromkeys(person_ids) if pk not in existing]
    if session.capacity is not None and len(existing) + len(new_ids) > session.capacity:
        raise ValidationError(
            _("%(count)s people would be invited but the session holds %(capacity)s.")
            % {"count": len(existing) + len(new_ids), "capacity": session.capacity}
        )
    Attendance.objects.bulk_create(
        [Attendance(session=session, person_id=pk) for pk in new_ids],
        ignore_conflicts=True,
        batch_size=2000,
    )
    invitations_notify(session=session, person_ids=new_ids)
    return len(new_ids)


def invitations_notify(*, session: TrainingSession, person_ids: list[int]) -> int:
    """One in-app message (and email) per invitee with an account; never twice per session."""
    organiser = session.organiser_department or session.organiser_enterprise
    link = reverse("sessions:mine")
    accounts = Person.objects.filter(pk__in=person_ids, account__isnull=False).values_list(
        "pk", "account_id", "name"
    )
    drafts = []
    for person_id, account_id, name in accounts:
        message = messages.session_invitation(
            sender=organiser.name if organiser else TOWN_OFFICE_NAME,
            person=name,
            title=session.title,
            starts_at=session.starts_at,
            place=session.place,
            hours=session.hours,
            online=session.mode == SessionMode.ONLINE,
        )
        drafts.append(
            NotificationDraft(
                recipient_id=account_id,
                key=f"session-invite:{session.pk}:{person_id}",
                title=message.title,
                body=message.body,
                link=link,
            )
        )
    return notifications_send(drafts=drafts)


@transaction.atomic
def makeup_session_create(
    *, user: User, original: TrainingSession, session: TrainingSession
) -> TrainingSession:
    """A make-up session inviting those absent (or excused) from `original`."""
    session_organiser_check(user, original)
    absent = list(
        original.attendances.filter(
            status__in=[AttendanceStatus.ABSENT, AttendanceStatus.EXCUSED, AttendanceStatus.INVITED]
        ).values_list("person_id", flat=True)
    )
    if not absent:
        raise ValidationError(_("Everyone on the roster attended."))
    session.kind = original.kind
    session.hours = session.hours or original.hours
    return session_create(
        user=user, session=session, people=list(Person.objects.filter(pk__in=absent))
    )
