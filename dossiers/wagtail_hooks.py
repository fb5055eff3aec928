"""The dossiers app in Wagtail's back office: "print the files" on an enterprise's row."""

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.admin.ui.menus import MenuItem

from directory.models import Enterprise
from directory.views.admin import REGISTRY_ROW_BUTTONS_HOOK
from dossiers.batch.services import may_batch


@hooks.register(REGISTRY_ROW_BUTTONS_HOOK)
def enterprise_files_print_button(user, instance):
    """On a listed enterprise (the list is already the user's scope): print its files."""
    if not isinstance(instance, Enterprise) or not may_batch(user):
        return []
    url = reverse("dossiers:batch_new") + "?" + urlencode({"enterprise": instance.pk})
    return [MenuItem(_("Print files in a batch"), url=url, icon_name="doc-full", priority=40)]
