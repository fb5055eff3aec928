"""领导干部必修课程完成率 (`cadre_training`): leading cadres in post whose credited study hours of the
year reached the compulsory course's hours / leading cadres in post (徐泾镇三年行动方案 一(一)1).

Who is a cadre, how many hours the course asks and what counts towards them is the learning
domain's definition (training.learning.selectors.cadres) — not re-encoded here. Cadres belong to a
department, a village or the town, not to an enterprise: a department's figures have its own
cadres, a village's its own, an industry's or an enterprise's none; the town's leaders count in
the town's figures only. A cadre is covered from the month their year's total reached the hours.
"""

from decimal import Decimal

from django.db.models import DecimalField, QuerySet, Value
from django.utils.translation import gettext as _

from reports.metrics.base import Item, Metric, Scope, register
from training.learning.selectors.cadres import (
    cadre_courses,
    cadres_in_post,
    credited_by,
)


def _hours(value) -> str:
    return f"{Decimal(value or 0).normalize():f}"


@register
class CadreTraining(Metric):
    code = "cadre_training"

    def cadres(self, *, scope: Scope) -> QuerySet:
        if scope.industry_id or scope.enterprise_id:
            return cadres_in_post().none()
        if scope.department_id and scope.village_id:
            return cadres_in_post().none()
        if scope.department_id:
            return cadres_in_post().filter(department_id=scope.department_id)
        if scope.village_id:
            return cadres_in_post().filter(village_id=scope.village_id)
        return cadres_in_post()

    def items(self, *, scope: Scope, year: int) -> list[Item]:
        counts: dict[tuple, int] = {}
        for course in cadre_courses(cadres=self.cadres(scope=scope), year=year):
            key = (course.department_id, course.village_id, None, course.covered_month)
            counts[key] = counts.get(key, 0) + 1
        return [Item(*key, n) for key, n in counts.items()]

    def uncovered(self, *, scope: Scope, year: int, month: int) -> QuerySet:
        """Cadres whose hours of the year had not reached the course's by the end of `month`,
        each with the hours `credited` by then (`lacking` says what is missing)."""
        cadres = self.cadres(scope=scope)
        courses = cadre_courses(cadres=cadres, year=year)
        short = [c.person_id for c in courses if c.covered_month is None or c.covered_month > month]
        required = courses[0].required if courses else Decimal(0)
        field = DecimalField(max_digits=5, decimal_places=1)
        return cadres.filter(pk__in=short).annotate(
            credited=credited_by(year=year, month=month),
            required=Value(required, output_field=field),
        )

    def lacking(self, person) -> str:
        required = person.required
        credited = person.credited or 0
        if not credited:
            return _("No study hours of the compulsory course yet (%(required)s required)") % {
                "required": _hours(required)
            }
        return _("%(short)s study hours short (%(done)s of %(required)s done)") % {
            "short": _hours(max(Decimal(required or 0) - Decimal(credited), Decimal(0))),
            "done": _hours(credited),
            "required": _hours(required),
        }

    def reminder_hours(self, *, person_ids: set[int], year: int) -> dict[int, tuple]:
        """Each cadre's hours required this year and credited in the ledger (three queries)."""
        cadres = cadres_in_post().filter(pk__in=person_ids)
        return {
            c.person_id: (c.required, c.totals[-1]) for c in cadre_courses(cadres=cadres, year=year)
        }
