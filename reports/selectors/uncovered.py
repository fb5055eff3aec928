"""The drill-down of a metric: who is not covered, narrowed by the viewer's scope, as rows."""

import datetime

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from directory.exports import Masking
from directory.models import User
from directory.selectors import (
    departments_visible_to,
    enterprises_visible_to,
    people_visible_to,
)
from reports.metrics import Metric, Scope, Unit
from reports.selectors.coverage import metric_measure

VISIBLE = {
    Unit.ENTERPRISES: enterprises_visible_to,
    Unit.PEOPLE: people_visible_to,
    Unit.MEMBER_UNITS: departments_visible_to,
}
RELATED = {
    Unit.ENTERPRISES: ("village", "industry", "lead_department"),
    Unit.PEOPLE: ("employer", "department", "village"),
    Unit.MEMBER_UNITS: (),
}


def uncovered_for(
    user: User, metric: Metric, *, scope: Scope, year: int, month: int
) -> QuerySet | None:
    """The items not covered at the end of `month` that the user may see; None: no data."""
    queryset = metric.uncovered(scope=scope, year=year, month=month)
    if queryset is None:
        return None
    visible = VISIBLE[metric.unit](user, queryset).select_related(*RELATED[metric.unit])
    return visible.order_by("name", "pk")


def uncovered_count(
    metric: Metric, *, scope: Scope, year: int, month: int
) -> tuple[int | None, datetime.datetime | None]:
    """How many are not covered: the metric's own figure (denominator - covered) as the
    dashboard shows it, from the snapshot when a fresh one holds the scope, so a list of 100,000
    people is not counted again row by row; with the snapshot's time (None: counted now).
    None when the metric has no figure here."""
    measure, as_of = metric_measure(metric, scope=scope, year=year, month=month)
    if measure is None or measure.denominator is None:
        return None, None
    return measure.denominator - measure.numerator, as_of


def _enterprise_row(masking, e):
    return [e.name, e.credit_code, e.village.name, e.industry.name, e.lead_department.name]


def _person_row(masking, p):
    phone = masking.phone(p)
    if p.is_cadre:
        unit = p.cadre_unit_label
    else:
        unit = p.employer.name if p.employer else (p.department.name if p.department else "")
    return [p.name, unit, p.post, phone]


def _member_unit_row(masking, d):
    return [d.name]


COLUMNS = {
    Unit.ENTERPRISES: (
        [_("Enterprise"), _("Credit code"), _("Village"), _("Industry"), _("Lead department")],
        _enterprise_row,
    ),
    Unit.PEOPLE: ([pgettext_lazy("person", "Name"), _("Unit"), _("Post"), _("Phone")], _person_row),
    Unit.MEMBER_UNITS: ([_("Member unit")], _member_unit_row),
}


def uncovered_header(metric: Metric) -> list:
    header = COLUMNS[metric.unit][0]
    return [*header, _("What is lacking")] if metric.lacking is not None else header


def uncovered_rows(
    user: User, metric: Metric, queryset: QuerySet | list, masking: Masking | None = None
):
    """Each uncovered item as a row of cells (personal data masked as for the viewer)."""
    masking = masking or Masking(user)
    row = COLUMNS[metric.unit][1]
    records = queryset.iterator(chunk_size=2000) if isinstance(queryset, QuerySet) else queryset
    for obj in records:
        cells = row(masking, obj)
        yield [*cells, metric.lacking(obj)] if metric.lacking is not None else cells
