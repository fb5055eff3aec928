"""The dossiers app in Wagtail's back office: the town office's 年度归档 page under 基础信息, and
"print the files" on an enterprise's row."""

from django.urls import include, path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.menus import MenuItem as RowMenuItem

from directory.models import Enterprise
from directory.views.admin import REGISTRY_ROW_BUTTONS_HOOK
from directory.wagtail_hooks import REGISTRY_MENU_HOOK
from dossiers.archive.selectors import archive_managed_by
from dossiers.batch.services import may_batch


@hooks.register("register_admin_urls")
def register_dossier_archive_urls():
    from dossiers.archive import views

    urlpatterns = [
        path("", views.archive_index, name="index"),
        path("runs/<int:pk>/", views.archive_run_detail, name="run"),
        path("runs/<int:pk>/progress/", views.archive_run_progress, name="run_progress"),
        path("runs/<int:pk>/retry/", views.archive_run_retry_view, name="run_retry"),
    ]
    return [
        path(
            "dossiers/archive/",
            include((urlpatterns, "dossier_archive"), namespace="dossier_archive"),
        )
    ]


class DossierArchiveMenuItem(MenuItem):
    def is_shown(self, request):
        return archive_managed_by(request.user)


@hooks.register(REGISTRY_MENU_HOOK)
def register_dossier_archive_menu_item():
    return DossierArchiveMenuItem(
        gettext_lazy("Yearly archive of files"),
        reverse("dossier_archive:index"),
        name="dossier-archive",
        icon_name="folder-open-inverse",
        order=130,
    )


@hooks.register(REGISTRY_ROW_BUTTONS_HOOK)
def enterprise_files_print_button(user, instance):
    """On a listed enterprise (the list is already the user's scope): print its files."""
    if not isinstance(instance, Enterprise) or not may_batch(user):
        return []
    url = reverse("dossiers:batch_new") + "?" + urlencode({"enterprise": instance.pk})
    return [RowMenuItem(_("Print files in a batch"), url=url, icon_name="doc-full", priority=40)]
