"""Question banks in the back office: banks, knowledge points and questions, scoped by owner."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.views import generic

from directory.constants import AccountRole
from directory.models import Department
from directory.selectors import account_role
from directory.views.admin import RegistryViewSet, ScopedEditView
from training.models.exams import (
    LETTERS,
    TRUE_FALSE_OPTIONS,
    Question,
    QuestionBank,
    QuestionCategory,
    QuestionType,
)
from training.selectors_exams import banks_editable_by
from training.services.exams_banks import bank_save, category_save, question_save


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
