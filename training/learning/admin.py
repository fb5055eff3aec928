"""Online learning's back-office menu: the ledger, assignments and requirements in one group.

Imported by training/wagtail_hooks.py (Wagtail loads only that module by name).
"""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSetGroup

from training.learning.views.ledger_admin import (
    CourseAssignmentViewSet,
    StudyHourEntryViewSet,
    TrainingRequirementViewSet,
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
