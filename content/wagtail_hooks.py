"""Content's own back-office screens (pages are Wagtail's page explorer)."""

from wagtail import hooks

from content.views.calendar_admin import PublicityDateViewSet


@hooks.register("register_admin_viewset")
def register_publicity_calendar_viewset():
    return PublicityDateViewSet()
