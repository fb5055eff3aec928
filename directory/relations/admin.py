"""Related units and attached workers in the back office: listed within the viewer's scope,
added and ended through the services (directory.relations.services)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column

from directory.identifiers import id_number_mask
from directory.models import Attachment, EnterpriseRelation, Person
from directory.relations import services
from directory.relations.forms import (
    AttachmentEndForm,
    AttachmentForm,
    RelationEndForm,
    RelationForm,
)
from directory.views.admin import (
    MaskedColumn,
    RegistryViewSet,
    ScopedCreateView,
    ScopedEditView,
)


def _label(model, name) -> str:
    return str(capfirst(model._meta.get_field(name).verbose_name))


class PersonIdColumn(MaskedColumn):
    """The attached person's ID number, masked by the person's rules."""

    def get_cell_context_data(self, instance, parent_context):
        return super().get_cell_context_data(instance.person, parent_context)


class ServiceWriteMixin:
    """Save through a service; its refusals become the form's errors."""

    def write(self, form):
        raise NotImplementedError

    def save_instance(self):
        return self.write(self.form)

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except (PermissionDenied, ValidationError) as error:
            messages = error.messages if isinstance(error, ValidationError) else [str(error)]
            for message in messages:
                form.add_error(None, message)
            return self.form_invalid(form)


class RelationCreateView(ServiceWriteMixin, ScopedCreateView):
    def write(self, form):
        data = form.cleaned_data
        return services.relation_record(
            user=self.request.user,
            host=data["host"],
            unit=data["unit"],
            kind=data["kind"],
            starts_on=data["starts_on"],
            ends_on=data.get("ends_on"),
            workplaces=data.get("workplaces", ""),
        )


class RelationEndView(ServiceWriteMixin, ScopedEditView):
    def write(self, form):
        relation = EnterpriseRelation.objects.get(pk=form.instance.pk)
        return services.relation_end(
            user=self.request.user, relation=relation, ends_on=form.cleaned_data["ends_on"]
        )


class AttachmentCreateView(ServiceWriteMixin, ScopedCreateView):
    def write(self, form):
        data = form.cleaned_data
        return services.attachment_record(
            user=self.request.user,
            person=data["person"],
            host=data["host"],
            starts_on=data["starts_on"],
            ends_on=data.get("ends_on"),
        )


class AttachmentEndView(ServiceWriteMixin, ScopedEditView):
    def write(self, form):
        attachment = Attachment.objects.get(pk=form.instance.pk)
        return services.attachment_end(
            user=self.request.user, attachment=attachment, ends_on=form.cleaned_data["ends_on"]
        )


class RelationViewSet(RegistryViewSet):
    model = EnterpriseRelation
    form_class = RelationForm
    icon = "link"
    name = "registry_relations"
    url_prefix = "registry/relations"
    add_view_class = RelationCreateView
    edit_view_class = RelationEndView
    list_display = ["host", "unit", "kind", "starts_on", "ends_on", "workplaces"]
    list_filter = ["kind"]
    list_select_related = ("host", "unit")
    search_fields = ["host__name", "unit__name", "host__credit_code", "unit__credit_code"]
    inspect_view_fields = ["host", "unit", "kind", "starts_on", "ends_on", "workplaces"]

    def get_form_class(self, for_update=False):
        return RelationEndForm if for_update else RelationForm


class AttachmentViewSet(RegistryViewSet):
    model = Attachment
    form_class = AttachmentForm
    icon = "user"
    name = "registry_attachments"
    url_prefix = "registry/attachments"
    add_view_class = AttachmentCreateView
    edit_view_class = AttachmentEndView
    list_display = [
        Column("person", label=_label(Person, "name")),
        PersonIdColumn("id_number", label=_label(Person, "id_number"), mask=id_number_mask),
        Column("employer", label=_("Employer"), accessor="person.employer"),
        "host",
        "relation",
        "starts_on",
        "ends_on",
    ]
    list_select_related = ("person__employer", "host", "relation__unit", "relation__host")
    search_fields = ["person__name", "host__name", "person__employer__name"]
    inspect_view_fields = ["person", "host", "relation", "starts_on", "ends_on"]

    def get_form_class(self, for_update=False):
        return AttachmentEndForm if for_update else AttachmentForm
