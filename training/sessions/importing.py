"""Import of a filled paper sign-in sheet into a session's attendance (`attendance`, `--session`).

Template columns: 姓名, 身份证号, 签到时间, 签退时间, 备注. A row with a sign-in time marks the person
present (late after 15 minutes); one without marks them absent, with the remark as the reason.
People not on the roster are admitted only if the session admits uninvited people. It runs
through the registry's import machinery: dry run, all-or-nothing, per-row Chinese reasons.
"""

import datetime

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields
from import_export.widgets import Widget

from directory.identifiers import normalize_code, normalize_text
from directory.importing.base import PersonListLoader, RegistryResource
from directory.importing.widgets import TextWidget, person_columns
from directory.models import Person
from training.sessions.models.sessions import (
    Attendance,
    AttendanceStatus,
    SignInMethod,
    TrainingSession,
)
from training.sessions.services.signin import LATE_AFTER

FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M", "%H:%M", "%H:%M:%S")


class SheetTimeWidget(Widget):
    """A time written on the sheet ("9:05", or a full date and time), on the session's day."""

    def __init__(self, resource):
        super().__init__()
        self.resource = resource

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, datetime.datetime):
            moment = value
        elif isinstance(value, datetime.time):
            moment = datetime.datetime.combine(self._day(), value)
        else:
            text = normalize_text(value).replace("：", ":")
            if not text:
                return None
            moment = self._parse(text)
        return moment if timezone.is_aware(moment) else timezone.make_aware(moment)

    def _day(self) -> datetime.date:
        session = self.resource.session
        return timezone.localdate(session.starts_at) if session else timezone.localdate()

    def _parse(self, text: str) -> datetime.datetime:
        for fmt in FORMATS:
            try:
                # Naive on purpose: clean() makes it aware in the local (Shanghai) zone.
                moment = datetime.datetime.strptime(text, fmt)  # noqa: DTZ007
            except ValueError:
                continue
            return moment if "%Y" in fmt else datetime.datetime.combine(self._day(), moment.time())
        raise ValueError(_("“%(value)s” is not a time (e.g. 9:05).") % {"value": text})

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else f"{timezone.localtime(value):%H:%M}"


class RosterLoader(PersonListLoader):
    """The session's roster rows, keyed by ID number, in one query."""

    def rows(self, resource):
        return None if resource.session is None else resource.session.attendances


class AttendanceResource(RegistryResource):
    """姓名, 身份证号, 签到时间, 签退时间, 备注."""

    key_field = "person"
    required_columns = ("姓名", "身份证号", "签到时间")

    name, person = person_columns()
    signed_in_at = fields.Field(attribute="signed_in_at", column_name="签到时间")
    signed_out_at = fields.Field(attribute="signed_out_at", column_name="签退时间")
    reason = fields.Field(attribute="reason", column_name="备注", widget=TextWidget(max_length=200))

    class Meta:
        model = Attendance
        fields = ("name", "person", "signed_in_at", "signed_out_at", "reason")
        import_id_fields = ("person",)
        instance_loader_class = RosterLoader

    def __init__(self, *, viewer=None, session: int | TrainingSession | None = None):
        super().__init__(viewer=viewer)
        if session is not None and not isinstance(session, TrainingSession):
            session = TrainingSession.objects.filter(pk=session).first()
        self.session = session
        self.fields["signed_in_at"].widget = SheetTimeWidget(self)
        self.fields["signed_out_at"].widget = SheetTimeWidget(self)

    @classmethod
    def upload_option_fields(cls, *, viewer) -> dict:
        from django import forms

        from training.sessions.selectors.scoping import sessions_editable_by

        sessions = sessions_editable_by(viewer).filter(confirmed_at__isnull=True)
        return {
            "session": forms.ModelChoiceField(
                queryset=sessions.order_by("-starts_at"),
                label=gettext_lazy("Session (attendance sheets)"),
                help_text=gettext_lazy(
                    "The session whose filled sign-in sheet this is; only sessions you run whose "
                    "attendance is not yet confirmed."
                ),
            )
        }

    def compared_attnames(self) -> list[str]:
        return ["status", "signed_in_at", "signed_out_at", "reason", "method"]

    def get_bulk_update_fields(self):
        return [*self.compared_attnames(), "marked_by"]

    def before_save_instance(self, instance, row, **kwargs):
        instance.marked_by = self.viewer

    def prefetch(self, dataset):
        ids = {normalize_code(v) for v in dataset[self.fields["person"].column_name]} - {""}
        people = Person.objects.filter(id_number__in=ids).only("pk", "id_number", "name")
        self.fields["person"].widget.cache = {p.id_number: p for p in people}

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        problem = self._row_problem(instance)
        if problem and not errors:
            errors[NON_FIELD_ERRORS] = [problem]
        if errors:
            raise ValidationError(errors)
        self._apply(instance)

    def _row_problem(self, instance) -> str | None:
        session = self.session
        if session is None:
            return _("Name the session (--session) the sheet belongs to.")
        if session.confirmed_at:
            return _("Attendance of this session has been confirmed.")
        if not instance.person_id:
            return None
        if normalize_text(getattr(instance, "import_name", "")) != instance.person.name:
            return _("The name does not match the registry (%(name)s) for this ID number.") % {
                "name": instance.person.name
            }
        if instance.pk is None and not session.admit_uninvited:
            return _("Not on the roster of this session, which admits no one uninvited.")
        if instance.signed_out_at and not instance.signed_in_at:
            return _("A sign-out time needs a sign-in time.")
        out, signed_in = instance.signed_out_at, instance.signed_in_at
        if signed_in and out and out <= signed_in:
            return _("The sign-out time must be after the sign-in time.")
        return None

    def _apply(self, instance) -> None:
        session = self.session
        instance.session = session
        if instance.pk is None:
            instance.invited = False
        if instance.signed_in_at:
            late = instance.signed_in_at > session.starts_at + LATE_AFTER
            instance.status = AttendanceStatus.LATE if late else AttendanceStatus.PRESENT
        else:
            instance.status = AttendanceStatus.ABSENT
        instance.method = SignInMethod.SHEET

    def scope_problem(self, instance):
        from training.sessions.selectors.scoping import sessions_editable_by

        problem = super().scope_problem(instance)
        if problem:
            return problem
        if not sessions_editable_by(self.viewer).filter(pk=self.session.pk).exists():
            return _("You may not run this session.")
        return None

    def file_key(self, instance):
        return instance.person_id
