"""示范企业: the exemplary enterprises named, counted against "2–3 per department by end-2024"
(徐泾镇三年行动方案). A count, not a rate: an enterprise named in an earlier year still counts."""

from reports.metrics.base import Item, Metric, Scope, register


@register
class ExemplaryEnterprises(Metric):
    code = "exemplary_enterprises"

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
