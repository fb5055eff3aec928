"""The task lines of a unit's monthly report as a form: one small form per task, prefixed by
the task, validated and saved together with the report's narrative."""

from django import forms
from django.utils.translation import gettext_lazy as _

from plan.progress.selectors import TaskLine
from plan.progress.services import ProgressEntry


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented pattern)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def has_changed(self, initial, data):
        # The widget gives an empty list when no file was chosen: nothing changed then.
        return bool(data)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class TaskProgressForm(forms.Form):
    progress = forms.CharField(
        label=_("progress this month"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    percent = forms.IntegerField(
        label=_("percent complete"), required=False, min_value=0, max_value=100
    )
    problems = forms.CharField(
        label=_("problems"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    evidence = MultipleFileField(label=_("Add evidence files"), required=False)
    remove = forms.TypedMultipleChoiceField(
        label=_("Remove"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, line: TaskLine, **kwargs):
        progress = line.progress
        if progress is not None:
            kwargs["initial"] = {
                "progress": progress.progress,
                "percent": progress.percent,
                "problems": progress.problems,
            }
        super().__init__(*args, **kwargs)
        self.line = line
        if line.measured:
            del self.fields["percent"]
        self.fields["remove"].choices = [(e.pk, e.name) for e in line.evidence]

    def entry(self) -> ProgressEntry:
        data = self.cleaned_data
        return ProgressEntry(
            task_id=self.line.task.pk,
            progress=data["progress"],
            percent=data.get("percent"),
            problems=data["problems"],
            uploads=data["evidence"],
            remove=data["remove"],
        )


class ReportProgressForm:
    """The per-task forms of one report; `payload` is the entries of the tasks that changed."""

    def __init__(self, *, lines: list[TaskLine], data=None, files=None):
        self.lines = lines
        self.forms = [
            TaskProgressForm(data, files, line=line, prefix=f"task-{line.task.pk}")
            for line in lines
        ]

    def is_valid(self) -> bool:
        return all([form.is_valid() for form in self.forms])

    @property
    def payload(self) -> list[ProgressEntry]:
        return [form.entry() for form in self.forms if form.has_changed()]
