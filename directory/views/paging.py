"""Pagination of the back office's long lists: counted only up to a cap.

An exact COUNT(*) of the study-hours ledger (3M rows at the district scale) takes longer than the
page itself; nobody pages through 10,000 rows, they search or filter. So a list is counted up to
COUNT_CAP + 1 rows (a COUNT over a LIMIT, which stops early) and, past the cap, says "more than
10,000" and pages through the first 10,000 only. Lists under the cap are counted exactly.
"""

from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.paginator import WagtailPaginator

COUNT_CAP = 10_000


class CappedPaginator(WagtailPaginator):
    """Wagtail's paginator with the count stopping at COUNT_CAP + 1."""

    cap = COUNT_CAP

    @cached_property
    def count(self) -> int:
        object_list = self.object_list
        if hasattr(object_list, "order_by") and hasattr(object_list, "query"):
            # Any order will do to see whether there are more than `cap` rows.
            return object_list.order_by()[: self.cap + 1].count()
        return len(object_list)

    @property
    def capped(self) -> bool:
        return self.count > self.cap

    @cached_property
    def num_pages(self) -> int:
        if self.capped:
            return -(-self.cap // self.per_page)
        return super().num_pages

    @cached_property
    def items_count_label(self):
        if self.capped:
            return _("More than %(count)s %(items)s; search or filter to narrow them") % {
                "count": f"{self.cap:,}",
                "items": self.verbose_name_plural,
            }
        return super().items_count_label


class SearchPaginator(CappedPaginator):
    """A search's results, counted up to a smaller cap: a common surname matches tens of thousands
    of a district's people, and counting 10,000 of them meant reading 140,000 rows; nobody reads
    past the first thousand matches of a search, they type more of the name."""

    cap = 1_000


class ChunkedRows:
    """The rows of a list judged in Python from its people (a gap list: who lacks a certificate
    or the hours a rule asks), judged a chunk of people at a time and only as far as the page
    asked for needs: the district's first page judges the first few hundred people, not 300,000.

    `keys`: the ids of the people the list looks at, in the list's order; `rows_of(ids)`: the
    rows of those people, in that order. How many rows there are in all stays unknown until the
    last chunk is judged (LookaheadPaginator shows "more than N" until then)."""

    def __init__(self, keys, rows_of, *, chunk: int = 500):
        self.keys = keys
        self.rows_of = rows_of
        self.chunk = chunk
        self.rows: list = []
        self.offset = 0
        self.exhausted = False

    def fill_to(self, wanted: int) -> None:
        while len(self.rows) < wanted and not self.exhausted:
            ids = list(self.keys[self.offset : self.offset + self.chunk])
            self.offset += len(ids)
            self.exhausted = len(ids) < self.chunk
            if ids:
                self.rows.extend(self.rows_of(ids))

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, item):
        if isinstance(item, slice):
            self.fill_to(item.stop if item.stop is not None else float("inf"))
        else:
            self.fill_to(item + 1)
        return self.rows[item]

    def __iter__(self):
        self.fill_to(float("inf"))
        return iter(self.rows)


class LookaheadPaginator(WagtailPaginator):
    """Pages of a ChunkedRows: judges up to one row past the page asked for, so it knows whether
    there is a next page; the count is "more than N" until the end has been reached."""

    def get_page(self, number):
        try:
            wanted = max(int(number), 1)
        except (TypeError, ValueError):
            wanted = 1
        fill_to = getattr(self.object_list, "fill_to", None)
        if fill_to is not None:  # a plain list is paged as it is
            fill_to(wanted * self.per_page + 1)
        return super().get_page(number)

    @cached_property
    def count(self) -> int:
        return len(self.object_list)

    @property
    def capped(self) -> bool:
        return not getattr(self.object_list, "exhausted", True)

    @cached_property
    def items_count_label(self):
        if self.capped:
            return _("More than %(count)s %(items)s") % {
                "count": f"{self.count - 1:,}",
                "items": self.verbose_name_plural,
            }
        return super().items_count_label
