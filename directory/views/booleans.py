"""Yes / no in the back office: a boolean field reads 是 / 否 in every listing and inspect view,
never Python's True / False (the listings' columns come from ScopedIndexView, the inspect views'
values from Wagtail's display-class registry, set up in directory.wagtail_hooks)."""

from django.db import models
from django.utils.html import escape
from django.utils.translation import gettext
from wagtail.admin.ui.fields import BaseFieldDisplay
from wagtail.admin.ui.tables import Column


def yes_no(value) -> str:
    """是 / 否 for a boolean, an empty string for an unknown (None) one."""
    if value is None:
        return ""
    return gettext("Yes") if value else gettext("No")


def is_boolean_field(model, field_name: str) -> bool:
    try:
        field = model._meta.get_field(field_name)
    except Exception:  # a property or method named in list_display, not a field
        return False
    return isinstance(field, models.BooleanField)


class YesNoColumn(Column):
    """A listing column of a boolean field: 是 / 否, sortable like the field."""

    def get_value(self, instance):
        return yes_no(super().get_value(instance))


class YesNoDisplay(BaseFieldDisplay):
    """A boolean field's value on an inspect page."""

    def render_html(self, parent_context=None):
        return escape(yes_no(self.value))
