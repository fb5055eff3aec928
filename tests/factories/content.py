"""Factories for the content pages (wagtail_factories: `parent=` adds the page under it)."""

import datetime
from decimal import Decimal

import factory
import wagtail_factories
from wagtail.models import Page, Site

from content.models import (
    ArticleKind,
    ArticlePage,
    CampaignIndexPage,
    CampaignKind,
    CampaignPage,
    CourseIndexPage,
    CoursePage,
    CriteriaIndexPage,
    CriteriaPage,
    HomePage,
    LessonPage,
    NewsIndexPage,
    Video,
)

__all__ = [
    "ArticlePageFactory",
    "CampaignIndexPageFactory",
    "CampaignPageFactory",
    "CourseIndexPageFactory",
    "CoursePageFactory",
    "CriteriaIndexPageFactory",
    "CriteriaPageFactory",
    "HomePageFactory",
    "LessonPageFactory",
    "VideoFactory",
    "NewsIndexPageFactory",
    "home_site_make",
]


class HomePageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = HomePage

    title = "徐泾镇安全生产"
    slug = "test-home"
    search_description = "徐泾镇安全生产宣传和培训入口"


class CriteriaIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = CriteriaIndexPage

    title = "隐患判定标准库"
    slug = factory.Sequence(lambda n: f"criteria-{n}")


class CriteriaPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = CriteriaPage

    title = factory.Sequence(lambda n: f"测试判定标准{n}")
    slug = factory.Sequence(lambda n: f"standard-{n}")
    issuer = "应急管理部"
    document_number = factory.Sequence(lambda n: f"测试令第{n}号")
    effective_date = datetime.date(2023, 5, 15)
    summary = "示例摘要：测试用判定标准。"


class CampaignIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = CampaignIndexPage

    title = "安全宣传活动"
    slug = factory.Sequence(lambda n: f"campaigns-{n}")


class CampaignPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = CampaignPage

    title = factory.Sequence(lambda n: f"安全生产月{n}")
    slug = factory.Sequence(lambda n: f"campaign-{n}")
    kind = CampaignKind.SAFETY_MONTH
    year = 2025
    theme = "人人讲安全、个个会应急——查找身边安全隐患"
    start_date = datetime.date(2025, 6, 1)
    end_date = datetime.date(2025, 6, 30)
    summary = "安全生产月活动。"


class NewsIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = NewsIndexPage

    title = "新闻动态"
    slug = factory.Sequence(lambda n: f"news-{n}")


class ArticlePageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = ArticlePage

    title = factory.Sequence(lambda n: f"新闻{n}")
    slug = factory.Sequence(lambda n: f"article-{n}")
    kind = ArticleKind.NEWS
    date = datetime.date(2025, 6, 3)
    summary = "测试新闻摘要。"


class VideoFactory(factory.django.DjangoModelFactory):
    """A video row with a duration; the file is a name only (no probing needed). 45 minutes hold
    the 1.0 学时 LessonPageFactory credits (a lesson credits at most its video's length)."""

    class Meta:
        model = Video

    title = factory.Sequence(lambda n: f"课程视频{n}")
    type = "video"
    file = factory.Sequence(lambda n: f"media/lesson-{n}.mp4")
    duration = 45 * 60


class CourseIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = CourseIndexPage

    title = "课程中心"
    slug = factory.Sequence(lambda n: f"courses-{n}")


class CoursePageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = CoursePage

    title = factory.Sequence(lambda n: f"安全生产培训课程{n}")
    slug = factory.Sequence(lambda n: f"course-{n}")
    summary = "从业人员年度再培训。"


class LessonPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = LessonPage

    title = factory.Sequence(lambda n: f"第{n}课")
    slug = factory.Sequence(lambda n: f"lesson-{n}")
    video = factory.SubFactory(VideoFactory)
    study_hours = Decimal("1.0")


def wagtail_roots_restore() -> None:
    """Wagtail's migrations make the default locale and the roots of the page and collection
    trees; a transactional test's flush removes them, and the transactional tests after it
    (pytest-django runs those last) need them back."""
    from django.conf import settings
    from wagtail.coreutils import get_supported_content_language_variant
    from wagtail.models import Collection, Locale

    Locale.objects.get_or_create(
        language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
    )
    if not Collection.objects.filter(depth=1).exists():
        Collection.add_root(name="根目录")
    if not Page.objects.filter(depth=1).exists():
        Page.add_root(instance=Page(title="根目录", slug="root"))


def home_site_make() -> HomePage:
    """A home page under the root, made the default site's root (as the demo seed does)."""
    wagtail_roots_restore()
    home = HomePageFactory(parent=Page.get_first_root_node())
    site = Site.objects.filter(is_default_site=True).first() or Site(
        hostname="localhost", is_default_site=True
    )
    site.root_page = home
    site.save()
    return home


def migration_data_restore() -> None:
    """The rows the project's data migrations write (certificate types, posts, training-hours
    tables, plan targets, the publicity calendar, group permissions), written again after a
    transactional test's flush emptied them: each data migration of our apps runs again, in
    migration order, on the current models (each is idempotent, as `migrate` requires)."""
    from django.apps import apps
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader
    from django.db.migrations.operations import RunPython

    wagtail_roots_restore()
    ours = {"directory", "training", "certificates", "content", "reports", "dossiers"}
    graph = MigrationLoader(connection).graph
    done = set()
    for leaf in sorted(graph.leaf_nodes()):
        for node in graph.forwards_plan(leaf):
            if node in done or node[0] not in ours:
                continue
            done.add(node)
            for operation in graph.nodes[node].operations:
                if isinstance(operation, RunPython):
                    with connection.schema_editor(atomic=True) as editor:
                        operation.code(apps, editor)
