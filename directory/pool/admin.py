"""The pool's back-office screens: members (专家库 / 技术检查员) and the inspections they took part
in, listed in the registry's scoped views; the members' list exports through the one path, ID
and phone masked as the person's rules say."""

from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _g
from wagtail.admin.ui.tables import Column

from directory.constants import PersonStatus
from directory.exports import Sheet, export_response
from directory.identifiers import id_number_mask, phone_mask
from directory.messages import date_text
from directory.models import Person, PoolInspection, PoolMember
from directory.pool.forms import PoolInspectionForm, PoolMemberForm
from directory.pool.selectors import pool_register_rows
from directory.views.admin import MaskedColumn, RegistryViewSet, ScopedIndexView


def _label(model, name) -> str:
    return str(capfirst(model._meta.get_field(name).verbose_name))


class PersonMaskedColumn(MaskedColumn):
    """A person's number shown on a membership row, masked by the person's rules."""

    def get_cell_context_data(self, instance, parent_context):
        return super().get_cell_context_data(instance.person, parent_context)


def pool_sheet(records, masking, *, year: int, user) -> Sheet:
    """The members the viewer may see, one row each, numbers masked unless allowed."""
    headers = [
        _label(Person, "name"),
        _label(PoolMember, "kind"),
        _label(Person, "id_number"),
        _label(Person, "phone"),
        _label(Person, "department"),
        _label(PoolMember, "expertise"),
        _label(PoolMember, "qualifications"),
        _label(PoolMember, "employer_name"),
        _label(PoolMember, "contract_start"),
        _label(PoolMember, "contract_end"),
        _label(PoolMember, "service_provider"),
        _g("In service"),
        _g("Inspections in %(year)s") % {"year": year},
    ]
    rows = []
    for row in pool_register_rows(user=user, year=year, queryset=records):
        member, person = row.member, row.member.person
        rows.append(
            [
                person.name,
                member.get_kind_display(),
                masking.id_number(person),
                masking.phone(person),
                person.department.name if person.department else "",
                member.expertise,
                member.qualifications,
                member.employer_name,
                date_text(member.contract_start) if member.contract_start else "",
                date_text(member.contract_end) if member.contract_end else "",
                member.service_provider,
                _g("Yes")
                if member.in_service() and person.status == PersonStatus.ACTIVE
                else _g("No"),
                row.inspections,
            ]
        )
    return Sheet(title=str(PoolMember._meta.verbose_name_plural), headers=headers, rows=rows)


class PoolMemberIndexView(ScopedIndexView):
    @property
    def show_export_buttons(self):
        return True

    def as_spreadsheet(self, queryset, spreadsheet_format):
        fmt = "csv" if spreadsheet_format == self.FORMAT_CSV else "xlsx"
        year = timezone.localdate().year
        user = self.request.user
        return export_response(
            self.request,
            kind=str(PoolMember._meta.verbose_name_plural),
            records=queryset,
            build=lambda records, masking: pool_sheet(records, masking, year=year, user=user),
            filename=f"{self.get_filename()}.{fmt}",
            fmt=fmt,
        )


class PoolMemberViewSet(RegistryViewSet):
    model = PoolMember
    form_class = PoolMemberForm
    icon = "user"
    name = "pool_members"
    url_prefix = "registry/pool"
    index_view_class = PoolMemberIndexView
    list_display = [
        Column("person", label=_label(Person, "name")),
        "kind",
        PersonMaskedColumn("id_number", label=_label(Person, "id_number"), mask=id_number_mask),
        PersonMaskedColumn("phone", label=_label(Person, "phone"), mask=phone_mask),
        "expertise",
        "employer_name",
        "contract_end",
        "service_provider",
    ]
    list_filter = ["kind"]
    list_select_related = ("person", "person__department")
    search_fields = ["person__name", "expertise", "employer_name", "service_provider"]
    export_filename = "pool"
    inspect_view_fields = [
        "person",
        "kind",
        "expertise",
        "qualifications",
        "employer_name",
        "contract_start",
        "contract_end",
        "service_provider",
    ]


class PoolInspectionViewSet(RegistryViewSet):
    model = PoolInspection
    form_class = PoolInspectionForm
    icon = "doc-full"
    name = "pool_inspections"
    url_prefix = "registry/pool-inspections"
    list_display = ["member", "inspected_on", "enterprise", "scope"]
    list_select_related = ("member__person", "enterprise")
    search_fields = ["member__person__name", "enterprise__name", "scope"]
    inspect_view_fields = ["member", "inspected_on", "enterprise", "scope", "findings"]
