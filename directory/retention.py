"""Retention periods of the training files, as data (regulations.md §7, "Records retention"):
special-operation (特种作业) training files are kept at least 6 years; principals' and safety
managers' files at least 3 years.

A record inside its period cannot be deleted — by the back office, a front-office button, a
service or ``manage.py shell``: a ``pre_delete`` receiver (directory.apps) refuses it with a
Chinese message naming the rule and the day until which the record is kept, and pointing to
archiving (directory.services.archive: the record is withdrawn from every list and figure, with
who, when and why, and can be restored). Past the period the town office may delete it. Rows are named by model label so that this module imports no other
domain (directory imports none of them).

Where one record may belong to either kind of file (a ledger row, an attendance, an exam attempt,
a drill record does not say whether it counts towards a special-operation certificate), the
longer period — 6 years — applies, counted from the date the record describes:

=============================================  ==================================  =======
record                                         counted from                        years
=============================================  ==================================  =======
registered certificate (特种作业操作证 etc.)     the end of its validity on the card  6
issued certificate (培训合格证明)                the issue date                       6
study-hours ledger row                          the study date                       6
attendance at a training session                the session's start                  6
exam attempt                                    the start of the attempt             6
drill record                                    the drill date                       6
=============================================  ==================================  =======

An officer corrects a period here (a rule with its source), and docs/security.md with it.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models.signals import pre_delete
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

SOURCE = "安全培训档案保存期限"


@dataclass(frozen=True)
class RetentionRule:
    label: str  # app_label.modelname
    start: str  # attribute path (dots) to the date the period is counted from
    years: int
    rule: str  # the rule as shown to the officer
    source: str = SOURCE


SPECIAL_OPERATION_FILES = _("special-operation training files are kept at least 6 years")

RETENTION_RULES = {
    rule.label: rule
    for rule in (
        RetentionRule(
            "certificates.registeredcertificate", "valid_until", 6, SPECIAL_OPERATION_FILES
        ),
        RetentionRule("certificates.issuedcertificate", "issued_on", 6, SPECIAL_OPERATION_FILES),
        RetentionRule("training.studyhourentry", "date", 6, SPECIAL_OPERATION_FILES),
        RetentionRule("training.attendance", "session.starts_at", 6, SPECIAL_OPERATION_FILES),
        RetentionRule("training.attempt", "started_at", 6, SPECIAL_OPERATION_FILES),
        RetentionRule("training.drillrecord", "date", 6, SPECIAL_OPERATION_FILES),
    )
}


def _add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def retained_until(record) -> datetime.date | None:
    """The last day the record must be kept, or None if no retention rule covers it."""
    rule = RETENTION_RULES.get(record._meta.label_lower)
    if rule is None:
        return None
    value = record
    for part in rule.start.split("."):
        value = getattr(value, part, None)
        if value is None:
            return None
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return _add_years(value, rule.years)


def retention_message(record) -> str | None:
    """Why the record cannot be deleted today, or None if it may be."""
    until = retained_until(record)
    if until is None or until < timezone.localdate():
        return None
    rule = RETENTION_RULES[record._meta.label_lower]
    return _(
        "%(record)s is within its retention period and cannot be deleted: %(rule)s "
        "(%(source)s); it is kept until %(until)s. Archive it instead."
    ) % {
        "record": record._meta.verbose_name,
        "rule": rule.rule,
        "source": rule.source,
        "until": until.isoformat(),
    }


def retention_check_delete(record) -> None:
    """Raise ValidationError if the record is inside its retention period."""
    message = retention_message(record)
    if message:
        raise ValidationError(message, code="retained")


def _refuse_retained(sender, instance, **kwargs):
    retention_check_delete(instance)


def retained_models() -> list:
    """The models a retention rule covers, in the table's order: each is archivable
    (directory.models.Archivable)."""
    from django.apps import apps

    return [apps.get_model(label) for label in RETENTION_RULES]


def retained_model(label: str):
    """The retained model of an "app_label.modelname" label, or None."""
    from django.apps import apps

    label = label.lower()
    return apps.get_model(label) if label in RETENTION_RULES else None


def retention_lift_for_scratch_database() -> None:
    """Stop checking deletes in this process: only for a benchmark's scratch database, which it
    empties before filling it again; never for the platform's own records."""
    for model in retained_models():
        pre_delete.disconnect(_refuse_retained, sender=model, dispatch_uid="directory_retention")


def retention_connect() -> None:
    """Check deletes of the retained models only: a receiver for every sender would cost every
    other model Django's fast bulk delete (each row loaded to be signalled)."""
    for model in retained_models():
        pre_delete.connect(_refuse_retained, sender=model, dispatch_uid="directory_retention")
