"""Question banks in the back office: banks, knowledge points and questions, scoped by owner."""

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.views import generic
from wagtail.admin.widgets import ListingButton

from directory.constants import AccountRole
from directory.models import Department
from directory.selectors import account_role, enterprises_visible_to, people_visible_to
from directory.views.admin import RegistryViewSet, ScopedEditView, ScopedIndexView
from training.exams.models.banks import (
    LETTERS,
    TRUE_FALSE_OPTIONS,
    Question,
    QuestionBank,
    QuestionCategory,
    QuestionType,
)
from training.exams.models.papers import DrawRule, Exam, Paper, PaperQuestion
from training.exams.selectors.scoping import (
    banks_editable_by,
    banks_visible_to,
    papers_editable_by,
    papers_visible_to,
)
from training.exams.services.banks import bank_save, category_save, question_save
from training.exams.services.papers import exam_save, paper_part_save, paper_save


class BankForm(WagtailAdminModelForm):
    class Meta:
        model = QuestionBank
        fields = ["name", "owner_department", "description"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if account_role(self.for_user) != AccountRole.TOWN_OFFICE:
            self.fields["owner_department"].queryset = Department.objects.filter(
                pk=self.for_user.department_id
            )
            self.fields["owner_department"].disabled = True
            self.fields["owner_department"].initial = self.for_user.department_id


class InBankForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bank"].queryset = banks_editable_by(self.for_user)


class CategoryForm(InBankForm):
    class Meta:
        model = QuestionCategory
        fields = ["bank", "name", "criteria_page", "industry"]


class QuestionForm(InBankForm):
    options_text = forms.CharField(
        label=_("Options"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One option per line, A to F in order; leave empty for true or false."),
    )

    class Meta:
        model = Question
        fields = ["bank", "category", "qtype", "stem", "answer", "explanation", "difficulty"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = QuestionCategory.objects.filter(
            bank__in=banks_editable_by(self.for_user)
        ).select_related("bank")
        if self.instance.pk and self.instance.qtype != QuestionType.TRUE_FALSE:
            self.initial["options_text"] = "\n".join(self.instance.options)

    def clean(self):
        data = super().clean()
        lines = [line.strip() for line in data.get("options_text", "").splitlines()]
        options = [line for line in lines if line][: len(LETTERS)]
        if data.get("qtype") == QuestionType.TRUE_FALSE:
            options = list(TRUE_FALSE_OPTIONS)
        self.instance.options = options
        data["answer"] = "".join(sorted(set((data.get("answer") or "").upper().replace(" ", ""))))
        self.instance.answer = data["answer"]
        return data


def _service_views(save):
    class CreateView(generic.CreateView):
        def save_instance(self):
            return save(self.request.user, self.form.instance)

    class EditView(ScopedEditView):
        def save_instance(self):
            return save(self.request.user, self.form.instance)

    return CreateView, EditView


BankCreateView, BankEditView = _service_views(lambda u, o: bank_save(user=u, bank=o))
CategoryCreateView, CategoryEditView = _service_views(
    lambda u, o: category_save(user=u, category=o)
)
QuestionCreateView, QuestionEditView = _service_views(
    lambda u, o: question_save(user=u, question=o)
)


class QuestionBankViewSet(RegistryViewSet):
    model = QuestionBank
    form_class = BankForm
    add_view_class = BankCreateView
    edit_view_class = BankEditView
    icon = "folder-open-inverse"
    name = "question_banks"
    url_prefix = "exams/banks"
    list_display = ["name", "owner_department", "created_at"]
    list_select_related = ("owner_department",)
    search_fields = ["name"]


class QuestionCategoryViewSet(RegistryViewSet):
    model = QuestionCategory
    form_class = CategoryForm
    add_view_class = CategoryCreateView
    edit_view_class = CategoryEditView
    icon = "tag"
    name = "question_categories"
    url_prefix = "exams/categories"
    list_display = ["name", "bank", "industry"]
    list_select_related = ("bank", "industry")
    list_filter = ["bank"]
    search_fields = ["name"]


class QuestionViewSet(RegistryViewSet):
    model = Question
    form_class = QuestionForm
    add_view_class = QuestionCreateView
    edit_view_class = QuestionEditView
    icon = "help"
    name = "questions"
    url_prefix = "exams/questions"
    export_kind = "questions"
    list_display = ["stem", "qtype", "bank", "category", "difficulty"]
    list_select_related = ("bank", "category")
    list_filter = ["bank", "qtype", "difficulty"]
    search_fields = ["stem"]


# --- papers and exams ------------------------------------------------------------------------


class OwnedForm(WagtailAdminModelForm):
    """owner_department: the town office chooses; a department officer's is their own."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "owner_department" in self.fields and (
            account_role(self.for_user) != AccountRole.TOWN_OFFICE
        ):
            self.fields["owner_department"].disabled = True
            self.fields["owner_department"].initial = self.for_user.department_id


class PaperForm(OwnedForm):
    class Meta:
        model = Paper
        fields = ["name", "owner_department", "shuffle_options"]


class PaperPartForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["paper"].queryset = papers_editable_by(self.for_user)
        if "bank" in self.fields:
            self.fields["bank"].queryset = banks_visible_to(self.for_user)
            self.fields["category"].queryset = QuestionCategory.objects.filter(
                bank__in=banks_visible_to(self.for_user)
            ).select_related("bank")
        else:
            self.fields["question"].queryset = Question.objects.filter(
                bank__in=banks_visible_to(self.for_user)
            )


class DrawRuleForm(PaperPartForm):
    class Meta:
        model = DrawRule
        fields = ["paper", "bank", "category", "qtype", "count", "score", "position"]


class PaperQuestionForm(PaperPartForm):
    class Meta:
        model = PaperQuestion
        fields = ["paper", "question", "score", "position"]


class ExamForm(OwnedForm):
    class Meta:
        model = Exam
        fields = [
            "title",
            "kind",
            "paper",
            "owner_department",
            "audience_role",
            "audience_industry",
            "audience_enterprise",
            "audience_people",
            "opens_at",
            "closes_at",
            "duration_minutes",
            "pass_mark",
            "max_attempts",
            "mode",
            "review",
            "layout",
            "ledger_hours",
            "certificate_title",
            "certificate_valid_years",
            "daily_quota",
            "campaign_page",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["paper"].queryset = papers_visible_to(self.for_user)
        self.fields["audience_enterprise"].queryset = enterprises_visible_to(self.for_user)
        self.fields["audience_people"].queryset = people_visible_to(self.for_user)


PaperCreateView, PaperEditView = _service_views(lambda u, o: paper_save(user=u, paper=o))
ExamCreateView, ExamEditView = _service_views(lambda u, o: exam_save(user=u, exam=o))
PartCreateView, PartEditView = _service_views(lambda u, o: paper_part_save(user=u, part=o))


class PaperViewSet(RegistryViewSet):
    model = Paper
    form_class = PaperForm
    add_view_class = PaperCreateView
    edit_view_class = PaperEditView
    icon = "doc-full"
    name = "exam_papers"
    url_prefix = "exams/papers"
    list_display = ["name", "owner_department", "shuffle_options"]
    list_select_related = ("owner_department",)
    search_fields = ["name"]


class DrawRuleViewSet(RegistryViewSet):
    model = DrawRule
    form_class = DrawRuleForm
    add_view_class = PartCreateView
    edit_view_class = PartEditView
    icon = "list-ul"
    name = "exam_draw_rules"
    url_prefix = "exams/draw-rules"
    list_display = ["paper", "bank", "category", "qtype", "count", "score"]
    list_select_related = ("paper", "bank", "category")
    list_filter = ["paper"]


class PaperQuestionViewSet(RegistryViewSet):
    model = PaperQuestion
    form_class = PaperQuestionForm
    add_view_class = PartCreateView
    edit_view_class = PartEditView
    icon = "list-ol"
    name = "exam_paper_questions"
    url_prefix = "exams/paper-questions"
    list_display = ["paper", "question", "score", "position"]
    list_select_related = ("paper", "question")
    list_filter = ["paper"]


class ExamIndexView(ScopedIndexView):
    def get_list_more_buttons(self, instance):
        url = reverse("exam_results", args=[instance.pk])
        return [
            ListingButton(_("Results"), url=url, icon_name="table", priority=5),
            *super().get_list_more_buttons(instance),
        ]


class ExamViewSet(RegistryViewSet):
    model = Exam
    index_view_class = ExamIndexView
    form_class = ExamForm
    add_view_class = ExamCreateView
    edit_view_class = ExamEditView
    icon = "time"
    name = "exam_settings"
    url_prefix = "exams/exams"
    list_display = ["title", "kind", "opens_at", "closes_at", "pass_mark"]
    list_filter = ["kind"]
    search_fields = ["title"]
