"""The registry in Wagtail's back office: one menu group, every screen scoped to the user."""

from django.urls import NoReverseMatch, include, path, reverse
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.sidebar import LinkMenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.mixins import SpreadsheetExportMixin
from wagtail.admin.viewsets.model import ModelViewSetGroup
from wagtail.log_actions import LogFormatter

from directory.exports import wagtail_spreadsheet
from directory.filters import EnterpriseFilterSet, PersonFilterSet
from directory.forms import (
    DepartmentForm,
    EnterpriseForm,
    IndustryForm,
    PersonForm,
    PostForm,
    VillageForm,
)
from directory.identifiers import id_number_mask, phone_mask
from directory.models import (
    Department,
    Enterprise,
    Industry,
    Person,
    Post,
    RegistryLogEntry,
    Village,
)
from directory.pool.admin import PoolInspectionViewSet, PoolMemberViewSet
from directory.relations.admin import AttachmentViewSet, RelationViewSet
from directory.retention import retained_models
from directory.rights import role_may_archive
from directory.services.archive import ARCHIVE_ACTION, RESTORE_ACTION
from directory.views.admin import (
    EnterpriseIndexView,
    EnterpriseInspectView,
    MaskedColumn,
    PersonInspectView,
    RegistryViewSet,
    RolesColumn,
)

REGISTRY_MENU_HOOK = "register_registry_menu_item"

# Wagtail's own listings (site history, page reports, redirects) export through the platform's
# one path too: quoted cells, one export-log line, the download headers. Set here because hooks
# modules load with the admin URLs, before any admin view answers.
SpreadsheetExportMixin.as_spreadsheet = wagtail_spreadsheet


def _label(model, field_name):
    return capfirst(model._meta.get_field(field_name).verbose_name)


class EnterpriseViewSet(RegistryViewSet):
    model = Enterprise
    form_class = EnterpriseForm
    icon = "site"
    name = "registry_enterprises"
    url_prefix = "registry/enterprises"
    index_view_class = EnterpriseIndexView
    inspect_view_class = EnterpriseInspectView
    list_display = [
        "name",
        "credit_code",
        "village",
        "industry",
        "lead_department",
        "headcount",
        "status",
    ]
    list_select_related = ("village", "industry", "lead_department")
    filterset_class = EnterpriseFilterSet
    search_fields = ["name", "credit_code", "address"]
    export_kind = "enterprises"
    export_filename = "enterprises"


class PersonViewSet(RegistryViewSet):
    model = Person
    form_class = PersonForm
    icon = "user"
    name = "registry_people"
    url_prefix = "registry/people"
    inspect_view_class = PersonInspectView
    list_display = [
        "name",
        Column("unit", label=_("Unit")),
        MaskedColumn("id_number", label=_label(Person, "id_number"), mask=id_number_mask),
        MaskedColumn("phone", label=_label(Person, "phone"), mask=phone_mask),
        RolesColumn("roles", label=_("Roles")),
        "employment_type",
        "status",
    ]
    list_select_related = ("employer", "department", "village")
    filterset_class = PersonFilterSet
    search_fields = ["name", "employer__name", "post", "work_post__name"]
    # Whole numbers only: a partial match would let a masked number be read digit by digit.
    exact_search_fields = ("id_number", "phone")
    inspect_view_fields = [
        "name",
        "id_number",
        "birth_date",
        "sex",
        "phone",
        "employer",
        "department",
        "village",
        "is_principal",
        "is_safety_manager",
        "is_special_operator",
        "is_general_worker",
        "is_inspector",
        "is_cadre",
        "employment_type",
        "work_post",
        "post",
        "hire_date",
        "post_since",
        "away_since",
        "returned_on",
        "status",
    ]
    export_kind = "people"
    export_filename = "people"


class VillageViewSet(RegistryViewSet):
    model = Village
    form_class = VillageForm
    icon = "home"
    name = "registry_villages"
    url_prefix = "registry/villages"
    list_display = ["name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name"]


class IndustryViewSet(RegistryViewSet):
    model = Industry
    form_class = IndustryForm
    icon = "cogs"
    name = "registry_industries"
    url_prefix = "registry/industries"
    list_display = ["name", "risk_class", "drills_half_yearly", "sort_order"]
    list_filter = ["risk_class", "drills_half_yearly"]
    search_fields = ["name"]


class PostViewSet(RegistryViewSet):
    """The town's posts (工种/岗位); what each requires is edited under the certificate registry."""

    model = Post
    form_class = PostForm
    icon = "tag"
    name = "registry_posts"
    url_prefix = "registry/posts"
    list_display = ["name", "sort_order"]
    search_fields = ["name"]


class DepartmentViewSet(RegistryViewSet):
    model = Department
    form_class = DepartmentForm
    icon = "group"
    name = "registry_departments"
    url_prefix = "registry/departments"
    list_display = ["name", "is_town_office", "sort_order"]
    search_fields = ["name"]
    inspect_view_fields = ["name", "is_town_office", "industries", "sort_order"]


class RegistryViewSetGroup(ModelViewSetGroup):
    menu_label = _("Registry")
    menu_icon = "folder-open-inverse"
    menu_order = 200
    submenu_hook = REGISTRY_MENU_HOOK
    items = (
        EnterpriseViewSet,
        PersonViewSet,
        VillageViewSet,
        IndustryViewSet,
        PostViewSet,
        DepartmentViewSet,
        # The expert pool and technical inspectors (directory.pool.admin).
        PoolMemberViewSet,
        PoolInspectionViewSet,
        # Related units and attached workers (directory.relations.admin).
        RelationViewSet,
        AttachmentViewSet,
    )


@hooks.register("register_log_actions")
def register_registry_log_model(actions):
    # Registry changes go to a log whose readers are narrowed by the scoping selectors; so do
    # those of the records kept for their retention period (directory.retention), whose
    # archive lines carry a reason that must not reach another enterprise.
    for model in (Department, Village, Industry, Post, Enterprise, Person, *retained_models()):
        actions.register_model(model, RegistryLogEntry)


@hooks.register("register_admin_viewset")
def register_registry_viewsets():
    return RegistryViewSetGroup()


# --- imports ----------------------------------------------------------------------------


@hooks.register("register_admin_urls")
def register_import_urls():
    from directory.views.imports import urlpatterns as import_urlpatterns

    return [
        path(
            "registry/imports/",
            include((import_urlpatterns, "directory_imports"), namespace="directory_imports"),
        )
    ]


class ImportMenuItem(MenuItem):
    """Shown to accounts that may import, once the import screens answer at their URL."""

    url_name = "directory_imports:index"

    def resolved_url(self) -> str | None:
        try:
            return reverse(self.url_name)
        except NoReverseMatch:
            return None

    def is_shown(self, request):
        return request.user.has_perm("directory.add_importjob") and bool(self.resolved_url())

    def render_component(self, request):
        return LinkMenuItem(
            self.name,
            self.label,
            self.resolved_url(),
            icon_name=self.icon_name,
            classname=self.classname,
            attrs=self.attrs,
        )


@hooks.register("register_admin_urls")
def register_export_log_urls():
    from directory.views.export_log import urlpatterns as export_log_urlpatterns

    return [
        path(
            "registry/exports/",
            include((export_log_urlpatterns, "directory_exports"), namespace="directory_exports"),
        )
    ]


@hooks.register("register_admin_urls")
def register_export_job_urls():
    from directory.views.export_jobs import urlpatterns as export_job_urlpatterns

    return [
        path(
            "exports/",
            include((export_job_urlpatterns, "export_jobs"), namespace="export_jobs"),
        )
    ]


class ExportLogMenuItem(ImportMenuItem):
    url_name = "directory_exports:index"

    def is_shown(self, request):
        return request.user.has_perm("directory.view_exportlogentry") and bool(self.resolved_url())


@hooks.register(REGISTRY_MENU_HOOK)
def register_export_log_menu_item():
    return ExportLogMenuItem(
        _("Export log"), "", name="registry-exports", icon_name="download", order=110
    )


@hooks.register(REGISTRY_MENU_HOOK)
def register_import_menu_item():
    return ImportMenuItem(
        _("Import data"), "", name="registry-imports", icon_name="upload", order=100
    )


# --- archived records (directory.services.archive) ------------------------------------------


@hooks.register("register_admin_urls")
def register_archive_urls():
    from directory.views.archive import urlpatterns as archive_urlpatterns

    return [
        path(
            "archive/",
            include((archive_urlpatterns, "directory_archive"), namespace="directory_archive"),
        )
    ]


class ArchiveMenuItem(ImportMenuItem):
    url_name = "directory_archive:index"

    def is_shown(self, request):
        return role_may_archive(request.user)


@hooks.register(REGISTRY_MENU_HOOK)
def register_archive_menu_item():
    return ArchiveMenuItem(
        _("Archived records"), "", name="registry-archive", icon_name="folder-inverse", order=120
    )


@hooks.register("register_log_actions")
def register_archive_log_actions(actions):
    @actions.register_action(ARCHIVE_ACTION)
    class ArchiveLog(LogFormatter):
        label = _("Archive")

        def format_message(self, log_entry):
            return _("Archived: %(reason)s") % {"reason": log_entry.data.get("reason", "")}

    @actions.register_action(RESTORE_ACTION)
    class RestoreLog(LogFormatter):
        label = _("Restore")

        def format_message(self, log_entry):
            return _("Restored (archived for: %(reason)s)") % {
                "reason": log_entry.data.get("reason", "")
            }


@hooks.register("insert_global_admin_css")
def admin_corrections_css():
    """The back office's corrections to Wagtail's styles (static/css/admin.css)."""
    from django.templatetags.static import static
    from django.utils.html import format_html

    return format_html('<link rel="stylesheet" href="{}">', static("css/admin.css"))


# --- search-as-you-type for large choice filters ------------------------------------------


@hooks.register("register_admin_urls")
def register_choice_urls():
    from directory.views.choices import urlpatterns as choice_urlpatterns

    return [
        path(
            "registry/choices/",
            include((choice_urlpatterns, "directory_choices"), namespace="directory_choices"),
        )
    ]
