"""The coverage dashboard's figures as HTML, kept in the shared cache per scope and version.

A district's dashboard is fourteen metrics with their rankings, hundreds of rows: 100–250 ms of
template work for one scope, the same for every officer of it until the next snapshot. The view
(reports.views.dashboard) renders them on a miss; `dashboards_prerender`, run by the snapshot
task right after each refresh, renders the dashboard every officer opens first (their own
unit's, this month, in the site's language) so that the first visit after a refresh is read
from the cache too.
"""

import datetime

from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.http import urlencode
from django.utils.safestring import mark_safe

from directory.constants import AccountRole
from directory.models import User
from reports.metrics import Kind, Scope
from reports.selectors.coverage import dashboard_figures, dashboard_version
from reports.selectors.scoping import dashboard_scope_for

# Rankings longer than twice this show the first and the last this many rows (?all=1: every row).
RANKING_EDGE = 10
OFFICER_ROLES = (
    AccountRole.TOWN_OFFICE,
    AccountRole.DEPARTMENT_OFFICER,
    AccountRole.VILLAGE_OFFICER,
)


def scope_params(scope: Scope, year: int, month: int, **extra) -> str:
    params = {
        "department": scope.department_id,
        "village": scope.village_id,
        "industry": scope.industry_id,
        "year": year,
        "month": month,
        **extra,
    }
    return urlencode({k: v for k, v in params.items() if v})


def dashboard_figures_html(
    *, scope: Scope, year: int, month: int, today: datetime.date, every_row: bool = False
) -> str:
    """The scope's figures, rendered; kept in the shared cache while what they are read from
    holds (reports.selectors.coverage.dashboard_version). One enterprise's figures are counted
    live, never kept."""
    version = None if scope.enterprise_id else dashboard_version(year=year, today=today)
    key = None
    if version is not None:
        shown = scope_params(scope, year, month, all=int(every_row))
        key = f"coverage-dashboard:{version[0]}:{translation.get_language()}:{shown}"
        cached = cache.get(key)
        if cached is not None:
            return mark_safe(cached)  # noqa: S308 - rendered by the template below
    figures = dashboard_figures(scope=scope, year=year, month=month, today=today)
    for fig in figures:
        fig.uncovered_query = scope_params(scope, year, month)
        for by, rows in fig.rankings.items():
            for rank, row in enumerate(rows, start=1):
                row.rank = rank
            if not every_row and len(rows) > 2 * RANKING_EDGE:
                # A city has hundreds of villages: the leaders and the laggards, the rest on demand.
                hidden = {"hidden": len(rows) - 2 * RANKING_EDGE}
                rows = fig.rankings[by] = [*rows[:RANKING_EDGE], hidden, *rows[-RANKING_EDGE:]]
            for row in rows:
                if not isinstance(row, dict):  # the links of the rows shown only
                    narrowed = scope.narrowed(**{f"{row.by}_id": row.pk})
                    row.query = scope_params(narrowed, year, month)
    html = render_to_string(
        "reports/dashboard_figures.html",
        {
            "figures": figures,
            "rate": Kind.RATE,
            "all_query": scope_params(scope, year, month, all=1),
        },
    )
    if key is not None:
        cache.set(key, html, timeout=version[1])
    return mark_safe(html)  # noqa: S308 - rendered by the template above


def dashboards_prerender(*, today: datetime.date) -> int:
    """Render the dashboard each active officer account opens first -- its unit's, this month,
    every ranking cut to its leaders and laggards, in the site's language -- into the cache, once
    per unit; the number of units. Nothing is kept while no snapshot is fresh."""
    if dashboard_version(year=today.year, today=today) is None:
        return 0
    officers = User.objects.filter(is_active=True, role__in=OFFICER_ROLES)
    scopes = {dashboard_scope_for(user) for user in officers.order_by("pk")} - {None}
    with translation.override(settings.LANGUAGE_CODE):
        for scope in scopes:
            dashboard_figures_html(scope=scope, year=today.year, month=today.month, today=today)
    return len(scopes)
