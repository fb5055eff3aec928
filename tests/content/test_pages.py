"""Content pages: the tree editors may build, previews, and what each page shows a reader."""

import datetime

import pytest
from django.test import RequestFactory
from django.urls import reverse
from wagtail.documents.models import Document
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.rich_text import RichText
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import (
    nested_form_data,
    querydict_from_html,
    rich_text,
    streamfield,
)

from content.models import (
    ArticleKind,
    ArticlePage,
    CampaignIndexPage,
    CampaignPage,
    CourseIndexPage,
    CriteriaIndexPage,
    CriteriaPage,
    HomePage,
    NewsIndexPage,
    Video,
)
from tests.factories import IndustryFactory
from tests.factories.content import (
    ArticlePageFactory,
    CampaignIndexPageFactory,
    CampaignPageFactory,
    CriteriaIndexPageFactory,
    CriteriaPageFactory,
    NewsIndexPageFactory,
    home_site_make,
)


class TestPageTree(WagtailPageTestCase):
    def test_home_page_only_under_the_root(self):
        self.assertCanCreateAt(Page, HomePage)
        self.assertAllowedParentPageTypes(HomePage, {Page})
        self.assertAllowedSubpageTypes(
            HomePage, {CriteriaIndexPage, CampaignIndexPage, NewsIndexPage, CourseIndexPage}
        )

    def test_only_one_home_page(self):
        root = Page.get_first_root_node()
        assert HomePage.can_create_at(root)
        home_site_make()
        assert not HomePage.can_create_at(root)

    def test_indexes_under_the_home_page_and_their_pages_under_them(self):
        for index, child in (
            (CriteriaIndexPage, CriteriaPage),
            (CampaignIndexPage, CampaignPage),
            (NewsIndexPage, ArticlePage),
        ):
            self.assertCanCreateAt(HomePage, index)
            self.assertCanNotCreateAt(Page, index)
            self.assertAllowedParentPageTypes(index, {HomePage})
            self.assertAllowedSubpageTypes(index, {child})
            self.assertAllowedParentPageTypes(child, {index})
            self.assertAllowedSubpageTypes(child, set())
            self.assertCanNotCreateAt(HomePage, child)

    def test_pages_do_not_go_under_the_wrong_index(self):
        self.assertCanNotCreateAt(CriteriaIndexPage, ArticlePage)
        self.assertCanNotCreateAt(NewsIndexPage, CriteriaPage)
        self.assertCanNotCreateAt(CampaignIndexPage, ArticlePage)
        self.assertCanNotCreateAt(CriteriaPage, CriteriaPage)


@pytest.fixture
def tree(db):
    """A small site: home, one index of each kind, a page of each kind."""
    home = home_site_make()
    criteria_index = CriteriaIndexPageFactory(parent=home, slug="criteria")
    news_index = NewsIndexPageFactory(parent=home, slug="news")
    campaign_index = CampaignIndexPageFactory(parent=home, slug="campaigns")
    industry = IndustryFactory(name="燃气经营")
    gas = CriteriaPageFactory(
        parent=criteria_index,
        title="城镇燃气经营安全重大隐患判定标准",
        slug="gas",
        issuer="住房和城乡建设部",
        document_number="建城规〔2023〕4号",
        effective_date=datetime.date(2023, 6, 1),
        summary="示例摘要：燃气经营重大隐患。",
        body=[
            ("text", RichText("<p>检查时注意违规动火作业。</p>")),
            (
                "hazard_item",
                {
                    "number": "3.1",
                    "hazard": "燃气管道存在泄漏未处置。",
                    "inspection": "用检测仪检测接口。",
                    "legal_basis": "",
                },
            ),
            (
                "hazard_item",
                {
                    "number": "第三条（二）",
                    "hazard": "特种作业人员未持证上岗。",
                    "inspection": "核对操作证。",
                    "legal_basis": "安全生产法第三十条",
                },
            ),
        ],
    )
    gas.industries = [industry]
    gas.save()
    case = ArticlePageFactory(
        parent=news_index,
        title="示例案例：违规动火",
        slug="case",
        kind=ArticleKind.WARNING_CASE,
        body=[("text", RichText("<p>仓库内违规动火作业引发火灾。</p>"))],
    )
    case.tags.add("动火作业")
    case.save()
    campaign = CampaignPageFactory(
        parent=campaign_index,
        title="2025年安全生产月",
        slug="month-2025",
        contest_url="https://example.com/contest",
        events=[
            (
                "event",
                {
                    "date": datetime.date(2025, 6, 16),
                    "place": "文体中心广场",
                    "organiser": "镇安委办",
                    "audience": ["schools", "families"],
                    "description": "",
                },
            )
        ],
        cases=[("case", case)],
    )
    return {
        "home": home,
        "criteria_index": criteria_index,
        "news_index": news_index,
        "campaign_index": campaign_index,
        "gas": gas,
        "case": case,
        "campaign": campaign,
        "industry": industry,
    }


def _html(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.mark.parametrize(
    "key", ["home", "criteria_index", "news_index", "campaign_index", "gas", "case", "campaign"]
)
def test_every_page_type_previews(tree, key):
    page = tree[key]
    request = RequestFactory().get("/")

    response = page.make_preview_request(
        original_request=request, preview_mode=page.default_preview_mode
    )

    assert response.status_code == 200
    assert page.title in response.content.decode()


class TestAdminPreview(WagtailPageTestCase):
    """The editor's preview from the edit form, with the form's own data."""

    def _post_data(self, page, **streams):
        # StreamFields are drawn by JavaScript, so the edit form's HTML lacks their inputs.
        self.client.force_login(self.editor)
        edit = reverse("wagtailadmin_pages:edit", kwargs={"page_id": page.id})
        data = querydict_from_html(self.client.get(edit).content.decode(), form_id="page-edit-form")
        data = data.copy()
        for field in page._meta.get_fields():
            if isinstance(field, StreamField):
                data.pop(f"{field.name}-count", None)
                items = streams.get(field.name, [])
                data.update(nested_form_data({field.name: streamfield(items)}))
        return data

    def test_every_page_type_previews_from_the_edit_form(self):
        self.editor = self.create_superuser("preview-editor")
        home = home_site_make()
        criteria = CriteriaPageFactory(parent=CriteriaIndexPageFactory(parent=home))
        campaign = CampaignPageFactory(parent=CampaignIndexPageFactory(parent=home))
        article = ArticlePageFactory(parent=NewsIndexPageFactory(parent=home))
        hazard = {"number": "3.1", "hazard": "特种作业人员未持证上岗。", "inspection": "核对证件。"}
        data = {
            criteria: {
                "body": [("hazard_item", hazard), ("text", rich_text("<p>违规动火作业</p>"))]
            },
        }
        for page in (home, criteria, campaign, article, home.get_children().first()):
            page = page.specific
            post_data = self._post_data(page, **data.get(page, {}))
            self.assertPageIsPreviewable(page, post_data=post_data, user=self.editor)


def test_criteria_page_shows_its_fields_and_anchored_hazard_items(client, tree):
    html = _html(client, tree["gas"].url)

    for text in (
        "城镇燃气经营安全重大隐患判定标准",
        "住房和城乡建设部",
        "建城规〔2023〕4号",
        "燃气经营",
    ):
        assert text in html
    assert "2023年6月1日" in html
    assert "违规动火作业" in html
    # Each hazard item carries a stable id, and the item list links to it.
    assert 'id="item-3-1"' in html
    assert 'href="#item-3-1"' in html
    assert 'id="item-第三条-二"' in html
    assert "安全生产法第三十条" in html
    assert "现行有效" in html or "In force" in html


def test_superseded_criteria_are_labelled_and_link_to_their_successor(client, tree):
    old = CriteriaPageFactory(
        parent=tree["criteria_index"], title="旧版判定方法", superseded_by=tree["gas"]
    )

    html = _html(client, old.url)

    assert 'class="card badge-superseded"' in html
    assert f'href="{tree["gas"].url}"' in html


def test_criteria_index_filters_by_industry_and_status(client, tree):
    index = tree["criteria_index"]
    other = CriteriaPageFactory(parent=index, title="工贸企业重大事故隐患判定标准")
    repealed = CriteriaPageFactory(
        parent=index, title="已废止的标准", repealed_on=datetime.date(2020, 1, 1)
    )
    old = CriteriaPageFactory(parent=index, title="旧版判定方法", superseded_by=other)
    url = index.url

    everything = _html(client, url)
    by_industry = _html(client, f"{url}?industry={tree['industry'].pk}")
    in_force = _html(client, f"{url}?status=in_force")
    superseded = _html(client, f"{url}?status=superseded")
    junk = _html(client, f"{url}?industry=abc&status=nonsense")

    for title in (tree["gas"].title, other.title, repealed.title, old.title):
        assert title in everything
        assert title in junk
    assert tree["gas"].title in by_industry and other.title not in by_industry
    assert tree["gas"].title in in_force and other.title in in_force
    assert repealed.title not in in_force and old.title not in in_force
    assert repealed.title in superseded and old.title in superseded
    assert tree["gas"].title not in superseded
    # The form is plain HTML: it works without JavaScript and keeps the choice selected.
    assert '<form method="get"' in by_industry
    assert f'<option value="{tree["industry"].pk}" selected>' in by_industry


def test_news_index_filters_by_kind_and_tag(client, tree):
    index = tree["news_index"]
    news = ArticlePageFactory(parent=index, title="安全生产月启动", kind=ArticleKind.NEWS)
    news.tags.add("安全生产月")
    news.save()
    notice = ArticlePageFactory(parent=index, title="知识竞赛通知", kind=ArticleKind.NOTICE)
    url = index.url

    cases = _html(client, f"{url}?kind=warning_case")
    notices = _html(client, f"{url}?kind=notice")
    tagged = _html(client, f"{url}?tag={tree['case'].tags.first().slug}")

    assert tree["case"].title in cases and news.title not in cases
    assert notice.title in notices and news.title not in notices
    assert tree["case"].title in tagged and news.title not in tagged and notice.title not in tagged


def test_article_page_shows_kind_date_tags_and_body(client, tree):
    html = _html(client, tree["case"].url)

    assert "示例案例：违规动火" in html
    assert "仓库内违规动火作业引发火灾。" in html
    assert "动火作业" in html
    assert "2025年6月3日" in html
    assert f'href="{tree["news_index"].url}?tag=' in html


def test_campaign_page_shows_theme_dates_events_cases_and_contest(client, tree):
    html = _html(client, tree["campaign"].url)

    assert "人人讲安全、个个会应急——查找身边安全隐患" in html
    assert "2025年6月1日" in html and "2025年6月30日" in html
    assert "文体中心广场" in html and "镇安委办" in html
    assert f'href="{tree["case"].url}"' in html
    assert 'href="https://example.com/contest"' in html


def test_campaign_end_date_cannot_precede_start(tree):
    from django.core.exceptions import ValidationError

    campaign = tree["campaign"]
    campaign.end_date = datetime.date(2025, 5, 1)

    with pytest.raises(ValidationError):
        campaign.full_clean()


def test_video_block_plays_with_poster_and_transcript(client, tree):
    from django.core.files.base import ContentFile

    video = Video(title="解读视频", type="video", duration=65, transcript="本视频解读判定标准。")
    video.file.save("clip.mp4", ContentFile(b"\x00" * 16), save=False)
    video.thumbnail.save("clip.jpg", ContentFile(b"\xff\xd8\xff"), save=False)
    video.save()
    doc = Document(title="标准全文")
    doc.file.save("standard.pdf", ContentFile(b"%PDF-1.4"), save=False)
    doc.save()
    gas = tree["gas"]
    gas.body = [("video", video), ("document", doc)]
    gas.save()

    html = _html(client, gas.url)

    assert '<video controls preload="metadata" poster="' in html
    assert f'<source src="{video.url}" type="video/mp4">' in html
    assert "<details>" in html and "本视频解读判定标准。" in html
    assert "1:05" in html
    assert f'href="{doc.url}"' in html
