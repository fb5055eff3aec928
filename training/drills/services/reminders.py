"""Drill reminders: each stage (due within 30 days, overdue) reminded once.

The enterprise's managers get a message per enterprise and stage; every village officer and
department officer gets one digest per stage naming their enterprises, and follows the live list
in the back office. Keys make each message once-only (directory.Notification's unique key).
"""

import datetime
from collections import defaultdict

from django.urls import reverse
from django.utils.translation import gettext as _

from directory import messages
from directory.constants import TOWN_OFFICE_NAME, AccountRole, EnterpriseStatus
from directory.messages import date_text
from directory.models import Enterprise, User
from directory.services import NotificationDraft, notifications_send
from training.drills.selectors.attention import Attention, drills_needing_attention
from training.drills.selectors.obligations import OVERDUE

DIGEST_NAMES = 20


def _duty_text(state) -> str:
    return _("%(duty)s (%(state)s, by %(date)s)") % {
        "duty": state.label,
        "state": state.status_label,
        "date": date_text(state.due_date),
    }


def drill_reminders_send(*, today: datetime.date) -> int:
    """Queue the reminders of the day; returns how many messages were new."""
    active = Enterprise.objects.filter(status=EnterpriseStatus.ACTIVE)
    attention = drills_needing_attention(active, today)
    by_enterprise = {item.obligation.enterprise_id: item for item in attention}
    drafts = []
    managers = User.objects.filter(
        role=AccountRole.ENTERPRISE_MANAGER, is_active=True, enterprise_id__in=by_enterprise
    ).values_list("pk", "enterprise_id")
    entry_link = reverse("training:drill_record_new")
    senders = dict(
        Enterprise.objects.filter(pk__in=by_enterprise).values_list("pk", "lead_department__name")
    )
    for user_id, enterprise_id in managers:
        item = by_enterprise[enterprise_id]
        message = messages.drill_duties_open(
            # The lead department supervises the enterprise's drills; 镇安委办 otherwise.
            sender=senders.get(enterprise_id) or TOWN_OFFICE_NAME,
            enterprise=item.obligation.enterprise_name,
            duties=[_duty_text(state) for state in item.obligation.open_duties],
            deadline=item.obligation.due_date,
            overdue=item.stage.startswith(OVERDUE),
        )
        drafts.append(
            NotificationDraft(
                recipient_id=user_id,
                key=f"drill:{enterprise_id}:{item.year}:{item.stage}",
                title=message.title,
                body=message.body,
                link=entry_link,
            )
        )
    drafts += _digests(attention)
    return notifications_send(drafts=drafts)


def _digests(attention: list[Attention]) -> list[NotificationDraft]:
    """One message per officer and stage, naming the officer's enterprises in that stage."""
    rows = Enterprise.objects.filter(
        pk__in=[item.obligation.enterprise_id for item in attention]
    ).values_list("pk", "village_id", "lead_department_id")
    units = {pk: (village_id, department_id) for pk, village_id, department_id in rows}
    # (role, unit id) -> (stage, year) -> enterprises in that stage
    groups: dict[tuple[str, int], dict[tuple[str, int], list[Attention]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for item in attention:
        village_id, department_id = units[item.obligation.enterprise_id]
        groups[AccountRole.VILLAGE_OFFICER, village_id][item.stage, item.year].append(item)
        groups[AccountRole.DEPARTMENT_OFFICER, department_id][item.stage, item.year].append(item)
    officers = User.objects.filter(
        is_active=True, role__in=[AccountRole.VILLAGE_OFFICER, AccountRole.DEPARTMENT_OFFICER]
    ).values_list("pk", "role", "village_id", "department_id", "village__name", "department__name")
    link = reverse("drill_attention:index")
    drafts = []
    for user_id, role, village_id, department_id, village_name, department_name in officers:
        is_village = role == AccountRole.VILLAGE_OFFICER
        unit_id, unit_name = (
            (village_id, village_name) if is_village else (department_id, department_name)
        )
        for (stage, year), items in groups.get((role, unit_id), {}).items():
            names = "；".join(
                _("%(enterprise)s: %(duties)s")
                % {
                    "enterprise": item.obligation.enterprise_name,
                    "duties": "、".join(state.label for state in item.obligation.open_duties),
                }
                for item in items[:DIGEST_NAMES]
            )
            if len(items) > DIGEST_NAMES:
                names += _(" and %(count)s more") % {"count": len(items) - DIGEST_NAMES}
            message = messages.drill_duties_digest(
                sender=TOWN_OFFICE_NAME,
                unit=unit_name,
                count=len(items),
                names=names,
                deadline=items[0].obligation.due_date,
                overdue=stage.startswith(OVERDUE),
            )
            drafts.append(
                NotificationDraft(
                    recipient_id=user_id,
                    key=f"drill-digest:{year}:{stage}",
                    title=message.title,
                    body=message.body,
                    link=link,
                )
            )
    return drafts
