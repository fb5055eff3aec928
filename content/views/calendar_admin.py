"""The publicity calendar in the back office (宣传日历, content/calendar.py): the town office
corrects an entry and enters a year's theme; an entry a campaign page anchors to cannot be
deleted (PROTECT)."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column

from content.models import PublicityDate
from directory.views.admin import RegistryViewSet


class PublicityDateViewSet(RegistryViewSet):
    model = PublicityDate
    icon = "date"
    name = "publicity_calendar"
    url_prefix = "content/calendar"
    menu_label = _("Publicity calendar")
    menu_order = 260
    add_to_admin_menu = True
    inspect_view_enabled = False
    list_display = ["name", "kind", Column("when", label=_("When")), "source"]
    search_fields = ["name"]


def publicity_calendar_scopes():
    """Reference data of the town: the town office alone reads and corrects it."""
    from directory.scoping import narrow_to_unit

    def both(user, queryset=None):
        qs = PublicityDate.objects.all() if queryset is None else queryset
        return narrow_to_unit(qs, user)

    return both, both
