"""Exams in Wagtail's back office: banks, questions, papers and exams in one menu group, and each
exam's results page."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSetGroup

from training.exams.views.banks_admin import (
    DrawRuleViewSet,
    ExamViewSet,
    PaperQuestionViewSet,
    PaperViewSet,
    QuestionBankViewSet,
    QuestionCategoryViewSet,
    QuestionViewSet,
)
from training.exams.views.results_admin import exam_results_view


class ExamViewSetGroup(ModelViewSetGroup):
    menu_label = _("Exams")
    menu_icon = "help"
    menu_order = 220
    items = (
        ExamViewSet,
        PaperViewSet,
        DrawRuleViewSet,
        PaperQuestionViewSet,
        QuestionViewSet,
        QuestionCategoryViewSet,
        QuestionBankViewSet,
    )


@hooks.register("register_admin_viewset")
def register_exam_viewsets():
    return ExamViewSetGroup()


@hooks.register("register_admin_urls")
def register_exam_result_urls():
    return [path("exams/results/<int:pk>/", exam_results_view, name="exam_results")]
