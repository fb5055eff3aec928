"""The invitee's upcoming sessions as a card on 我的主页 (directory's my page)."""

from django import template
from django.utils import timezone

from training.sessions.selectors.scoping import sessions_of_person

register = template.Library()


@register.inclusion_tag("training/sessions/my_page_card.html")
def upcoming_sessions_card(person):
    """Sessions the person is on the roster of that have not ended, soonest first (one query)."""
    rows = list(
        sessions_of_person(person).filter(session__ends_at__gte=timezone.now()).reverse()[:5]
    )
    return {"rows": rows}
