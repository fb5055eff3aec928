"""Online learning in the back office: the study-hours ledger (history entered or imported)."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic

from directory.identifiers import normalize_code
from directory.selectors import people_editable_by
from directory.views.admin import RegistryViewSet
from training.models import StudyHourEntry
from training.services import ledger_history_record


class HistoryEntryForm(WagtailAdminModelForm):
    """A past training entered by hand: the person is found by ID number, within scope."""

    id_number = forms.CharField(label=_("ID number"), max_length=18)

    class Meta:
        model = StudyHourEntry
        fields = ["training_name", "training_type", "hours", "date", "organisation"]

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
        "source",
        "confirmed_by",
    ]
    list_select_related = ("person", "lesson", "course", "confirmed_by")
    list_filter = ["source", "date"]
    search_fields = ["person__name", "training_name"]
