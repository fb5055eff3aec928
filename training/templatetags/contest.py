"""The knowledge contest on content's campaign page: its entry and the published rankings.

content never imports training: the campaign page's template loads this library instead.
"""

from django import template
from django.urls import reverse
from django.utils import timezone

from training.exams.selectors.contest import (
    contest_current,
    contest_for_campaign,
    contest_rankings_published,
)

register = template.Library()


@register.inclusion_tag("training/exams/campaign_contest.html")
def campaign_contest(page):
    """The contest linked to the campaign page (none: nothing is shown)."""
    exam = contest_for_campaign(page=page)
    if exam is None:
        return {"exam": None}
    now = timezone.now()
    return {
        "exam": exam,
        "is_open": exam.opens_at <= now < exam.closes_at,
        "url": reverse("exams:contest", args=[exam.pk]),
        "rankings": contest_rankings_published(exam=exam),
    }


@register.simple_tag
def current_contest():
    """The contest open now as {title, url, closes_at}, or None: for the header and home page."""
    contest = contest_current()
    if contest is None:
        return None
    return {
        "title": contest.title,
        "url": reverse("exams:contest", args=[contest.pk]),
        "closes_at": contest.closes_at,
    }
