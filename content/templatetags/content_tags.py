"""Template helpers for the public pages."""

from django import template
from django.urls import NoReverseMatch, reverse

register = template.Library()


@register.simple_tag
def verify_url() -> str:
    """The certificate verification form's URL, or "" while no app provides one."""
    try:
        return reverse("certificates:verify")
    except NoReverseMatch:
        return ""


@register.filter
def duration(seconds) -> str:
    """Seconds as m:ss (or h:mm:ss), the way players show a video's length."""
    try:
        total = round(float(seconds))
    except (TypeError, ValueError):
        return ""
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
