"""Corrective actions in the back office: the enterprise adds and closes them, officers accept or
reopen them; overdue open actions come first and are flagged on every scoped list."""

import django_filters
from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.widgets import ListingButton

from directory.selectors import account_role, visible_to
from directory.views.admin import (
    RegistryViewSet,
    ScopedEditView,
    ScopedIndexView,
    ScopedInspectView,
)
from training.common.evidence import inspect_evidence
from training.common.roles import REVIEWER_ROLES
from training.drills.models.corrective_actions import ActionStatus, CorrectiveAction
from training.drills.selectors.follow_up import corrective_actions_with_overdue
from training.drills.selectors.records import drill_records_editable_by
from training.drills.services.follow_up import (
    corrective_action_accept,
    corrective_action_close,
    corrective_action_create,
    corrective_action_update,
)

EDITABLE_FIELDS = ["problem", "measure", "owner", "due_date"]


class CorrectiveActionForm(WagtailAdminModelForm):
    class Meta:
        model = CorrectiveAction
        fields = ["record", *EDITABLE_FIELDS]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "record" in self.fields:
            records = drill_records_editable_by(self.for_user).select_related("enterprise")
            self.fields["record"].queryset = records


class CorrectiveActionEditForm(CorrectiveActionForm):
    class Meta:
        model = CorrectiveAction
        fields = EDITABLE_FIELDS


class CloseForm(WagtailAdminModelForm):
    class Meta:
        model = CorrectiveAction
        fields = ["closing_note", "closing_evidence"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["closing_note"].required = True

    def clean_closing_evidence(self):
        upload = self.cleaned_data.get("closing_evidence")
        if upload and hasattr(upload, "content_type"):
            try:
                inspect_evidence(upload)
            except ValidationError as error:
                raise ValidationError(error.message_dict["file"]) from None
        return upload


class AcceptForm(WagtailAdminModelForm):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("accept", _("Accept")), ("reopen", _("Reopen: not done yet"))],
        widget=forms.RadioSelect,
    )

    class Meta:
        model = CorrectiveAction
        fields = ["acceptance_note"]

    def clean(self):
        cleaned = super().clean()
        note = (cleaned.get("acceptance_note") or "").strip()
        if cleaned.get("decision") == "reopen" and not note:
            self.add_error("acceptance_note", _("Say what is still missing."))
        return cleaned


class CorrectiveActionCreateView(generic.CreateView):
    def save_instance(self):
        return corrective_action_create(user=self.request.user, **self.form.cleaned_data)


class OpenOnlyEditView(ScopedEditView):
    """Editing and closing apply to open actions only; others answer 404."""

    def get_queryset(self):
        return super().get_queryset().filter(status=ActionStatus.OPEN)


class CorrectiveActionEditView(OpenOnlyEditView):
    def save_instance(self):
        action = CorrectiveAction.objects.get(pk=self.object.pk)
        fields = {name: self.form.cleaned_data[name] for name in EDITABLE_FIELDS}
        return corrective_action_update(user=self.request.user, action=action, **fields)


class CorrectiveActionCloseView(OpenOnlyEditView):
    page_title = _("Close corrective action")

    def save_instance(self):
        action = CorrectiveAction.objects.get(pk=self.object.pk)
        upload = self.form.cleaned_data.get("closing_evidence")
        return corrective_action_close(
            user=self.request.user,
            action=action,
            note=self.form.cleaned_data["closing_note"],
            evidence=upload if hasattr(upload, "content_type") else None,
        )


class CorrectiveActionAcceptView(generic.EditView):
    page_title = _("Accept corrective action")
    permission_required = "view"

    def dispatch(self, request, *args, **kwargs):
        if account_role(request.user) not in REVIEWER_ROLES:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return visible_to(self.request.user, self.model, super().get_queryset()).filter(
            status=ActionStatus.DONE
        )

    def save_instance(self):
        action = CorrectiveAction.objects.get(pk=self.object.pk)
        return corrective_action_accept(
            user=self.request.user,
            action=action,
            accept=self.form.cleaned_data["decision"] == "accept",
            note=self.form.cleaned_data.get("acceptance_note", ""),
        )


class ActionFilterSet(WagtailFilterSet):
    overdue = django_filters.BooleanFilter(label=_("Overdue"), field_name="is_overdue")

    class Meta:
        model = CorrectiveAction
        fields = ["status"]


class CorrectiveActionIndexView(ScopedIndexView):
    def get_base_queryset(self):
        return corrective_actions_with_overdue(super().get_base_queryset(), timezone.localdate())

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        role = account_role(self.request.user)
        if instance.status == ActionStatus.OPEN and instance.pk in self.editable_pks:
            url = reverse("corrective_actions:close", args=[instance.pk])
            buttons.append(ListingButton(_("Close"), url=url, icon_name="success", priority=5))
        if instance.status == ActionStatus.DONE and role in REVIEWER_ROLES:
            url = reverse("corrective_actions:accept", args=[instance.pk])
            buttons.append(ListingButton(_("Accept"), url=url, icon_name="tick", priority=5))
        return buttons


class OverdueColumn(Column):
    def get_value(self, instance):
        if getattr(instance, "is_overdue", False):
            return format_html('<strong class="w-text-critical-200">{}</strong>', _("Overdue"))
        return ""


class CorrectiveActionInspectView(ScopedInspectView):
    def get_closing_evidence_display_value(self):
        if not self.object.closing_evidence:
            return ""
        url = reverse("training:action_evidence_file", args=[self.object.pk])
        return format_html('<a href="{}">{}</a>', url, _("Open"))


class CorrectiveActionViewSet(RegistryViewSet):
    model = CorrectiveAction
    add_view_class = CorrectiveActionCreateView
    edit_view_class = CorrectiveActionEditView
    index_view_class = CorrectiveActionIndexView
    inspect_view_class = CorrectiveActionInspectView
    filterset_class = ActionFilterSet
    icon = "warning"
    name = "corrective_actions"
    url_prefix = "drills/actions"
    list_display = [
        "problem",
        Column("enterprise", label=_("Enterprise"), accessor="record.enterprise"),
        "owner",
        "due_date",
        "status",
        OverdueColumn("is_overdue", label=_("Overdue")),
    ]
    list_select_related = ("record__enterprise",)
    search_fields = ["problem", "owner", "record__enterprise__name"]

    def get_form_class(self, for_update=False):
        return CorrectiveActionEditForm if for_update else CorrectiveActionForm

    def get_urlpatterns(self):
        close = self.construct_view(
            CorrectiveActionCloseView, **self.get_edit_view_kwargs(form_class=CloseForm)
        )
        accept = self.construct_view(
            CorrectiveActionAcceptView, **self.get_edit_view_kwargs(form_class=AcceptForm)
        )
        return [
            *super().get_urlpatterns(),
            path("close/<str:pk>/", close, name="close"),
            path("accept/<str:pk>/", accept, name="accept"),
        ]
