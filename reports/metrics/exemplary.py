"""示范企业: the exemplary enterprises named, counted against "2–3 per department by end-2024"
(徐泾镇三年行动方案). A count, not a rate: an enterprise named in an earlier year still counts."""

from django.utils.translation import gettext_lazy as _

from reports.metrics.base import Item, Kind, Metric, Scope, Unit, register


@register
class ExemplaryEnterprises(Metric):
    code = "exemplary_enterprises"
    label = _("Exemplary enterprises")
    description = _("Enterprises named exemplary by the end of the year")
    unit = Unit.ENTERPRISES
    kind = Kind.COUNT
    order = 80
    source_note = "徐泾镇三年行动方案: 每个牵头部门2–3家示范企业"

    def items(self, *, scope: Scope, year: int) -> list[Item]:
        from reports.models import ExemplaryEnterprise

        rows = (
            ExemplaryEnterprise.objects.filter(
                year__lte=year, enterprise__in=scope.enterprises().values("pk")
            )
            .order_by()
            .values_list(
                "enterprise_id",
                "enterprise__lead_department_id",
                "enterprise__village_id",
                "enterprise__industry_id",
                "year",
                "named_on",
            )
        )
        # An enterprise named in several years counts once, from its first naming.
        first: dict[int, Item] = {}
        for pk, department_id, village_id, industry_id, named_year, named_on in rows:
            month = named_on.month if named_year == year else 0
            if pk not in first or month < first[pk].covered_month:
                first[pk] = Item(department_id, village_id, industry_id, month)
        return list(first.values())
