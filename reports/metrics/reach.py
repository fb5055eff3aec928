"""宣传覆盖: people reached by the campaigns' activities and warning-film showings (徐泾镇三年行动方案
第27条). A count: the participants and audiences of published campaign pages, in the month of the
activity; a department's are those it organised, a village's those that went into it."""

from content.reach.selectors import reach_items
from reports.metrics.base import Item, Metric, Scope, register


@register
class PropagandaReach(Metric):
    code = "propaganda_reach"

    def items(self, *, scope: Scope, year: int) -> list[Item]:
        return [
            Item(department_id, village_id, industry_id, month, people)
            for department_id, village_id, industry_id, month, people in reach_items(
                scope=scope, year=year
            )
            if people
        ]
