"""The exemplary enterprises as the public reads them: the town's choices of a year, with the
reasons the town gave — the enterprise's name, its village and lead department, nothing about a
person. The count on the dashboards reads the same rows (reports.metrics.exemplary)."""

from django.db.models import QuerySet
from django.utils import timezone

from directory.constants import EnterpriseStatus
from reports.models import ExemplaryEnterprise


def exemplary_public(*, year: int) -> QuerySet[ExemplaryEnterprise]:
    """The enterprises chosen for `year` that are still active, by name."""
    return (
        ExemplaryEnterprise.objects.filter(year=year, enterprise__status=EnterpriseStatus.ACTIVE)
        .select_related("enterprise__village", "enterprise__lead_department")
        .order_by("enterprise__name", "pk")
    )


def exemplary_years() -> list[int]:
    """The years with a choice, newest first (one query)."""
    return list(
        ExemplaryEnterprise.objects.order_by("-year").values_list("year", flat=True).distinct()
    )


def exemplary_default_year(years: list[int]) -> int:
    """This year if the town chose any, else the latest year it did (or this year)."""
    this_year = timezone.localdate().year
    past = [year for year in years if year <= this_year]
    return this_year if this_year in years or not past else past[0]
