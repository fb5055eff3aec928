"""Online learning in the back office: the study-hours ledger and course assignments."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic

from content.models import CoursePage
from directory.identifiers import normalize_code
from directory.selectors import enterprises_editable_by, people_editable_by
from directory.views.admin import RegistryViewSet, ScopedEditView
from training.common.forms import AudiencePeopleMixin
from training.learning.models.assignments import CourseAssignment
from training.learning.models.ledger import StudyHourEntry
from training.learning.models.requirements import TopicTrainingRequirement, TrainingRequirement
from training.learning.services.assignments import assignment_create, assignment_due_date_change
from training.learning.services.ledger import ledger_history_record


class HistoryEntryForm(WagtailAdminModelForm):
    """A past training entered by hand: the person is found by ID number, within scope."""

    id_number = forms.CharField(label=_("ID number"), max_length=18)

    class Meta:
        model = StudyHourEntry
        fields = [
            "training_name",
            "training_type",
            "topic",
            "level",
            "hours",
            "date",
            "organisation",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["training_name"].required = True

    def clean_id_number(self):
        code = normalize_code(self.cleaned_data["id_number"])
        person = people_editable_by(self.for_user).filter(id_number=code).first()
        if person is None:
            raise forms.ValidationError(_("No person with this ID number in your responsibility."))
        self.person = person
        return code


class HistoryEntryCreateView(generic.CreateView):
    def save_instance(self):
        data = self.form.cleaned_data
        return ledger_history_record(
            user=self.request.user,
            person=self.form.person,
            training_name=data["training_name"],
            training_type=data["training_type"],
            hours=data["hours"],
            date=data["date"],
            organisation=data["organisation"],
            level=data["level"],
            topic=data["topic"],
        )


class TitleColumn(Column):
    def get_value(self, instance):
        return instance.title


class StudyHourEntryViewSet(RegistryViewSet):
    model = StudyHourEntry
    form_class = HistoryEntryForm
    add_view_class = HistoryEntryCreateView
    icon = "time"
    name = "study_hours"
    url_prefix = "learning/ledger"
    export_kind = "training_records"
    export_filename = "training-records"
    list_display = [
        "person",
        "date",
        TitleColumn("title", label=_("Training")),
        "hours",
        "topic",
        "level",
        "source",
        "confirmed_by",
    ]
    list_select_related = ("person", "lesson", "course", "confirmed_by")
    list_filter = ["source", "topic", "date"]
    search_fields = ["person__name", "training_name"]


# --- assignments -----------------------------------------------------------------------------


class AssignmentForm(AudiencePeopleMixin, WagtailAdminModelForm):
    """Course, due date and audience; choices narrowed to what the user may assign to."""

    id_numbers = forms.CharField(
        label=_("People (ID numbers)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One ID number per line, to assign to a list of people."),
    )

    class Meta:
        model = CourseAssignment
        fields = [
            "course",
            "due_date",
            "audience_role",
            "audience_industry",
            "audience_enterprise",
            "audience_employment_type",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = CoursePage.objects.live().order_by("title")
        self.fields["audience_enterprise"].queryset = enterprises_editable_by(self.for_user)


class AssignmentDueDateForm(WagtailAdminModelForm):
    class Meta:
        model = CourseAssignment
        fields = ["due_date"]


class AssignmentCreateView(generic.CreateView):
    def save_instance(self):
        data = self.form.cleaned_data
        try:
            return assignment_create(
                user=self.request.user,
                course=data["course"],
                due_date=data["due_date"],
                role=data["audience_role"],
                industry=data["audience_industry"],
                enterprise=data["audience_enterprise"],
                employment_type=data["audience_employment_type"],
                people=self.form.people,
            )
        except ValidationError as error:
            self.form.add_error(None, error)
            raise

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError:
            return self.form_invalid(form)


class AssignmentEditView(ScopedEditView):
    def save_instance(self):
        return assignment_due_date_change(
            user=self.request.user,
            assignment=self.form.instance,
            due_date=self.form.instance.due_date,
        )


class CourseAssignmentViewSet(RegistryViewSet):
    model = CourseAssignment
    form_class = AssignmentForm
    add_view_class = AssignmentCreateView
    edit_view_class = AssignmentEditView
    icon = "group"
    name = "course_assignments"
    url_prefix = "learning/assignments"
    list_display = ["course", "due_date", "enrolled_count", "assigned_by", "created_at"]
    list_select_related = ("course", "assigned_by")
    list_filter = ["due_date"]
    search_fields = ["course__title"]

    def get_form_class(self, for_update=False):
        return AssignmentDueDateForm if for_update else AssignmentForm


# --- the requirement table: the town office corrects it without code ------------------------


class RequirementForm(WagtailAdminModelForm):
    class Meta:
        model = TrainingRequirement
        fields = [
            "person_role",
            "kind",
            "risk_class",
            "hours",
            "due_within_months",
            "three_level",
            "includes_non_regular",
            "source",
            "note",
        ]


class TrainingRequirementViewSet(RegistryViewSet):
    model = TrainingRequirement
    form_class = RequirementForm
    icon = "list-ul"
    name = "training_requirements"
    url_prefix = "learning/requirements"
    list_display = ["person_role", "kind", "risk_class", "hours", "three_level", "source"]
    list_filter = ["person_role", "kind", "risk_class"]


class TopicRequirementForm(WagtailAdminModelForm):
    class Meta:
        model = TopicTrainingRequirement
        fields = ["topic", "applies_to", "period", "times", "within_days_of_hire", "source", "note"]


class TopicTrainingRequirementViewSet(RegistryViewSet):
    """How often a topic (fire safety, 61号令 第三十六条) is trained, per group of staff."""

    model = TopicTrainingRequirement
    form_class = TopicRequirementForm
    icon = "list-ul"
    name = "topic_training_requirements"
    url_prefix = "learning/topic-requirements"
    list_display = ["topic", "applies_to", "period", "times", "within_days_of_hire", "source"]
    list_filter = ["topic", "applies_to"]
