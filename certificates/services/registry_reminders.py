"""The registry's daily job: derived dates re-checked, staged reminders sent once each.

Stages (setting CERTIFICATE_REMINDER_DAYS, default 90 / 30 / 7 days) before the next review —
or the expiry, for types without periodic reviews — go to the holder and the enterprise's
safety-manager accounts; on the day the certificate lapses (review missed, expired, or failed
twice) the enterprise's lead department is told too. Each message has a key naming the
certificate, the deadline and the stage; the unique (recipient, key) of directory's
notifications makes a second run, or a run after a crash, send nothing twice.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import translation

from certificates.models import RegisteredCertificate
from certificates.rules import REVIEW_MIN_TRAINING_HOURS, REVIEW_WINDOW_DAYS, InvalidReason
from certificates.services.registry import certificates_refresh
from directory import messages
from directory.constants import TOWN_OFFICE_NAME, AccountRole, PersonStatus
from directory.messages import Message
from directory.models import User
from directory.services import NotificationDraft, notifications_send

REVIEW = "review"
EXPIRY = "expiry"
LAPSED = "lapsed"
CHUNK_SIZE = 2000  # certificates read per chunk


def reminder_days() -> list[int]:
    return sorted(getattr(settings, "CERTIFICATE_REMINDER_DAYS", (90, 30, 7)), reverse=True)


def lapse_catch_up_days() -> int:
    """A lapse is still announced this many days late (the job may not have run that day)."""
    return getattr(settings, "CERTIFICATE_LAPSE_CATCH_UP_DAYS", 7)


@dataclass
class ReminderRun:
    certificates: int = 0
    drafts: int = 0
    sent: int = 0
    refreshed: int = 0
    stages: dict = field(default_factory=lambda: defaultdict(int))


@dataclass(frozen=True)
class Reminder:
    """What one certificate calls for today: the event, its deadline, the stage."""

    event: str
    deadline: datetime.date
    stage: str
    days_left: int


def reminder_for(certificate: RegisteredCertificate, today: datetime.date) -> Reminder | None:
    """The stage a certificate is at today, or None (pure: tested without a database)."""
    if certificate.revoked_on and certificate.revoked_on <= today:
        return None
    catch_up = datetime.timedelta(days=lapse_catch_up_days())
    if certificate.invalid_since:
        if certificate.invalid_since <= today <= certificate.invalid_since + catch_up:
            return Reminder(LAPSED, certificate.invalid_since, LAPSED, 0)
        if certificate.invalid_since <= today:
            return None
    event = REVIEW if certificate.review_due_on else EXPIRY
    deadline = certificate.review_due_on or certificate.expires_on
    days_left = (deadline - today).days
    if days_left < 0:
        lapse_day = deadline + datetime.timedelta(days=1)
        if today <= lapse_day + catch_up:
            return Reminder(LAPSED, lapse_day, LAPSED, days_left)
        return None
    due_stages = [days for days in reminder_days() if days_left <= days]
    if not due_stages:
        return None
    return Reminder(event, deadline, str(min(due_stages)), days_left)


def _candidates(today: datetime.date):
    """Certificates that may call for a reminder today, by indexed date ranges."""
    latest = today + datetime.timedelta(days=max(reminder_days()))
    earliest = today - datetime.timedelta(days=lapse_catch_up_days() + 1)
    in_range = Q(review_due_on__range=(earliest, latest)) | Q(
        review_due_on__isnull=True, expires_on__range=(earliest, latest)
    )
    in_range |= Q(invalid_since__range=(earliest, today))
    return (
        RegisteredCertificate.objects.filter(in_range, person__status=PersonStatus.ACTIVE)
        .filter(Q(revoked_on__isnull=True) | Q(revoked_on__gt=today))
        .select_related("certificate_type", "operation", "person__employer__lead_department")
        .only(
            "number",
            "scope",
            "issuing_authority",
            "expires_on",
            "review_due_on",
            "invalid_since",
            "invalid_reason",
            "revoked_on",
            "certificate_type__name",
            "operation__name",
            "person__name",
            "person__account_id",
            "person__employer_id",
            "person__employer__lead_department_id",
            "person__employer__lead_department__name",
        )
        .order_by("pk")
    )


def _accounts_by(role: str, field_name: str, ids: set) -> dict[int, list[int]]:
    accounts = defaultdict(list)
    for user_id, unit_id in User.objects.filter(
        role=role, is_active=True, **{f"{field_name}__in": ids}
    ).values_list("pk", field_name):
        accounts[unit_id].append(user_id)
    return accounts


def _message(
    certificate: RegisteredCertificate, reminder: Reminder, *, to_holder: bool = False
) -> Message:
    """The reminder's words; `to_holder`: the holder's own (a lapsed certificate tells the
    holder to stop work, and the managers to stop the holder)."""
    what = certificate.certificate_type.name
    if certificate.work_label:
        what = f"{what}（{certificate.work_label}）"
    employer = certificate.person.employer
    # The enterprise's lead department supervises its certificates; 镇安委办 otherwise.
    sender = (
        employer.lead_department.name
        if employer is not None and employer.lead_department_id
        else TOWN_OFFICE_NAME
    )
    values = {
        "sender": sender,
        "holder": certificate.person.name,
        "what": what,
        "number": certificate.number,
        "authority": certificate.issuing_authority,
    }
    if reminder.event == REVIEW:
        return messages.certificate_review_due(
            **values,
            deadline=reminder.deadline,
            days_left=reminder.days_left,
            window=REVIEW_WINDOW_DAYS,
            hours=REVIEW_MIN_TRAINING_HOURS,
        )
    if reminder.event == EXPIRY:
        return messages.certificate_expiring(
            **values, deadline=reminder.deadline, days_left=reminder.days_left
        )
    return messages.certificate_lapsed(
        **values,
        since=reminder.deadline,
        failed_twice=certificate.invalid_reason == InvalidReason.REVIEW_FAILED_TWICE,
        to_holder=to_holder,
    )


def registry_reminders_send(*, today: datetime.date, chunk_size: int | None = None) -> ReminderRun:
    """Send today's reminders: a few queries per chunk of certificates, whatever their number.

    Each chunk's notifications are committed before the next chunk is read, so a run cut short
    keeps what it sent and the next run sends only the rest.
    """
    chunk_size = chunk_size or CHUNK_SIZE
    run = ReminderRun()
    # The holder's own page in the front office, where "我的证书" lists the certificates.
    holder_link = reverse("directory:my_page")
    with translation.override(settings.LANGUAGE_CODE):
        last_pk = 0
        while True:
            chunk = list(_candidates(today).filter(pk__gt=last_pk)[:chunk_size])
            if not chunk:
                return run
            last_pk = chunk[-1].pk
            due = [(c, r) for c in chunk if (r := reminder_for(c, today))]
            run.certificates += len(due)
            employers = {c.person.employer_id for c, _r in due if c.person.employer_id}
            departments = {
                c.person.employer.lead_department_id for c, _r in due if c.person.employer_id
            }
            managers = _accounts_by(AccountRole.ENTERPRISE_MANAGER, "enterprise_id", employers)
            officers = _accounts_by(AccountRole.DEPARTMENT_OFFICER, "department_id", departments)
            drafts = []
            for certificate, reminder in due:
                run.stages[reminder.stage] += 1
                message = _message(certificate, reminder)
                title, body = message.title, message.body
                key = f"certificate:{certificate.pk}:{reminder.event}:{reminder.deadline}:{reminder.stage}"
                admin_link = reverse("registered_certificates:inspect", args=[certificate.pk])
                person = certificate.person
                if person.account_id:
                    own = _message(certificate, reminder, to_holder=True)
                    drafts.append(
                        NotificationDraft(person.account_id, key, own.title, own.body, holder_link)
                    )
                others = list(managers.get(person.employer_id, []))
                if reminder.stage == LAPSED and person.employer_id:
                    others += officers.get(person.employer.lead_department_id, [])
                drafts += [
                    NotificationDraft(user_id, key, title, body, admin_link)
                    for user_id in others
                    if user_id != person.account_id
                ]
            run.drafts += len(drafts)
            run.sent += notifications_send(drafts=drafts)


def registry_daily_run(*, today: datetime.date) -> ReminderRun:
    """The daily job: re-derive every certificate's dates, then send the reminders due."""
    refreshed = certificates_refresh()
    run = registry_reminders_send(today=today)
    run.refreshed = refreshed
    return run
