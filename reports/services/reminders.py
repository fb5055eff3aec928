"""Reminders to those a metric finds not covered, each sent once per metric and month."""

import datetime

from django.db import transaction

from directory.messages import account_unit_name, coverage_reminder
from directory.models import User
from directory.services import NotificationDraft, notifications_send
from reports.metrics import Metric, Scope
from reports.selectors.uncovered import uncovered_for


@transaction.atomic
def coverage_remind(
    *, user: User, metric: Metric, scope: Scope, year: int, month: int
) -> tuple[int, int]:
    """Remind the accounts of the uncovered items the user sees; returns (accounts, newly sent).

    Each message comes from the user's unit and names the item it is about and what it lacks
    (directory.messages). The key names the metric and the month, so a second click the same
    month sends nothing.
    """
    uncovered = uncovered_for(user, metric, scope=scope, year=year, month=month)
    if uncovered is None:
        return 0, 0
    recipients = list(metric.reminder_recipients_with_items(uncovered))
    hours = metric.reminder_hours(
        person_ids={item_id for _pk, item_id, _name in recipients}, year=year
    )
    key = f"coverage:{metric.code}:{year}-{month:02d}"
    sender = account_unit_name(user)
    deadline = datetime.date(year, 12, 31)
    drafts = []
    seen = set()
    for pk, item_id, name in recipients:
        if pk in seen:
            continue
        seen.add(pk)
        required, done = hours.get(item_id, (None, None))
        message = coverage_reminder(
            metric_code=metric.code,
            sender=sender,
            concerned=name,
            deadline=deadline,
            required_hours=required,
            done_hours=done,
        )
        drafts.append(
            NotificationDraft(
                recipient_id=pk,
                key=key,
                title=message.title,
                body=message.body,
                link=metric.action_link,
            )
        )
    return len(drafts), notifications_send(drafts=drafts)
