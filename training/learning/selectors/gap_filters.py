"""The filters the learning gap lists share: a person's enterprise, its lead department, its village.

The view's filter set (training.learning.views.gap_lists.GapFilterSet) turns the query string into
a dict of primary keys; the selectors narrow their scoped people with it here.
"""

from django.db.models import QuerySet

GAP_FILTER_LOOKUPS = {
    "enterprise": "employer_id",
    "lead_department": "employer__lead_department_id",
    "village": "employer__village_id",
}


def people_filtered(people: QuerySet, filters: dict | None) -> QuerySet:
    """`people` narrowed by the filters given (keys of GAP_FILTER_LOOKUPS, values primary keys)."""
    for key, lookup in GAP_FILTER_LOOKUPS.items():
        if (filters or {}).get(key):
            people = people.filter(**{lookup: filters[key]})
    return people
