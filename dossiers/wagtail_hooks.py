"""年度归档 in the back office: the town office's page under 基础信息."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from directory.wagtail_hooks import REGISTRY_MENU_HOOK
from dossiers.archive.selectors import archive_managed_by


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
        _("Yearly archive of files"),
        reverse("dossier_archive:index"),
        name="dossier-archive",
        icon_name="folder-open-inverse",
        order=130,
    )
