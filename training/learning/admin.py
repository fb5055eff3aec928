"""Online learning's back-office menu: the ledger, assignments, requirements and the gap lists in
one group.

Imported by training/wagtail_hooks.py (Wagtail loads only that module by name).
"""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.model import ModelViewSetGroup

from training.learning.views.cadres import cadre_course_view, sees_cadres
from training.learning.views.fire_training import FireTrainingGapsView, fire_training_gaps_export
from training.learning.views.gap_lists import PERMISSION as GAP_LIST_PERMISSION
from training.learning.views.ledger_admin import (
    CourseAssignmentViewSet,
    StudyHourEntryViewSet,
    TopicTrainingRequirementViewSet,
    TrainingRequirementViewSet,
)
from training.learning.views.manager_training import (
    ManagerTrainingGapsView,
    manager_training_gaps_export,
)

LEARNING_MENU_HOOK = "register_learning_menu_item"

# url prefix, namespace, list view, export view: the gap lists beside the requirements.
GAP_LISTS = [
    (
        "learning/manager-training/",
        "manager_training_gaps",
        ManagerTrainingGapsView,
        manager_training_gaps_export,
    ),
    (
        "learning/fire-training/",
        "fire_training_gaps",
        FireTrainingGapsView,
        fire_training_gaps_export,
    ),
]


class LearningViewSetGroup(ModelViewSetGroup):
    menu_label = _("Learning")
    menu_icon = "doc-full-inverse"
    menu_order = 205
    submenu_hook = LEARNING_MENU_HOOK
    items = (
        CourseAssignmentViewSet,
        StudyHourEntryViewSet,
        TrainingRequirementViewSet,
        TopicTrainingRequirementViewSet,
    )


@hooks.register("register_admin_viewset")
def register_learning_viewsets():
    return LearningViewSetGroup()


@hooks.register("register_admin_urls")
def register_gap_list_urls():
    patterns = []
    for prefix, namespace, view, export in GAP_LISTS:
        urls = [
            path("", view.as_view(), name="index"),
            path("results/", view.as_view(results_only=True), name="index_results"),
            path("export.xlsx", export, name="export"),
        ]
        patterns.append(path(prefix, include((urls, namespace), namespace=namespace)))
    return patterns


class GapListMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(GAP_LIST_PERMISSION)


@hooks.register(LEARNING_MENU_HOOK)
def register_manager_training_menu_item():
    return GapListMenuItem(
        _("Training of new principals and safety managers"),
        reverse("manager_training_gaps:index"),
        name="manager-training-gaps",
        icon_name="warning",
        order=100,
    )


@hooks.register(LEARNING_MENU_HOOK)
def register_fire_training_menu_item():
    return GapListMenuItem(
        _("Fire-safety training"),
        reverse("fire_training_gaps:index"),
        name="fire-training-gaps",
        icon_name="warning",
        order=110,
    )


class CadreCourseMenuItem(MenuItem):
    def is_shown(self, request):
        return sees_cadres(request.user)


@hooks.register("register_admin_urls")
def register_cadre_course_url():
    return [path("learning/cadres/", cadre_course_view, name="learning_cadre_course")]


@hooks.register(LEARNING_MENU_HOOK)
def register_cadre_course_menu_item():
    return CadreCourseMenuItem(
        _("Leading cadres' compulsory course"),
        reverse("learning_cadre_course"),
        name="cadre-course",
        icon_name="group",
        order=120,
    )
