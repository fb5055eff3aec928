"""Back-office registry views: Wagtail's generic views with every queryset narrowed by the scoping.

Listing and inspecting go through `visible_to`; editing, deleting, history and usage through
`editable_by`, so an object outside the user's scope answers 404 and never shows its data.
"""

from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError, Q
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404, redirect
from django.urls import resolve, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.views.generic import history, usage
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import Button
from wagtail.log_actions import registry as log_registry

from directory import services
from directory.export_jobs import Export, export_job_response, worker_export
from directory.exports import Sheet
from directory.identifiers import id_number_mask, normalize_code, phone_mask
from directory.importing.resources import resource_for
from directory.models import Archivable, Enterprise, Person, RegistryLogEntry
from directory.relations.selectors import enterprise_attachments, enterprise_relations
from directory.retention import retention_message
from directory.rights import role_may_archive
from directory.selectors import editable_by, sees_personal_data, visible_to
from directory.services import SOURCE_FORM, registry_changes_log, registry_state
from directory.views.booleans import YesNoColumn, is_boolean_field
from directory.views.paging import CappedPaginator, SearchPaginator

# Hook: fn(user, instance) -> list of wagtail.admin.ui.menus.MenuItem for a registry row's "more".
REGISTRY_ROW_BUTTONS_HOOK = "register_registry_row_buttons"


def archive_url(user, instance, *, back: str = "") -> str | None:
    """The 归档 form of a record kept for its retention period, for a user who may archive in
    general (the screens list only rows in the user's scope; the form checks the row again)."""
    if not isinstance(instance, Archivable) or not role_may_archive(user):
        return None
    url = reverse("directory_archive:archive", args=[instance._meta.label_lower, instance.pk])
    return f"{url}?{urlencode({'next': back})}" if back else url


def contains_q(model, path: str, text: str) -> Q:
    """`path` contains `text` (case-insensitive); a path through a foreign key as a subquery on
    the related table (employer__name: employer IN the enterprises so named), so OR-ing words over
    several tables reads each table once instead of joining them all before filtering (the
    district's people search: 3 s joined, a few hundred ms this way)."""
    name, _sep, rest = path.partition("__")
    if rest:
        field = model._meta.get_field(name)
        if field.many_to_one or (field.one_to_one and field.concrete):
            related = field.related_model
            return Q(
                **{f"{name}__in": related._base_manager.filter(contains_q(related, rest, text))}
            )
    return Q(**{f"{path}__icontains": text})


class ScopedIndexView(generic.IndexView):
    """The listing: only what the user may see, with edit/delete links only where allowed."""

    list_select_related: tuple[str, ...] = ()
    # Counted up to a cap: an exact count of a district's ledger costs more than the page.
    paginator_class = CappedPaginator
    results_template_name = "directory/admin/index_results.html"
    # Fields matched only as a whole (normalised) value, so a search cannot be used to read a
    # masked number digit by digit.
    exact_search_fields: tuple[str, ...] = ()
    # The import kind whose resource writes the spreadsheet ("enterprises", "people"), or None.
    export_kind: str | None = None

    def get_base_queryset(self):
        queryset = visible_to(self.request.user, self.model, super().get_base_queryset())
        if self.list_select_related:
            queryset = queryset.select_related(*self.list_select_related)
        return queryset

    def get_paginator(self, *args, **kwargs):
        if self.is_searching:  # a search's matches are counted to a smaller cap
            return SearchPaginator(*args, **kwargs)
        return super().get_paginator(*args, **kwargs)

    @cached_property
    def is_searchable(self):
        return bool(self.search_fields or self.exact_search_fields) and bool(self.index_results_url)

    def search_queryset(self, queryset):
        if not self.is_searching:
            return queryset
        query = Q()
        for field in self.search_fields or ():
            query |= contains_q(self.model, field, self.search_query)
        code = normalize_code(self.search_query)
        for field in self.exact_search_fields:
            query |= Q(**{field: code})
        return queryset.filter(query)

    def _get_custom_column(self, field_name, column_class=Column, **kwargs):
        # A boolean field's column reads 是 / 否 (directory.views.booleans), whatever the screen.
        if column_class is Column and is_boolean_field(self.model, field_name):
            column_class = YesNoColumn
        return super()._get_custom_column(field_name, column_class, **kwargs)

    def get_table(self, object_list):
        self._listed = object_list
        return super().get_table(object_list)

    @cached_property
    def editable_pks(self) -> set:
        """The listed rows the user may change, in one query for the whole page."""
        pks = [obj.pk for obj in getattr(self, "_listed", ())]
        scoped = editable_by(self.request.user, self.model, self.model.objects.filter(pk__in=pks))
        return set(scoped.order_by().values_list("pk", flat=True))

    def get_edit_url(self, instance):
        if instance.pk in self.editable_pks:
            return super().get_edit_url(instance)
        return None

    def get_delete_url(self, instance):
        if instance.pk in self.editable_pks:
            return super().get_delete_url(instance)
        return None

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if url := archive_url(self.request.user, instance, back=self.request.get_full_path()):
            buttons.append(MenuItem(_("Archive"), url=url, icon_name="folder-inverse", priority=35))
        # Other apps add their actions on a registry row (e.g. printing an enterprise's files)
        # through this hook, so the registry imports none of them.
        for hook in hooks.get_hooks(REGISTRY_ROW_BUTTONS_HOOK):
            buttons.extend(hook(self.request.user, instance))
        return buttons

    # --- export: the rows of the import template, written by the kind's resource ---------
    @cached_property
    def show_export_buttons(self):
        return bool(self.export_kind)

    def get_filename(self):
        return f"{self.export_filename}-{timezone.localdate():%Y%m%d}"

    def as_spreadsheet(self, queryset, spreadsheet_format):
        # Written by the worker: a registry of 300,000 people is no web request's work.
        return export_job_response(self.request, registry_spreadsheet, path=self.request.path)


def _worker_request(asked, path: str) -> HttpRequest:
    """The listing's request as the worker rebuilds it: the account and the query string."""
    request = HttpRequest()
    request.method = "GET"
    request.path = request.path_info = path
    request.GET = asked.GET
    request.user = asked.user
    return request


@worker_export
def registry_spreadsheet(asked, *, path: str) -> Export:
    """A registry listing (at `path`, with its filters, search and order from the query string)
    as its import template's columns, written by the kind's resource row by row."""
    match = resolve(path)
    view_class = getattr(match.func, "view_class", None)
    if not (view_class and issubclass(view_class, ScopedIndexView)):
        raise Http404
    request = asked if isinstance(asked, HttpRequest) else _worker_request(asked, path)
    view = view_class(**getattr(match.func, "view_initkwargs", {}))
    if not view.export_kind:
        raise Http404
    view.setup(request, *match.args, **match.kwargs)
    fmt = "csv" if asked.GET.get("export") == view.FORMAT_CSV else "xlsx"

    def build(records, masking):
        resource = resource_for(view.export_kind, viewer=asked.user)
        resource.before_export(records)
        records = resource.filter_export(records)

        def rows():
            for record in records.iterator(chunk_size=2000):
                yield resource.export_resource(record)
            # The resource masks by itself (the import template's columns); it says if it didn't.
            masking.note(resource.personal_data_exported)

        return Sheet("", resource.get_export_headers(), rows())

    return Export(
        kind=str(view.model._meta.verbose_name_plural),
        records=view.get_queryset(),
        build=build,
        filename=f"{view.get_filename()}.{fmt}",
        fmt=fmt,
    )


# Enterprises and people are written through their services (directory.services.registry):
# create, update, delete; update and delete name the record by the model's name
# (enterprise=, person=).
WRITES = {
    Enterprise: (
        services.enterprise_create,
        services.enterprise_update,
        services.enterprise_delete,
    ),
    Person: (services.person_create, services.person_update, services.person_delete),
}


def form_values(form) -> dict:
    """The model fields the form edits, as cleaned (a disabled field keeps its stored value)."""
    return {
        name: form.cleaned_data[name]
        for name in form._meta.fields
        if name in form.fields and name in form.cleaned_data
    }


class ChangeLoggedMixin:
    """Registry records log their form saves through `registry_changes_log`, like imports and
    services do: one line naming each changed field with its old and new value, instead of
    Wagtail's bare "edited" line. Enterprises and people are saved by their services, which
    log the same way. Other models keep Wagtail's own logging."""

    def save_instance(self):
        if self.model in WRITES:
            create, update, _delete = WRITES[self.model]
            user, values = self.request.user, form_values(self.form)
            if self.form.instance.pk is None:
                instance = create(user=user, values=values, source=SOURCE_FORM)
            else:
                # The form has already written its values onto its instance: start from the row.
                stored = self.model._base_manager.get(pk=self.form.instance.pk)
                keyword = self.model._meta.model_name
                instance = update(**{keyword: stored}, user=user, values=values, source=SOURCE_FORM)
            self.form.instance = instance
            return instance
        if log_registry.get_log_model_for_model(self.model) is not RegistryLogEntry:
            return super().save_instance()
        before = None
        if self.form.instance.pk is not None:
            # The form has already written its values onto the instance: read the stored row.
            before = registry_state(self.model._base_manager.get(pk=self.form.instance.pk))
        kwargs = {"sort_order_field": self.sort_order_field} if before is None else {}
        instance = self.action_class(
            self.form.instance, user=self.request.user, form=self.form, log_action=False, **kwargs
        ).execute(skip_permission_checks=True)
        registry_changes_log(
            changes=[(instance, before)], user=self.request.user, source=SOURCE_FORM
        )
        return instance


class ScopedCreateView(ChangeLoggedMixin, generic.CreateView):
    pass


class ScopedEditView(ChangeLoggedMixin, generic.EditView):
    def get_queryset(self):
        return editable_by(self.request.user, self.model, super().get_queryset())


class ScopedDeleteView(generic.DeleteView):
    """Deletes through the domain's service; a record inside its retention period
    (directory.retention) is refused with the rule and the date it is kept until."""

    def get_queryset(self):
        return editable_by(self.request.user, self.model, super().get_queryset())

    def dispatch(self, request, *args, **kwargs):
        refusal = retention_message(self.object)
        if refusal:
            messages.error(request, refusal)
            return redirect(self.get_success_url())
        return super().dispatch(request, *args, **kwargs)

    def delete_action(self):
        if self.model not in WRITES:
            return super().delete_action()
        delete = WRITES[self.model][2]
        delete(**{self.model._meta.model_name: self.object}, user=self.request.user)

    def form_valid(self, form):
        try:
            with transaction.atomic():
                return super().form_valid(form)
        except ProtectedError:
            messages.error(
                self.request,
                _("%(object)s cannot be deleted while other records refer to it.")
                % {"object": capfirst(str(self.object))},
            )
            return redirect(self.get_success_url())
        except ValidationError as refused:  # directory.retention: a record in its period
            messages.error(self.request, " ".join(refused.messages))
            return redirect(self.get_success_url())


class ScopedInspectView(generic.InspectView):
    list_select_related: tuple[str, ...] = ()

    def get_object(self, queryset=None):
        queryset = visible_to(self.request.user, self.model)
        if self.list_select_related:
            queryset = queryset.select_related(*self.list_select_related)
        return get_object_or_404(queryset, pk=unquote(str(self.pk)))

    @cached_property
    def is_editable(self) -> bool:
        return editable_by(self.request.user, self.model).filter(pk=self.object.pk).exists()

    def get_field_display_value(self, field_name, field):
        # An empty foreign key or number reads as a dash, not Python's "None".
        value = super().get_field_display_value(field_name, field)
        return "—" if value is None else value

    def get_edit_url(self):
        return super().get_edit_url() if self.is_editable else None

    def get_delete_url(self):
        if not self.is_editable or retention_message(self.object):
            return None
        return super().get_delete_url()

    def archive_button(self) -> Button | None:
        """归档, where a delete is refused inside the retention period (directory.retention)."""
        url = archive_url(self.request.user, self.object, back=self.request.get_full_path())
        if url is None:
            return None
        return Button(_("Archive"), url=url, icon_name="folder-inverse", priority=30)

    @cached_property
    def header_more_buttons(self):
        return [*super().header_more_buttons, *filter(None, [self.archive_button()])]


class ScopedHistoryView(history.HistoryView):
    def get_base_object_queryset(self):
        return editable_by(self.request.user, self.model, super().get_base_object_queryset())


class ScopedUsageView(usage.UsageView):
    def get_base_object_queryset(self):
        return editable_by(self.request.user, self.model, super().get_base_object_queryset())


class RegistryViewSet(ModelViewSet):
    """A registry screen: the scoped views above, no copy view, inspect view on."""

    index_view_class = ScopedIndexView
    # Creating needs no object lookup; the form narrows its choices (directory.forms).
    add_view_class = ScopedCreateView
    edit_view_class = ScopedEditView
    delete_view_class = ScopedDeleteView
    history_view_class = ScopedHistoryView
    usage_view_class = ScopedUsageView
    inspect_view_class = ScopedInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    # Registry rows are written in bulk by imports; Django's on_delete already protects their
    # foreign keys, so the reference index would only double every write.
    add_to_reference_index = False
    list_per_page = 50
    list_select_related: tuple[str, ...] = ()
    exact_search_fields: tuple[str, ...] = ()
    export_kind: str | None = None
    form_class = None

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(
            list_select_related=self.list_select_related, **kwargs
        )

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(
            exact_search_fields=self.exact_search_fields, export_kind=self.export_kind, **kwargs
        )

    def get_form_class(self, for_update=False):
        return self.form_class


# --- the people screen: personal data masked unless the viewer may see it ----------------


class MaskedColumn(Column):
    """A column of personal data, shown whole only to those `sees_personal_data` allows."""

    def __init__(self, name, *, mask, **kwargs):
        self.mask = mask
        super().__init__(name, **kwargs)

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        request = parent_context.get("request")
        if request is None or not sees_personal_data(request.user, instance):
            masked = self.mask(context["raw_value"] or "")
            context["raw_value"] = masked
            context["value"] = masked or self.empty_value_display
        return context


class RolesColumn(Column):
    def get_value(self, instance):
        return "、".join(instance.role_labels)


# 一企一档 (the dossiers app, front office) for an enterprise seen in the back office.
def enterprise_file_url(enterprise) -> str:
    return reverse("dossiers:enterprise", args=[enterprise.pk])


class EnterpriseIndexView(ScopedIndexView):
    def get_list_more_buttons(self, instance):
        return [
            MenuItem(
                _("Enterprise training file"),
                url=enterprise_file_url(instance),
                icon_name="doc-full",
                priority=5,
            ),
            *super().get_list_more_buttons(instance),
        ]


# What an enterprise's detail adds to its fields: its relations in force, both ways, and the
# people attached to it (directory.relations).
RELATED_FIELDS = {
    "related_units": _("Related units"),
    "host_relations": _("Works as a related unit for"),
    "attachments": _("Attached workers"),
}


def _relation_text(relation, other) -> str:
    return f"{other.name}（{relation.get_kind_display()}，{relation.starts_on.isoformat()}—）"


class EnterpriseInspectView(ScopedInspectView):
    def get_fields(self):
        return [*super().get_fields(), *RELATED_FIELDS]

    def get_field_label(self, field_name, field):
        if field_name in RELATED_FIELDS:
            return RELATED_FIELDS[field_name]
        return super().get_field_label(field_name, field)

    @cached_property
    def relations(self):
        return enterprise_relations(self.object)

    def get_related_units_display_value(self):
        rows = self.relations["units"]
        return "、".join(_relation_text(r, r.unit) for r in rows) or "—"

    def get_host_relations_display_value(self):
        rows = self.relations["hosts"]
        return "、".join(_relation_text(r, r.host) for r in rows) or "—"

    def get_attachments_display_value(self):
        rows = enterprise_attachments(self.object)
        return "、".join(f"{a.person.name}（{a.person.employer or '—'}）" for a in rows) or "—"

    @cached_property
    def header_more_buttons(self):
        file = Button(
            _("Enterprise training file"),
            url=enterprise_file_url(self.object),
            icon_name="doc-full",
            priority=5,
        )
        return [file, *super().header_more_buttons]


class PersonInspectView(ScopedInspectView):
    @cached_property
    def sees_personal_data(self) -> bool:
        return sees_personal_data(self.request.user, self.object)

    def get_id_number_display_value(self):
        if self.sees_personal_data:
            return self.object.id_number
        return id_number_mask(self.object.id_number)

    def get_phone_display_value(self):
        if self.sees_personal_data:
            return self.object.phone
        return phone_mask(self.object.phone)

    def get_birth_date_display_value(self):
        # The birth date is the middle of the ID number, which the mask hides.
        if self.sees_personal_data or not self.object.birth_date:
            return self.object.birth_date
        return "****-**-**"
