"""Drills in Wagtail's back office: plans, records, evidence, corrective actions, settings, and the
obligations, attention, calendar and coverage pages in one menu group."""

from django.templatetags.static import static
from django.urls import include, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.model import ModelViewSetGroup

from training.drills.views.attention_admin import DrillAttentionView
from training.drills.views.calendar_admin import drill_calendar_view
from training.drills.views.corrective_actions_admin import CorrectiveActionViewSet
from training.drills.views.coverage_admin import drill_coverage_view
from training.drills.views.evidence_admin import DrillEvidenceViewSet
from training.drills.views.obligations_admin import DrillObligationsView
from training.drills.views.participants_admin import drill_participants_view
from training.drills.views.profiles_admin import DrillProfileViewSet
from training.drills.views.records_admin import DrillPlanViewSet, DrillRecordViewSet
from training.drills.views.review_admin import drill_review

DRILLS_MENU_HOOK = "register_drills_menu_item"


class DrillViewSetGroup(ModelViewSetGroup):
    menu_label = _("Drills")
    menu_icon = "clipboard-list"
    menu_order = 210
    submenu_hook = DRILLS_MENU_HOOK
    items = (
        DrillRecordViewSet,
        DrillPlanViewSet,
        DrillEvidenceViewSet,
        CorrectiveActionViewSet,
        DrillProfileViewSet,
    )


@hooks.register("register_admin_viewset")
def register_drill_viewsets():
    return DrillViewSetGroup()


@hooks.register("register_admin_urls")
def register_obligation_urls():
    urlpatterns = [
        path("", DrillObligationsView.as_view(), name="index"),
        path("results/", DrillObligationsView.as_view(results_only=True), name="index_results"),
    ]
    attention = [
        path("", DrillAttentionView.as_view(), name="index"),
        path("results/", DrillAttentionView.as_view(results_only=True), name="index_results"),
    ]
    return [
        path(
            "drills/attention/",
            include((attention, "drill_attention"), namespace="drill_attention"),
        ),
        path("drills/review/<int:pk>/", drill_review, name="drill_review"),
        path("drills/participants/<int:pk>/", drill_participants_view, name="drill_participants"),
        path("drills/calendar/", drill_calendar_view, name="drill_calendar"),
        path("drills/coverage/", drill_coverage_view, name="drill_coverage"),
        path(
            "drills/obligations/",
            include((urlpatterns, "drill_obligations"), namespace="drill_obligations"),
        ),
    ]


class ObligationsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("training.view_drillrecord")


@hooks.register(DRILLS_MENU_HOOK)
def register_obligations_menu_item():
    return ObligationsMenuItem(
        _("Drill obligations"),
        reverse("drill_obligations:index"),
        name="drill-obligations",
        icon_name="tasks",
        order=100,
    )


@hooks.register(DRILLS_MENU_HOOK)
def register_calendar_menu_item():
    return ObligationsMenuItem(
        _("Drill calendar"),
        reverse("drill_calendar"),
        name="drill-calendar",
        icon_name="date",
        order=110,
    )


@hooks.register(DRILLS_MENU_HOOK)
def register_attention_menu_item():
    return ObligationsMenuItem(
        _("Due / overdue drills"),
        reverse("drill_attention:index"),
        name="drill-attention",
        icon_name="warning",
        order=105,
    )


@hooks.register(DRILLS_MENU_HOOK)
def register_coverage_menu_item():
    return ObligationsMenuItem(
        _("Drill coverage"),
        reverse("drill_coverage"),
        name="drill-coverage",
        icon_name="doc-full",
        order=120,
    )


@hooks.register("insert_global_admin_css")
def drills_admin_css():
    # Evidence previews and the signature on the review page (no inline styles: see the CSP).
    return format_html('<link rel="stylesheet" href="{}">', static("training/drills/admin.css"))
