"""Chinese search benchmark: index 2,000 pages, then time ~100 queries of 2-4 character words.

    .venv/bin/python benchmarks/search_pages.py                      # SQLite in a temporary file
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python benchmarks/search_pages.py
    .venv/bin/python benchmarks/search_pages.py --pages 10000 --queries 200

Prints the time to create and to index the pages (`update_index`), then latency per query
(median, p95, max) for the backend alone (`Page.objects.live().search(q)[:10]`) and for the whole
/search/ view (type facet, count, first page, highlight, template). Not part of CI: it prints
figures, asserts nothing. With DATABASE_URL the pages go under a page of their own, deleted after.
"""

import argparse
import logging
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from figures import figure

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PLACES = ["徐泾镇", "蟠龙村", "金云村", "前明村", "二联村", "工业园区", "商业综合体", "建筑工地"]
TOPICS = [
    "燃气",
    "动火作业",
    "有限空间",
    "高处作业",
    "危险化学品",
    "粉尘涉爆",
    "消防通道",
    "特种设备",
    "临时用电",
    "应急演练",
    "电动自行车",
    "液化石油气",
]
KINDS = ["安全检查通报", "隐患排查情况", "专项整治方案", "典型事故案例", "培训通知", "判定标准解读"]
SENTENCES = [
    "检查发现{topic}管理不到位，已责令企业限期整改。",
    "企业主要负责人应当组织{topic}专项培训，从业人员持证上岗。",
    "{place}开展{topic}应急演练，参加人数一百余人。",
    "现场存在违规{topic}行为，未办理审批手续，属于重大事故隐患。",
    "特种作业人员应当按期复审，{topic}岗位人员须经考核合格。",
    "发生泄漏时应立即关闭阀门，疏散人员并报告{place}安委办。",
    "安全生产月期间，{place}组织宣传咨询日活动，发放{topic}宣传资料。",
    "对照判定标准逐项检查，{topic}问题整改完成率达到百分之九十。",
]
QUERY_WORDS = [
    *["燃气", "动火", "隐患", "泄漏", "复审", "整改", "培训", "演练", "消防", "阀门"],
    *["有限空间", "高处作业", "危险化学品", "粉尘", "特种设备", "临时用电", "应急", "安委办"],
    *["持证上岗", "判定标准", "事故案例", "宣传", "电动自行车", "液化石油气", "疏散", "审批"],
    *["徐泾镇", "蟠龙村", "工业园区", "检查", "考核", "主要负责人", "安全生产月", "专项整治"],
    *["地铁", "航空", "医院", "学校食堂", "游泳池"],  # words that are nowhere
]


def django_setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    import django

    django.setup()


def page_text(rng: random.Random, sentences: int) -> str:
    return "".join(
        rng.choice(SENTENCES).format(topic=rng.choice(TOPICS), place=rng.choice(PLACES))
        for _ in range(sentences)
    )


def pages_create(count: int) -> tuple[int, float]:
    """`count` article and criteria pages under a page of their own; returns its id and seconds."""
    from django.conf import settings
    from django.db import transaction
    from wagtail.models import Page, Site
    from wagtail.rich_text import RichText

    from content.models import ArticlePage, CriteriaPage

    rng = random.Random(20250601)  # noqa: S311 - repeatable text, not security
    # Indexing is measured on its own below (update_index), not page by page on save.
    settings.WAGTAILSEARCH_BACKENDS["default"]["AUTO_UPDATE"] = False
    started = time.perf_counter()
    with transaction.atomic():
        site_root = Site.objects.get(is_default_site=True).root_page
        parent = site_root.add_child(instance=Page(title="搜索基准测试", slug="search-bench"))
        for number in range(count):
            title = f"{rng.choice(PLACES)}{rng.choice(TOPICS)}{rng.choice(KINDS)}（第{number}号）"
            if number % 4 == 0:
                page = CriteriaPage(
                    title=title,
                    issuer="徐泾镇安委办",
                    summary=page_text(rng, 2),
                    body=[
                        (
                            "hazard_item",
                            {"number": str(item), "hazard": page_text(rng, 1), "inspection": ""},
                        )
                        for item in range(1, 4)
                    ],
                )
            else:
                page = ArticlePage(
                    title=title,
                    summary=page_text(rng, 1),
                    body=[("text", RichText(f"<p>{page_text(rng, 6)}</p>"))],
                )
            parent.add_child(instance=page)
    settings.WAGTAILSEARCH_BACKENDS["default"]["AUTO_UPDATE"] = True
    return parent.pk, time.perf_counter() - started


def timed(function, queries: list[str]) -> list[float]:
    function(queries[0])  # warm: jieba's dictionary, connections, caches
    latencies = []
    for query in queries:
        started = time.perf_counter()
        function(query)
        latencies.append((time.perf_counter() - started) * 1000)
    return latencies


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--queries", type=int, default=100)
    parser.add_argument("--keep", action="store_true", help="keep the pages (with DATABASE_URL)")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="bench-search-"))
    own_database = "DATABASE_URL" not in os.environ
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir / 'bench.sqlite3'}")
    os.environ.setdefault("CELERY_FILESYSTEM_DIR", str(workdir / "celery"))
    django_setup()
    for name in ("wagtail", "django_tasks"):  # a line per page created, indexed, deleted
        logging.getLogger(name).setLevel(logging.WARNING)
    from django.core.management import call_command
    from django.db import connection
    from django.test import RequestFactory
    from wagtail.models import Page
    from wagtail.search.backends import get_search_backend

    from content.views.search import search_view

    # After migrate: modelsearch decides once per process whether SQLite's FTS table exists.
    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor}; backend: {type(get_search_backend()).__module__}")
    parent_id, seconds = pages_create(args.pages)
    print(f"created {args.pages} pages in {seconds:.1f} s")
    started = time.perf_counter()
    call_command("update_index", verbosity=0)
    indexing = time.perf_counter() - started
    print(f"update_index: {indexing:.1f} s")
    figure(issue=3, name="update_index", size=f"{args.pages:,} pages", value=indexing, unit="s")
    # Planner statistics, as autovacuum would gather after a bulk load: without them PostgreSQL
    # joins pages to index entries by nested loop (~10x slower here).
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    rng = random.Random(7)  # noqa: S311
    queries = [rng.choice(QUERY_WORDS) for _ in range(args.queries)]
    factory = RequestFactory()

    def backend_search(query: str) -> None:
        list(Page.objects.live().search(query)[:10])

    def view(query: str) -> None:
        request = factory.get("/search/", {"q": query}, HTTP_HOST="localhost")
        search_view(request).render()

    hits = [Page.objects.live().search(query).count() for query in QUERY_WORDS]
    print(f"matches per query word: median {statistics.median(hits):.0f}, max {max(hits)}")
    print(f"{'':<28} {'median ms':>10} {'p95 ms':>8} {'max ms':>8}")
    for name, function in (("backend search, first 10", backend_search), ("/search/ view", view)):
        latencies = sorted(timed(function, queries))
        p95 = latencies[max(int(len(latencies) * 0.95) - 1, 0)]
        print(f"{name:<28} {statistics.median(latencies):>10.1f} {p95:>8.1f} {latencies[-1]:>8.1f}")
        for stat, value in (("median", statistics.median(latencies)), ("p95", p95)):
            figure(
                issue=3,
                name=f"Chinese search, {name}: {stat}",
                size=f"{args.pages:,} pages",
                value=value,
                unit="ms",
            )

    if not own_database and not args.keep:
        Page.objects.get(pk=parent_id).delete()


if __name__ == "__main__":
    main()
