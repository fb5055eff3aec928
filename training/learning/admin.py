"""Online learning's back-office menu: the ledger, assignments and requirements in one group.

Imported by training/wagtail_hooks.py (Wagtail loads only that module by name).
"""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.model import ModelViewSetGroup

from training.learning.views.ledger_admin import (
    CourseAssignmentViewSet,
    StudyHourEntryViewSet,
    TrainingRequirementViewSet,
)
from training.learning.views.manager_training import (
    PERMISSION as MANAGER_TRAINING_PERMISSION,
)
from training.learning.views.manager_training import (
    ManagerTrainingGapsView,
    manager_training_gaps_export,
)

LEARNING_MENU_HOOK = "register_learning_menu_item"


class LearningViewSetGroup(ModelViewSetGroup):
    menu_label = _("Learning")
    menu_icon = "doc-full-inverse"
    menu_order = 205
    submenu_hook = LEARNING_MENU_HOOK
    items = (CourseAssignmentViewSet, StudyHourEntryViewSet, TrainingRequirementViewSet)


@hooks.register("register_admin_viewset")
def register_learning_viewsets():
    return LearningViewSetGroup()


@hooks.register("register_admin_urls")
def register_manager_training_urls():
    urls = [
        path("", ManagerTrainingGapsView.as_view(), name="index"),
        path("results/", ManagerTrainingGapsView.as_view(results_only=True), name="index_results"),
        path("export.xlsx", manager_training_gaps_export, name="export"),
    ]
    return [
        path(
            "learning/manager-training/",
            include((urls, "manager_training_gaps"), namespace="manager_training_gaps"),
        )
    ]


class ManagerTrainingMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(MANAGER_TRAINING_PERMISSION)


@hooks.register(LEARNING_MENU_HOOK)
def register_manager_training_menu_item():
    return ManagerTrainingMenuItem(
        _("Training of new principals and safety managers"),
        reverse("manager_training_gaps:index"),
        name="manager-training-gaps",
        icon_name="warning",
        order=100,
    )
