"""Demo content for seed_demo: the home page, the criteria library, campaigns and articles.

Idempotent and deterministic: every page is looked up by its slug under its parent before it is
made, so a second run reads and writes nothing. The data itself is in content/demo_data.py.
"""

import datetime

from django.db import transaction
from wagtail.models import Page, Site
from wagtail.rich_text import RichText

from content.demo_data import (
    ARTICLES,
    CAMPAIGNS,
    CRITERIA,
    DEMO_NOTE,
    DEMO_VIDEO_TITLE,
    SUPERSEDED_FIRE,
)
from content.models import (
    ArticlePage,
    CampaignIndexPage,
    CampaignPage,
    CriteriaIndexPage,
    CriteriaPage,
    HomePage,
    NewsIndexPage,
)


def _child(parent: Page, slug: str) -> Page | None:
    page = parent.get_children().filter(slug=slug).first()
    return page.specific if page else None


def _publish(parent: Page, page: Page) -> Page:
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def _ensure(parent: Page, page: Page, created: list) -> Page:
    """The page with this slug under parent: the existing one, or this one published."""
    existing = _child(parent, page.slug)
    if existing:
        return existing
    created.append(page.title)
    return _publish(parent, page)


def _home(created: list) -> HomePage:
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node()
        home = _publish(
            root,
            HomePage(
                title="徐泾镇安全生产",
                slug="xujing",
                intro=RichText(
                    "<p>徐泾镇安全生产培训与演练管理平台：学习重大事故隐患判定标准，"
                    "参加安全生产月活动，查看最新通知。</p>"
                ),
                search_description="徐泾镇安全生产宣传、隐患判定标准库和培训入口。",
            ),
        )
        created.append(home.title)
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(hostname="localhost", root_page=home, is_default_site=True)
    elif site.root_page_id != home.pk:
        old_root = site.root_page
        site.root_page = home
        site.save()
        # Wagtail's "Welcome" page is replaced, not kept beside ours.
        if type(old_root.specific) is Page and not old_root.get_children().exists():
            old_root.delete()
    return home


def _criteria_body(items, *, video=None) -> list:
    body = [("text", RichText(f"<p>{DEMO_NOTE}</p>"))]
    if video is not None:
        body.append(("video", video))
    body += [
        ("hazard_item", {"number": n, "hazard": h, "inspection": i, "legal_basis": ""})
        for n, h, i in items
    ]
    if any("动火" in h for _n, h, _i in items):
        body.append(
            (
                "text",
                RichText(
                    "<p>检查提示：违规动火作业是火灾和爆炸事故的常见原因，"
                    "检查时应同时核查动火审批、现场监护和可燃物清理。</p>"
                ),
            )
        )
    return body


def _demo_video():
    from content.media import video_demo_create

    return video_demo_create(title=DEMO_VIDEO_TITLE)


def _criteria(home: HomePage, created: list) -> None:
    from directory.models import Industry

    index = _ensure(
        home,
        CriteriaIndexPage(
            title="重大事故隐患判定标准库",
            slug="criteria",
            intro=RichText("<p>现行有效的重大事故隐患判定标准，可按行业和状态筛选。</p>"),
        ),
        created,
    )
    industries = {i.name: i for i in Industry.objects.all()}
    pages = {}
    for slug, title, issuer, number, effective, industry_names, summary, items in CRITERIA:
        existing = _child(index, slug)
        if existing:
            pages[slug] = existing
            continue
        video = _demo_video() if slug == "gongmao-2023" else None
        page = CriteriaPage(
            title=title,
            slug=slug,
            issuer=issuer,
            document_number=number,
            effective_date=effective,
            summary=summary,
            body=_criteria_body(items, video=video),
        )
        page.industries = [industries[n] for n in industry_names if n in industries]
        pages[slug] = _ensure(index, page, created)
    slug, title, issuer, number, repealed = SUPERSEDED_FIRE
    old = _child(index, slug)
    if old and (old.repealed_on != repealed or not old.superseded_by_id):
        # A library seeded before the repeal date was recorded: complete the page.
        old.repealed_on, old.superseded_by = repealed, pages["huozai-2025"]
        old.save_revision().publish()
    if not old:
        _ensure(
            index,
            CriteriaPage(
                title=title,
                slug=slug,
                issuer=issuer,
                document_number=number,
                superseded_by=pages["huozai-2025"],
                repealed_on=repealed,
                summary="示例摘要：已由 GB 35181-2025《重大火灾隐患判定规则》替代，仅供查阅。",
                body=_criteria_body([]),
            ),
            created,
        )


def _articles(home: HomePage, created: list) -> dict:
    index = _ensure(
        home,
        NewsIndexPage(
            title="新闻动态",
            slug="news",
            intro=RichText("<p>新闻、通知和典型事故案例。</p>"),
        ),
        created,
    )
    articles = {}
    for slug, title, kind, date, tags, summary, paragraph in ARTICLES:
        existing = _child(index, slug)
        if existing:
            articles[slug] = existing
            continue
        page = ArticlePage(
            title=title,
            slug=slug,
            kind=kind,
            date=date,
            summary=summary,
            body=[("text", RichText(f"<p>{paragraph}</p>"))],
        )
        page.tags.add(*tags)
        articles[slug] = _ensure(index, page, created)
    return articles


def _campaigns(home: HomePage, articles: dict, created: list) -> None:
    index = _ensure(
        home,
        CampaignIndexPage(
            title="安全宣传活动",
            slug="campaigns",
            intro=RichText("<p>安全生产月、安全宣传咨询日和其他宣传活动。</p>"),
        ),
        created,
    )
    cases = [
        ("case", articles[slug]) for slug in ("shili-anli-donghuo", "shili-anli-youxian-kongjian")
    ]
    from content.calendar import publicity_calendar_seed
    from content.models import PublicityDate, PublicityTheme

    publicity_calendar_seed(PublicityDate, PublicityTheme)  # a flushed database loses the rows
    entries = {entry.kind: entry for entry in PublicityDate.objects.all()}
    for slug, title, kind, year, theme, start, end in CAMPAIGNS:
        existing = _child(index, slug)
        if existing:
            if existing.calendar_entry_id is None and kind in entries:
                existing.calendar_entry = entries[kind]
                existing.save_revision().publish()
            continue
        consultation_day = datetime.date(year, 6, 16)
        events = [
            (
                "event",
                {
                    "date": consultation_day,
                    "place": "徐泾镇文体中心广场",
                    "organiser": "镇安委办",
                    "audience": ["enterprises", "villages", "communities", "families"],
                    "description": "安全宣传咨询日现场咨询、应急器材展示和隐患举报电话12350宣传。",
                },
            ),
            (
                "event",
                {
                    "date": min(end, start + datetime.timedelta(days=9)),
                    "place": "徐泾镇中心小学",
                    "organiser": "社发办",
                    "audience": ["schools", "families"],
                    "description": "安全知识进校园，开展疏散演练。",
                },
            ),
        ]
        page = CampaignPage(
            title=title,
            slug=slug,
            kind=kind,
            year=year,
            calendar_entry=entries.get(kind),
            theme=theme,
            start_date=start,
            end_date=end,
            summary=f"主题：{theme}。",
            events=events,
            cases=cases,
        )
        _campaign_reach(page, consultation_day, min(end, start + datetime.timedelta(days=9)))
        _ensure(index, page, created)


def _campaign_reach(page, consultation_day: datetime.date, school_day: datetime.date) -> None:
    """The demo campaign's activities, a media report and a warning-film showing (宣传覆盖)."""
    from content.models import CampaignActivity, CampaignFilmShowing, CampaignMediaReport
    from directory.models import Department, Enterprise, Village

    office = Department.objects.filter(is_town_office=True).first()
    villages = list(Village.objects.order_by("name")[:2])
    enterprise = Enterprise.objects.order_by("pk").first()
    village = villages[0] if villages else None
    activities = [
        CampaignActivity(
            date=consultation_day,
            kind="communities",
            place="徐泾镇文体中心广场",
            village=village,
            department=office,
            organiser="镇安委办",
            participants=320,
            materials=800,
            description="安全宣传咨询日现场咨询、应急器材展示和隐患举报电话12350宣传。",
        ),
        CampaignActivity(
            date=school_day,
            kind="schools",
            place="徐泾镇中心小学",
            village=villages[-1] if villages else None,
            organiser="社发办",
            participants=600,
            materials=600,
            description="安全知识进校园，开展疏散演练。",
        ),
    ]
    if enterprise is not None:
        activities.append(
            CampaignActivity(
                date=consultation_day,
                kind="enterprises",
                place=enterprise.name,
                enterprise=enterprise,
                department=office,
                organiser="镇安委办",
                participants=45,
                materials=90,
            )
        )
    page.activities = activities
    page.media_reports = [
        CampaignMediaReport(
            outlet_kind="wechat",
            outlet="徐泾发布",
            date=consultation_day,
            title="安全宣传咨询日活动走进文体中心广场",
        )
    ]
    page.film_showings = [
        CampaignFilmShowing(
            film="生命重于泰山",
            date=consultation_day,
            kind="villages",
            place="村委会会议室",
            village=village,
            department=office,
            audience=80,
        )
    ]


def content_seed(*, stdout) -> None:
    """Adds the demo home page, criteria library, campaigns and articles, all published."""
    created: list[str] = []
    with transaction.atomic():
        home = _home(created)
        _criteria(home, created)
        articles = _articles(home, created)
        _campaigns(home, articles, created)
    if created:
        stdout.write(f"Content: {len(created)} pages published.")
