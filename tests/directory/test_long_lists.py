"""Long lists page without reading everything: registry listings are counted up to a cap, lists
judged in Python are judged a chunk at a time, as far as the page asked for."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from directory.constants import AccountRole
from directory.views.paging import (
    CappedPaginator,
    ChunkedRows,
    LookaheadPaginator,
    SearchPaginator,
)
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_a_listing_past_the_cap_says_more_than_and_pages_to_the_cap(
    client, accounts, town, monkeypatch
):
    monkeypatch.setattr(CappedPaginator, "cap", 5)
    for _ in range(6):
        PersonFactory(employer=town["ent_a"])
    client.force_login(accounts[AccountRole.TOWN_OFFICE])
    response = client.get(reverse("registry_people:index"), {"q": "", "status": "active"})
    paginator = response.context["paginator"]
    assert paginator.capped and paginator.num_pages == 1
    html = response.content.decode()
    assert "超过 5 条" in html


def test_a_search_counts_its_matches_to_a_smaller_cap(client, accounts, town, monkeypatch):
    monkeypatch.setattr(SearchPaginator, "cap", 3)
    for n in range(4):
        PersonFactory(employer=town["ent_a"], name=f"欧阳{n}")
    client.force_login(accounts[AccountRole.TOWN_OFFICE])
    found = client.get(reverse("registry_people:index"), {"q": "欧阳"})
    paginator = found.context["paginator"]
    assert paginator.capped and paginator.num_pages == 1
    assert "超过 3 条" in found.content.decode()
    # The whole list, not searched, is still counted to the list's own cap.
    listed = client.get(reverse("registry_people:index")).context["paginator"]
    assert not listed.capped and listed.count == 7


def test_a_listing_under_the_cap_is_counted_exactly(client, accounts, town):
    client.force_login(accounts[AccountRole.TOWN_OFFICE])
    response = client.get(reverse("registry_people:index"))
    paginator = response.context["paginator"]
    assert not paginator.capped
    assert paginator.count == 3  # the town's two employees and its inspector


def test_chunked_rows_judge_only_as_far_as_the_page_needs():
    judged = []

    def rows_of(ids):
        judged.append(list(ids))
        return [f"row {i}" for i in ids if i % 2 == 0]

    rows = ChunkedRows(list(range(20)), rows_of, chunk=4)
    page = LookaheadPaginator(rows, 2).get_page(1)
    assert list(page) == ["row 0", "row 2"]
    assert judged == [[0, 1, 2, 3], [4, 5, 6, 7]]  # three rows known: there is a next page
    assert page.has_next() and page.paginator.capped
    last = LookaheadPaginator(ChunkedRows(list(range(20)), rows_of, chunk=4), 2).get_page(9)
    assert list(last) == ["row 16", "row 18"]
    assert not last.has_next() and not last.paginator.capped
    assert last.paginator.count == 10


@pytest.mark.parametrize(
    "url_name",
    ["certification_gaps:index", "manager_training_gaps:index", "fire_training_gaps:index"],
)
def test_a_gap_list_costs_the_same_queries_for_5_or_60_people(client, accounts, town, url_name):
    client.force_login(accounts[AccountRole.TOWN_OFFICE])
    url = reverse(url_name)

    def grow(n):
        for _ in range(n):
            PersonFactory(
                employer=town["ent_a"],
                is_special_operator=True,
                is_principal=True,
                hire_date=town["ent_a"].created_at.date(),
            )

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    grow(5)
    client.get(url)
    few = queries()
    grow(55)
    assert queries() == few
