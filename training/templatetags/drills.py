"""The enterprise manager's drill duties of the year as a table on the phone's drill page."""

from django import template
from django.utils import timezone

from training.drills.selectors.obligations import (
    drill_obligation_status,
    obligation_enterprises_for,
)

register = template.Library()


@register.inclusion_tag("training/drills/duties_card.html")
def drill_duties_card(user):
    """Each enterprise the user follows (a manager: their own), its duties this year as of today
    (two queries)."""
    today = timezone.localdate()
    rows = drill_obligation_status(
        enterprises=obligation_enterprises_for(user), year=today.year, today=today
    )
    return {"rows": rows[:5], "year": today.year}
