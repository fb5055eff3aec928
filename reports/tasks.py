"""Celery tasks of the reports app: thin, they take ids or nothing and call a service.

Each is named `<what it runs>_task`, apart from the service it calls; its `name=` is the one
the beat schedule and messages already queued know it by.
"""

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone


@shared_task(
    name="reports.tasks.town_report_generate",
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=3,
)
def town_report_generate_task(report_id: int) -> None:
    from reports.services.compiled import town_report_generate

    town_report_generate(report_id=report_id)


@shared_task(
    name="reports.tasks.monthly_report_reminders",
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=3,
)
def monthly_report_reminders_task() -> int:
    """Beat, daily: on the 20th and 25th, remind units that have not sent the month's report."""
    from reports.services.monthly import monthly_reminders_send

    return monthly_reminders_send(today=timezone.localdate())


@shared_task(
    name="reports.tasks.town_report_on_due_day",
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=3,
)
def town_report_on_due_day_task() -> None:
    """Beat, on the 26th: compile the month's town report once the units' reports are due."""
    from reports.services.compiled import town_report_request

    today = timezone.localdate()
    town_report_request(user=None, year=today.year, month=today.month)


@shared_task(
    name="reports.tasks.metric_snapshots_refresh",
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=3,
)
def metric_snapshots_refresh_task() -> int:
    """Beat, every REPORTS_SNAPSHOT_MINUTES: count this year's metrics once for the dashboards,
    then render each officer's own dashboard from them into the cache; the number of metrics
    counted."""
    from reports.dashboard_html import dashboards_prerender
    from reports.services.snapshots import snapshots_refresh

    today = timezone.localdate()
    rows = snapshots_refresh(year=today.year)
    dashboards_prerender(today=today)
    return len({row.metric_code for row in rows})
