"""Reminders to those a metric finds not covered, each sent once per metric and month."""

from django.db import transaction
from django.utils.translation import gettext as _

from directory.models import User
from directory.services import NotificationDraft, notifications_send
from reports.metrics import Metric, Scope
from reports.selectors.uncovered import uncovered_for


@transaction.atomic
def coverage_remind(
    *, user: User, metric: Metric, scope: Scope, year: int, month: int
) -> tuple[int, int]:
    """Remind the accounts of the uncovered items the user sees; returns (accounts, newly sent).

    The key names the metric and the month, so a second click the same month sends nothing.
    """
    uncovered = uncovered_for(user, metric, scope=scope, year=year, month=month)
    if uncovered is None:
        return 0, 0
    recipients = list(
        metric.reminder_recipients(uncovered).order_by().values_list("pk", flat=True).distinct()
    )
    key = f"coverage:{metric.code}:{year}-{month:02d}"
    title = _("Reminder: %(metric)s") % {"metric": metric.label}
    body = _(
        "The town safety office's records show that this is not done yet for %(year)s: "
        "%(description)s. Please complete it and record it on the platform."
    ) % {"year": year, "description": metric.description}
    drafts = [
        NotificationDraft(recipient_id=pk, key=key, title=title, body=body, link=metric.action_link)
        for pk in recipients
    ]
    return len(recipients), notifications_send(drafts=drafts)
