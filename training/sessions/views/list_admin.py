"""Offline sessions in the back office: the scoped list, creation with the audience, editing."""

from django import forms
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail.admin import messages
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.models import Page

from directory.selectors import enterprises_editable_by
from directory.views.admin import RegistryViewSet
from training.common.forms import AudiencePeopleMixin
from training.sessions.models.sessions import TrainingSession
from training.sessions.selectors.scoping import sessions_editable_by
from training.sessions.services.roster import makeup_session_create, session_create

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
SESSION_FIELDS = [
    "kind",
    "title",
    "starts_at",
    "ends_at",
    "mode",
    "place",
    "lecturer",
    "hours",
    "capacity",
    "admit_uninvited",
    "sign_out_enabled",
    "materials",
]
AUDIENCE_FIELDS = [
    "audience_role",
    "audience_industry",
    "audience_enterprise",
    "audience_employment_type",
]


def _material_pages():
    """Materials: live courses and the content pages (criteria) of the site."""
    return Page.objects.live().filter(depth__gt=2).order_by("title")


class SessionEditForm(WagtailAdminModelForm):
    class Meta:
        model = TrainingSession
        fields = SESSION_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("starts_at", "ends_at"):
            self.fields[name] = forms.DateTimeField(
                label=self.fields[name].label,
                widget=DATETIME_WIDGET,
                input_formats=DATETIME_FORMATS,
            )
        self.fields["materials"].queryset = _material_pages()
        self.fields["materials"].required = False


class SessionCreateForm(AudiencePeopleMixin, SessionEditForm):
    """A new session with its audience, chosen like a course assignment's."""

    id_numbers = forms.CharField(
        label=_("People (ID numbers)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One ID number per line, to invite a list of people."),
    )

    class Meta:
        model = TrainingSession
        fields = SESSION_FIELDS + AUDIENCE_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["audience_enterprise"].queryset = enterprises_editable_by(self.for_user)


class SessionCreateView(generic.CreateView):
    def save_instance(self):
        session = self.form.save(commit=False)
        try:
            session = session_create(
                user=self.request.user, session=session, people=self.form.people
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.message_dict.items():
                    self.form.add_error(field if field in self.form.fields else None, errors)
            else:
                self.form.add_error(None, error)
            raise
        session.materials.set(self.form.cleaned_data.get("materials") or [])
        return session

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError:
            return self.form_invalid(form)


class RosterColumn(Column):
    """A link to the session's roster (attendance, QR sign-in, confirmation)."""

    def get_value(self, instance):
        return format_html(
            '<a href="{}">{}</a>', reverse("session_roster", args=[instance.pk]), _("Roster")
        )


class TrainingSessionViewSet(RegistryViewSet):
    model = TrainingSession
    form_class = SessionCreateForm
    add_view_class = SessionCreateView
    icon = "group"
    name = "training_sessions"
    url_prefix = "training/sessions"
    list_display = [
        "title",
        "kind",
        "starts_at",
        "place",
        "hours",
        "confirmed_at",
        RosterColumn("roster", label=_("Roster")),
    ]
    list_filter = ["kind", "starts_at"]
    search_fields = ["title", "lecturer", "place"]

    def get_form_class(self, for_update=False):
        return SessionEditForm if for_update else SessionCreateForm


class MakeupForm(SessionEditForm):
    """A make-up session: time, place and hours; its kind and roster come from the original."""

    class Meta:
        model = TrainingSession
        fields = [f for f in SESSION_FIELDS if f != "kind"]


def session_makeup(request, pk: int):
    """Create a make-up session inviting those of session `pk` who did not attend."""
    original = get_object_or_404(sessions_editable_by(request.user), pk=pk)
    initial = {
        "title": _("%(title)s (make-up)") % {"title": original.title},
        "hours": original.hours,
    }
    form = MakeupForm(request.POST or None, initial=initial, for_user=request.user)
    if request.method == "POST" and form.is_valid():
        session = form.save(commit=False)
        try:
            session = makeup_session_create(user=request.user, original=original, session=session)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            session.materials.set(form.cleaned_data.get("materials") or [])
            messages.success(
                request,
                _("Make-up session created; %(count)s people invited.")
                % {"count": session.attendances.count()},
            )
            return redirect("session_roster", session.pk)
    return TemplateResponse(
        request, "training/sessions/admin/makeup.html", {"form": form, "original": original}
    )
