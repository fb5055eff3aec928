"""The two metrics whose source is the certificate registry (certificates app, regulations.md §1,
§3): 特种作业持证上岗率 and 安全管理人员考核合格率.

Who needs which certificate and which statuses let a holder work the post are the registry's
(`certificates.selectors.registry`: `needs_management_certificate`, `usable_certificates`, built on
`status_expression` and `rules.USABLE_STATUSES`) — not re-encoded here.

The status is judged on one day: today for the current year, 31 December for a past one. A
person counts as covered from the month their earliest certificate usable on that day was first
issued (0 when before the year). This is an approximation for the earlier months of the trend: a
certificate that lapsed during the year and was renewed is counted from its first issue, and one
that lapsed before that day is not counted in any month — the registry's status is computed for a
day, not kept month by month. The figure of the current month is exact.

One grouped query per metric for the figures; one query for the drill-down.
"""

import datetime

from django.db.models import (
    Case,
    IntegerField,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import ExtractMonth
from django.utils import timezone

from certificates.models import CertificateType
from certificates.selectors.registry import (
    lacks_special_certificate,
    needs_management_certificate,
    needs_special_certificate,
    usable_certificates,
)
from reports.metrics.base import COVERED_OR_NEVER, PeopleMetric, Scope, register


def judged_on(year: int) -> datetime.date:
    """The day certificates' status is judged for a year's figures."""
    return min(timezone.localdate(), datetime.date(year, 12, 31))


class CertificateMetric(PeopleMetric):
    """People whose post needs a certificate of `qualifies`; covered while one is usable."""

    qualifies: str = ""

    def needs(self) -> Q:
        raise NotImplementedError

    def lacks(self, day: datetime.date) -> Q | None:
        """People who need the certificate and are not covered on `day` whatever they hold
        (None: any usable certificate of `qualifies` covers)."""
        return None

    def counted(self, people: QuerySet, *, year: int) -> QuerySet:
        """Those of `people` who need the certificate, with the month they are covered from."""
        day = judged_on(year)
        month_from = Case(
            When(first_issued_on__lt=datetime.date(year, 1, 1), then=Value(0)),
            default=ExtractMonth("first_issued_on"),
            output_field=IntegerField(),
        )
        # The earliest usable certificate's month, in one subquery (NULL: none usable).
        covered = Subquery(
            usable_certificates(self.qualifies, day)
            .annotate(month_from=month_from)
            .order_by("first_issued_on")
            .values("month_from")[:1],
            output_field=IntegerField(),
        )
        lacks = self.lacks(day)
        if lacks is not None:
            covered = Case(When(lacks, then=Value(None)), default=covered)
        return people.filter(self.needs()).annotate(covered=covered)

    def uncovered(self, *, scope: Scope, year: int, month: int) -> QuerySet:
        return (
            self.people(scope=scope, year=year)
            .alias(not_before=COVERED_OR_NEVER)
            .filter(not_before__gt=month)
        )


@register
class ManagerAssessment(CertificateMetric):
    """Principals and safety managers of the §3 units (high-risk industries and the flagged
    enterprises), including those still within the 6 months after taking office: they need the
    certificate too, and show in the drill-down until they have it."""

    code = "manager_assessment"
    qualifies = CertificateType.Qualifies.MANAGEMENT

    def needs(self) -> Q:
        return needs_management_certificate()


@register
class SpecialOperatorCertified(CertificateMetric):
    """Special operators covered for their post: the registry's one definition
    (`needs_special_certificate`, `lacks_special_certificate`), as in `certification_gaps` — on a
    post from the table, a usable card for every operation or type it requires; flagged on a post
    outside the table, any usable special-operator card. A covered person counts from the month
    their earliest usable special-operator card was first issued (the approximation above)."""

    code = "special_operator_certified"
    qualifies = CertificateType.Qualifies.SPECIAL_OPERATOR

    def needs(self) -> Q:
        return needs_special_certificate()

    def lacks(self, day: datetime.date) -> Q | None:
        return lacks_special_certificate(day)
