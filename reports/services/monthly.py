"""Writes of the monthly reports: draft → submitted → returned for revision / accepted.

The unit's officer edits and submits its own report; the town office returns or accepts it. Each
step checks the state and says in Chinese why it refuses. Submission snapshots the unit's figures,
freezes the sections other apps add to the report (reports.sections: the plan's task progress)
and writes the task counts they return.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from directory import messages
from directory.constants import AccountRole
from directory.models import User
from directory.selectors import account_role
from directory.services import NotificationDraft, notifications_send
from reports.models import (
    DUE_DAY,
    EDITABLE_STATUSES,
    REMINDER_DAYS,
    MonthlyReport,
    ReportStatus,
)
from reports.sections import TaskCounts, report_section, report_sections
from reports.selectors.coverage import dashboard_figures
from reports.selectors.monthly import ReportingUnit, reporting_unit_of, units_not_sent

NARRATIVE_FIELDS = ("work_done", "problems", "next_month_plan")


def figures_snapshot(*, unit: ReportingUnit, year: int, month: int, today: datetime.date) -> list:
    """The unit's metrics at the end of the month, as stored in the report (JSON)."""
    rows = []
    for fig in dashboard_figures(
        scope=unit.scope, year=year, month=month, today=today, with_rankings=False
    ):
        target = fig.target
        rows.append(
            {
                "code": fig.metric.code,
                "label": str(fig.metric.label),
                "kind": fig.metric.kind,
                "numerator": fig.measure.numerator if fig.has_data else None,
                "denominator": fig.measure.denominator if fig.has_data else None,
                "percent": round(fig.measure.percent, 1)
                if fig.has_data and fig.measure.percent is not None
                else None,
                "target": target.value if target else None,
                "deadline": target.deadline.isoformat() if target else None,
            }
        )
    return rows


def _own_unit(user: User, report: MonthlyReport) -> None:
    unit = reporting_unit_of(user)
    if unit is None or getattr(report, f"{unit.kind}_id") != unit.pk:
        raise PermissionDenied(_("Only the unit's own officer edits its monthly report."))


def _town_office(user: User) -> None:
    if account_role(user) != AccountRole.TOWN_OFFICE:
        raise PermissionDenied(_("Only the town safety office reviews monthly reports."))


def _state(report: MonthlyReport, allowed, message) -> None:
    if report.status not in allowed:
        raise ValidationError(message)


@transaction.atomic
def monthly_report_start(*, user: User, year: int, month: int) -> MonthlyReport:
    """The officer's report of the month, created as a draft the first time."""
    unit = reporting_unit_of(user)
    if unit is None:
        raise PermissionDenied(_("Only departments and villages send monthly reports."))
    report, _created = MonthlyReport.objects.get_or_create(
        year=year, month=month, **unit.report_filter
    )
    return report


@transaction.atomic
def monthly_report_save(
    *, user: User, report: MonthlyReport, sections: dict | None = None, **fields
) -> MonthlyReport:
    """Save the narrative of a draft or returned report, and its sections' edits (`sections`:
    key -> the payload of the section's valid form), all or nothing."""
    _own_unit(user, report)
    report = MonthlyReport.objects.select_for_update().get(pk=report.pk)
    _state(report, EDITABLE_STATUSES, _("A submitted or accepted report can no longer be changed."))
    for name in NARRATIVE_FIELDS:
        if name in fields:
            setattr(report, name, fields[name])
    report.full_clean()
    report.save()
    for key, payload in (sections or {}).items():
        report_section(key).save(user=user, report=report, payload=payload)
    return report


@transaction.atomic
def monthly_report_submit(*, user: User, report: MonthlyReport) -> MonthlyReport:
    _own_unit(user, report)
    report = MonthlyReport.objects.select_for_update().get(pk=report.pk)
    _state(report, EDITABLE_STATUSES, _("This report has already been submitted."))
    if not report.work_done.strip():
        raise ValidationError({"work_done": _("Describe the work done before submitting.")})
    unit = reporting_unit_of(user)
    today = timezone.localdate()
    report.figures = figures_snapshot(unit=unit, year=report.year, month=report.month, today=today)
    counts = TaskCounts()
    for section in report_sections():
        counts += section.freeze(user=user, report=report, today=today)
    report.tasks_total, report.tasks_done = counts.total, counts.done
    report.status = ReportStatus.SUBMITTED
    report.submitted_at = timezone.now()
    report.submitted_by = user
    report.save()
    return report


@transaction.atomic
def monthly_report_return(*, user: User, report: MonthlyReport, comment: str) -> MonthlyReport:
    """Send a submitted report back to its unit for revision, saying why."""
    _town_office(user)
    report = MonthlyReport.objects.select_for_update().get(pk=report.pk)
    _state(report, [ReportStatus.SUBMITTED], _("Only a submitted report can be returned."))
    if not comment.strip():
        raise ValidationError({"review_comment": _("Say what needs revising.")})
    report.status = ReportStatus.RETURNED
    report.review_comment = comment.strip()
    report.reviewed_at = timezone.now()
    report.reviewed_by = user
    report.save()
    return report


@transaction.atomic
def monthly_report_accept(*, user: User, report: MonthlyReport) -> MonthlyReport:
    _town_office(user)
    report = MonthlyReport.objects.select_for_update().get(pk=report.pk)
    _state(report, [ReportStatus.SUBMITTED], _("Only a submitted report can be accepted."))
    report.status = ReportStatus.ACCEPTED
    report.reviewed_at = timezone.now()
    report.reviewed_by = user
    report.save()
    return report


def monthly_reminders_send(*, today: datetime.date) -> int:
    """On the 20th and the 25th, remind each unit that has not sent the month's report.

    The key names the month, the stage and the unit, so each officer gets each reminder once.
    """
    if today.day not in REMINDER_DAYS:
        return 0
    stage = today.day
    drafts = []
    for unit in units_not_sent(today.year, today.month):
        key = f"monthly-report:{today:%Y-%m}:{stage}:{unit.kind}:{unit.pk}"
        message = messages.monthly_report_due(
            unit=unit.name,
            year=today.year,
            month=today.month,
            deadline=today.replace(day=DUE_DAY),
        )
        for officer_pk in unit.officers().values_list("pk", flat=True):
            drafts.append(
                NotificationDraft(
                    recipient_id=officer_pk,
                    key=key,
                    title=message.title,
                    body=message.body,
                    link="/admin/reports/monthly/",
                )
            )
    return notifications_send(drafts=drafts)
