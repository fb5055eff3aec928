"""Template context every front-office page needs."""

from django.utils.functional import SimpleLazyObject

from directory.selectors import notifications_unread_count


def notifications(request):
    """The unread count in the header; lazy, so pages that never show it run no query."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": SimpleLazyObject(lambda: notifications_unread_count(user))}
