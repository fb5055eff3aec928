"""Chinese full-text search: the segmenting backend on the current database, and /search/.

CI runs this module on SQLite (FTS5) and again on PostgreSQL, so each test proves both.
"""

import datetime
import re
from html import unescape

import pytest
from django.core.management import call_command
from django.urls import reverse
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.rich_text import RichText
from wagtail.search.models import IndexEntry

from content.models import ArticlePage, CampaignPage, CriteriaPage
from content.search import highlight, page_search
from content.search.segment import segment_for_index, segment_query

GAS_TITLE = "城镇燃气经营安全重大隐患判定标准"


@pytest.fixture
def root(db):
    return Site.objects.get(is_default_site=True).root_page


def criteria_add(root, title, *, summary="", hazard="", live=True):
    body = [("hazard_item", {"number": "1", "hazard": hazard, "inspection": "现场检查"})]
    page = CriteriaPage(
        title=title,
        issuer="住房和城乡建设部",
        summary=summary,
        body=body if hazard else [],
        live=live,
    )
    return root.add_child(instance=page)


def article_add(root, title, *, summary="", text="", live=True):
    body = [("text", RichText(f"<p>{text}</p>"))] if text else []
    page = ArticlePage(title=title, summary=summary, body=body, live=live)
    return root.add_child(instance=page)


def campaign_add(root, title, *, summary=""):
    page = CampaignPage(
        title=title,
        year=2025,
        theme="人人讲安全、个个会应急",
        start_date=datetime.date(2025, 6, 1),
        end_date=datetime.date(2025, 6, 30),
        summary=summary,
    )
    return root.add_child(instance=page)


def titles(query, **kwargs):
    return [page.title for page in page_search(query=query, **kwargs).results]


@pytest.fixture
def library(root):
    """A small site: criteria, articles and a campaign with the words the issue names."""
    return {
        "gas": criteria_add(
            root,
            GAS_TITLE,
            summary="适用于城镇燃气经营企业的重大事故隐患判定。",
            hazard="燃气泄漏报警装置未安装或者不能正常使用",
        ),
        "hot_work": article_add(
            root,
            "某厂房火灾事故通报",
            summary="典型事故案例",
            text="事故直接原因是现场违规动火作业，未办理动火审批。",
        ),
        "review": article_add(
            root,
            "特种作业操作证到期提醒",
            text="特种作业人员应当持证上岗，并按期复审。",
        ),
        "month": campaign_add(root, "2025年安全生产月", summary="人人讲安全、个个会应急"),
        "english": article_add(
            root, "Fire drill at the town hall", text="Evacuation drill for all staff"
        ),
    }


# --- the examples and the words it names ---------------------------------------------


def test_gas_finds_the_gas_criteria_by_title(library):
    assert titles("燃气")[0] == GAS_TITLE


def test_hot_work_finds_an_article_by_its_body(library):
    assert titles("动火") == ["某厂房火灾事故通报"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("隐患", GAS_TITLE),  # title and summary
        ("泄漏", GAS_TITLE),  # a hazard item in the StreamField body only
        ("复审", "特种作业操作证到期提醒"),  # rich text in the body only
        ("动火作业", "某厂房火灾事故通报"),  # a user-dictionary term
        ("安全生产月", "2025年安全生产月"),
        ("燃气的隐患", GAS_TITLE),  # a single-character particle does not get in the way
    ],
)
def test_chinese_words_are_found(library, query, expected):
    assert expected in titles(query)


def test_a_word_that_is_nowhere_finds_nothing(library):
    assert titles("地铁") == []


def test_english_words_are_still_found(library):
    assert titles("drill") == ["Fire drill at the town hall"]
    assert titles("evacuation") == ["Fire drill at the town hall"]


def test_a_title_match_ranks_above_a_body_only_match(root):
    body_only = article_add(
        root,
        "安全生产工作简报",
        text="本月共检查企业四十家，其中一家瓶装燃气供应站存在问题，已责令整改。",
    )
    in_title = article_add(root, "燃气安全专项检查", text="本月共检查企业四十家。")
    assert titles("燃气") == [in_title.title, body_only.title]


def test_unpublished_and_private_pages_are_not_found(library, root):
    assert titles("燃气") == [GAS_TITLE]
    assert titles("动火") == ["某厂房火灾事故通报"]
    library["gas"].unpublish()
    criteria_add(root, "燃气工程项目规范（草稿）", live=False)
    PageViewRestriction.objects.create(
        page=library["hot_work"], restriction_type=PageViewRestriction.LOGIN
    )
    assert titles("燃气") == []
    assert titles("动火") == []


def test_the_page_type_filter(library, root):
    article_add(root, "燃气安全宣传进社区")
    search = page_search(query="燃气", page_type="criteria")
    assert [page.title for page in search.results] == [GAS_TITLE]
    assert search.type == "criteria"
    assert {(t.key, t.count) for t in search.types} == {("criteria", 1), ("article", 1)}
    # an unknown type is no filter
    assert len(list(page_search(query="燃气", page_type="nonsense").results)) == 2


def test_update_index_rebuilds_a_segmented_index(library):
    IndexEntry.objects.all().delete()
    assert titles("燃气") == []
    call_command("update_index", verbosity=0)
    assert titles("燃气")[0] == GAS_TITLE
    assert titles("drill") == ["Fire drill at the town hall"]


def test_autocomplete_completes_a_chinese_prefix(library):
    found = Page.objects.live().autocomplete("城镇燃")
    assert [page.title for page in found] == [GAS_TITLE]


def test_the_admin_page_search_finds_a_word_inside_a_title(admin_client, library):
    # The admin matches as you type (autocomplete over titles): 燃气 is the title's second word.
    response = admin_client.get(reverse("wagtailadmin_pages:search"), {"q": "燃气"})
    assert response.status_code == 200
    assert GAS_TITLE in response.content.decode()


# --- segmentation ----------------------------------------------------------------------------


def test_segmentation_keeps_safety_terms_whole_and_latin_text_untouched():
    assert segment_query("违规动火作业") == ["违规", "动火作业"]
    assert segment_query("有限空间 “作业”!") == ["有限空间", "作业"]
    assert segment_query('fire "drill" OR *') == ["fire", "drill", "OR"]
    indexed = segment_for_index("工贸企业重大事故隐患判定标准").split()
    assert {"重大事故隐患", "事故隐患", "隐患", "判定标准"} <= set(indexed)
    assert segment_for_index("Fire drill, GB 50016-2014") == "Fire drill, GB 50016-2014"


def test_highlight_marks_words_and_escapes_the_rest():
    marked = highlight("<b>燃气</b> & 燃气泄漏", ["燃气"])
    assert marked == "&lt;b&gt;<mark>燃气</mark>&lt;/b&gt; &amp; <mark>燃气</mark>泄漏"


# --- /search/ --------------------------------------------------------------------------------


def test_empty_query_shows_the_form_and_no_results(client, library):
    response = client.get(reverse("search"))
    assert response.status_code == 200
    assert b'name="q"' in response.content
    assert not response.context["hits"]


def test_results_are_highlighted_and_page_text_is_escaped(client, root):
    article_add(root, "燃气安全提示", summary="<script>alert(1)</script>关闭燃气阀门")
    response = client.get(reverse("search"), {"q": "燃气"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<mark>燃气</mark>安全提示" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;关闭<mark>燃气</mark>阀门" in html
    assert "<script>alert" not in html


def test_type_links_filter_and_count(client, library, root):
    article_add(root, "燃气安全宣传进社区")
    response = client.get(reverse("search"), {"q": "燃气", "type": "article"})
    html = response.content.decode()
    assert [hit.page.title for hit in response.context["hits"]] == ["燃气安全宣传进社区"]
    assert 'href="?q=%E7%87%83%E6%B0%94&amp;type=criteria"' in html
    assert "(1)" in html


def _links(html: str, pattern: str) -> list[str]:
    return [unescape(href) for href in re.findall(pattern, html)]


def test_type_tabs_and_page_links_keep_the_query_when_followed(client, root):
    """A click on a type tab or a page link searches for the same words (a "??q=" link did not)."""
    for number in range(12):
        article_add(root, f"燃气安全通报第{number}期")
    html = client.get(reverse("search"), {"q": "燃气"}).content.decode()
    types = html.split('class="search-types"', 1)[1].split("</ul>", 1)[0]
    tabs = _links(types, r'<a href="([^"]*)"')
    pages = _links(html, r'<a href="([^"]*)" rel="next"')
    assert tabs and pages
    for href in tabs + pages:
        assert href.startswith("?q=") and not href.startswith("??"), href
        followed = client.get(reverse("search") + href)
        assert followed.context["search"].query == "燃气", href
        assert followed.context["hits"], href


def test_results_are_paginated_with_a_bounded_query_count(
    client, root, django_assert_max_num_queries
):
    for number in range(25):
        article_add(root, f"燃气安全通报第{number}期")
    criteria_add(root, GAS_TITLE)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("search"), {"q": "燃气", "page": 2})
    assert response.status_code == 200
    assert response.context["results"].paginator.count == 26
    assert len(response.context["hits"]) == 10
    assert 'rel="prev"' in response.content.decode()


# --- superseded standards come after current pages --------------------------------------------


def test_a_superseded_standard_ranks_below_the_current_one(client, root):
    old = criteria_add(
        root,
        "工贸企业重大事故隐患判定标准 GB 35181-2017 燃气",
        summary="燃气 燃气 燃气 燃气管道 燃气报警",
        hazard="燃气泄漏",
    )
    current = criteria_add(root, "工贸企业重大事故隐患判定标准 GB 35181-2025", summary="涉及燃气")
    assert titles("燃气")[0] == old.title  # the old one's text scores higher
    old.superseded_by = current
    old.save_revision().publish()
    assert titles("燃气") == [current.title, old.title]
    # A standard repealed without a successor in the library goes down too.
    old.superseded_by, old.repealed_on = None, datetime.date(2025, 11, 1)
    old.save_revision().publish()
    assert titles("燃气") == [current.title, old.title]
    html = client.get(reverse("search"), {"q": "燃气"}).content.decode()
    assert html.index(current.url) < html.index(old.url)


def test_superseded_results_page_on_after_the_current_ones(client, root):
    for number in range(12):
        article_add(root, f"燃气安全通报第{number}期")
    old = criteria_add(root, GAS_TITLE + "（2019年版）", summary="燃气 燃气 燃气")
    old.repealed_on = datetime.date(2020, 1, 1)
    old.save_revision().publish()
    first = client.get(reverse("search"), {"q": "燃气"}).context
    assert first["results"].paginator.count == 13
    assert old.title not in [hit.page.title for hit in first["hits"]]
    second = client.get(reverse("search"), {"q": "燃气", "page": 2}).context
    assert [hit.page.title for hit in second["hits"]][-1] == old.title
    assert len(second["hits"]) == 3
