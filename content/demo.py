"""Demo content for seed_demo: the home page, the criteria library, campaigns and articles.

Idempotent and deterministic: every page is looked up by its slug under its parent before it is
made, so a second run reads and writes nothing. Standards' titles, issuers, numbers and dates
come from shared/reference/regulations.md §6; the summaries and hazard items are short texts
written for the demo and say so (示例摘要).
"""

import datetime

from django.db import transaction
from wagtail.models import Page, Site
from wagtail.rich_text import RichText

from content.models import (
    ArticleKind,
    ArticlePage,
    CampaignIndexPage,
    CampaignKind,
    CampaignPage,
    CriteriaIndexPage,
    CriteriaPage,
    HomePage,
    NewsIndexPage,
)

DEMO_NOTE = "示例摘要：以下内容为演示平台编写的简要摘录，不是标准原文；以正式发布的文本为准。"
DEMO_VIDEO_TITLE = "《工贸企业重大事故隐患判定标准》解读（演示视频）"
D = datetime.date

# (slug, title, issuer, document number, effective date, industries, summary, hazard items)
# Hazard items: (number, hazard, how an inspector checks it).
CRITERIA = [
    (
        "gongmao-2023",
        "工贸企业重大事故隐患判定标准",
        "应急管理部",
        "应急管理部令第10号",
        D(2023, 5, 15),
        ["机械制造", "电子制造", "纺织服装", "金属冶炼", "商贸零售", "仓储物流"],
        "示例摘要：适用于冶金、有色、建材、机械、轻工、纺织、烟草、商贸等工贸企业，共列出64项重大事故隐患。",
        [
            (
                "第三条（一）",
                "未对承包单位、承租单位的安全生产工作统一协调、管理，或者未定期进行安全检查。",
                "查阅承包、承租合同和安全管理协议，以及安全检查记录。",
            ),
            (
                "第三条（二）",
                "特种作业人员未持证上岗：未按照规定经专门的安全作业培训并取得相应资格即上岗作业。",
                "查阅特种作业人员名册和操作证，现场核对作业人员身份与证件。",
            ),
            (
                "示例-动火",
                "在易燃易爆场所违规动火作业，未办理动火审批、未清理可燃物或未安排专人监护。",
                "查阅动火作业审批单，现场检查可燃物清理和监护人员到位情况。",
            ),
        ],
    ),
    (
        "huagong-2017",
        "化工和危险化学品生产经营单位重大生产安全事故隐患判定标准（试行）",
        "原国家安全生产监督管理总局",
        "安监总管三〔2017〕121号",
        None,
        ["危险化学品"],
        "示例摘要：列出化工和危险化学品生产经营单位应判定为重大事故隐患的情形，如主要负责人未经考核合格、特种作业人员未持证上岗等。",
        [
            (
                "第一条",
                "危险化学品生产、经营单位主要负责人和安全生产管理人员未依法经考核合格。",
                "查阅主要负责人和安全管理人员的考核合格证明。",
            ),
            (
                "第二条",
                "特种作业人员未持证上岗。",
                "核对化工自动化控制仪表等特种作业人员的操作证。",
            ),
        ],
    ),
    (
        "yanhua-2017",
        "烟花爆竹生产经营单位重大生产安全事故隐患判定标准（试行）",
        "原国家安全生产监督管理总局",
        "安监总管三〔2017〕121号",
        None,
        ["烟花爆竹"],
        "示例摘要：列出烟花爆竹生产经营单位应判定为重大事故隐患的情形，如超许可范围生产经营、超量储存等。",
        [
            (
                "第一条",
                "主要负责人、安全生产管理人员未依法经考核合格。",
                "查阅考核合格证明和任职文件。",
            ),
            (
                "第二条",
                "超许可范围、超许可能力生产经营，或者仓库超量储存。",
                "核对许可证载明的范围和库存台账。",
            ),
        ],
    ),
    (
        "kuangshan-2022",
        "金属非金属矿山重大事故隐患判定标准",
        "国家矿山安全监察局",
        "矿安〔2022〕88号",
        None,
        ["非煤矿山"],
        "示例摘要：分地下矿山、露天矿山、尾矿库等列出重大事故隐患判定情形。",
        [
            (
                "示例-1",
                "安全出口不符合国家标准、行业标准或者设计要求。",
                "现场核查安全出口数量、位置和畅通情况。",
            ),
            (
                "示例-2",
                "使用国家明令禁止使用的设备、材料或者工艺。",
                "对照淘汰目录检查在用设备和工艺。",
            ),
        ],
    ),
    (
        "meikuang",
        "煤矿重大事故隐患判定标准",
        "应急管理部",
        "应急管理部令第4号",
        None,
        [],
        "示例摘要：列出煤矿超能力、超强度、超定员组织生产等重大事故隐患情形。",
        [
            ("示例-1", "超能力、超强度或者超定员组织生产。", "核对生产计划、产量记录和入井人数。"),
            ("示例-2", "瓦斯超限作业。", "查阅瓦斯监测记录和超限处置记录。"),
        ],
    ),
    (
        "huozai-2025",
        "重大火灾隐患判定规则 GB 35181-2025",
        "国家市场监督管理总局、国家标准化管理委员会",
        "GB 35181-2025",
        D(2025, 11, 1),
        ["餐饮住宿", "商贸零售", "文化娱乐", "旅馆业", "医疗养老", "仓储物流"],
        "示例摘要：规定重大火灾隐患的判定原则、程序和判定要素，替代 GB 35181-2017。",
        [
            (
                "示例-1",
                "疏散通道、安全出口被占用、堵塞、封闭，或者数量不足。",
                "现场检查疏散通道、安全出口和疏散指示标志。",
            ),
            (
                "示例-2",
                "消防设施未保持完好有效，自动消防系统处于故障或关闭状态。",
                "查看消防控制室记录，测试报警和喷淋系统。",
            ),
            (
                "示例-3",
                "在人员密集场所违规动火作业或者违规使用明火。",
                "查阅动火审批记录，现场检查明火使用情况。",
            ),
        ],
    ),
    (
        "fangwu-shizheng-2022",
        "房屋市政工程生产安全重大事故隐患判定标准（2022版）",
        "住房和城乡建设部",
        "建质规〔2022〕2号",
        None,
        ["建筑施工"],
        "示例摘要：适用于房屋建筑和市政基础设施工程，列出施工安全管理、深基坑、模板、起重机械等方面的重大事故隐患。",
        [
            (
                "示例-1",
                "建筑施工企业未取得安全生产许可证擅自从事建筑施工活动。",
                "核对施工企业安全生产许可证。",
            ),
            (
                "示例-2",
                "建筑施工特种作业人员未取得特种作业人员操作资格证书上岗作业。",
                "查阅架子工、塔吊司机等人员证件并现场核对。",
            ),
        ],
    ),
    (
        "chengzhen-ranqi-2023",
        "城镇燃气经营安全重大隐患判定标准",
        "住房和城乡建设部",
        "建城规〔2023〕4号",
        None,
        ["燃气经营", "餐饮住宿"],
        "示例摘要：列出燃气经营者在经营许可、场站设施、管道和用户服务等方面的重大隐患情形。",
        [
            (
                "示例-1",
                "燃气管道、设施存在燃气泄漏，未及时采取处置措施。",
                "用燃气检测仪检测管道接口和阀门，查阅巡检和抢修记录。",
            ),
            (
                "示例-2",
                "燃气经营者未取得燃气经营许可证从事燃气经营活动。",
                "核对燃气经营许可证和经营范围。",
            ),
        ],
    ),
    (
        "daolu-yunshu-2023",
        "道路运输企业和城市客运企业安全生产重大事故隐患判定标准（试行）",
        "交通运输部",
        "交办运〔2023〕52号",
        None,
        ["道路运输"],
        "示例摘要：列出道路运输企业和城市客运企业在车辆、驾驶员和动态监控等方面的重大事故隐患。",
        [
            (
                "示例-1",
                "未按规定对车辆进行动态监控，或者监控系统长期故障不处理。",
                "查看动态监控平台记录和报警处置台账。",
            ),
            ("示例-2", "驾驶员未取得相应从业资格。", "核对驾驶员从业资格证。"),
        ],
    ),
    (
        "gonglu-yunying-2023",
        "公路运营领域重大事故隐患判定标准",
        "交通运输部",
        "交办公路〔2023〕59号",
        None,
        ["道路运输"],
        "示例摘要：列出公路桥梁、隧道、边坡等运营设施的重大事故隐患判定情形。",
        [
            (
                "示例-1",
                "桥梁技术状况评定为四类、五类后未采取限载、封闭等措施。",
                "查阅桥梁检测报告和管控措施记录。",
            ),
            ("示例-2", "隧道消防、照明、通风等设施缺失或者失效。", "现场测试隧道机电设施。"),
        ],
    ),
    (
        "daolu-jiaotong-2023",
        "道路交通重大事故隐患排查指引（试行）",
        "公安部交通管理局",
        "公交管〔2023〕209号",
        None,
        ["道路运输"],
        "示例摘要：指导排查道路交通中的重点车辆、重点驾驶人和道路通行条件等方面的重大隐患。",
        [
            ("示例-1", "重点车辆逾期未检验、逾期未报废仍上路行驶。", "比对车辆检验和报废信息。"),
            (
                "示例-2",
                "急弯陡坡、临水临崖路段缺少安全防护设施。",
                "现场查看路段防护设施和警示标志。",
            ),
        ],
    ),
    (
        "minbao-2023",
        "民用爆炸物品行业重大事故隐患判定标准（试行）",
        "工业和信息化部",
        "工信厅安全函〔2023〕337号",
        None,
        [],
        "示例摘要：列出民用爆炸物品生产、销售企业的重大事故隐患判定情形。",
        [
            ("示例-1", "超许可能力、超范围生产。", "核对生产许可和产量记录。"),
            ("示例-2", "危险品仓库超量储存或者混存。", "检查仓库库存和分类存放情况。"),
        ],
    ),
    (
        "tezhong-shebei-2024",
        "特种设备重大事故隐患判定准则",
        "国家市场监督管理总局",
        "",
        D(2024, 12, 1),
        ["机械制造", "仓储物流", "商贸零售", "餐饮住宿"],
        "示例摘要：列出锅炉、压力容器、电梯、起重机械、场（厂）内专用机动车辆等特种设备的重大事故隐患。",
        [
            (
                "示例-1",
                "使用未取得许可生产、未经检验或者检验不合格的特种设备。",
                "查阅使用登记证和定期检验报告。",
            ),
            (
                "示例-2",
                "特种设备作业人员未取得相应资格即上岗作业。",
                "核对叉车、起重机司机等人员的特种设备作业人员证。",
            ),
        ],
    ),
]
# The 2017 fire standard, kept in the library to show what "superseded" looks like.
SUPERSEDED_FIRE = (
    "huozai-2017",
    "重大火灾隐患判定方法 GB 35181-2017",
    "原国家质量监督检验检疫总局、国家标准化管理委员会",
    "GB 35181-2017",
)

# Publicity calendar and themes: regulations.md §5.
CAMPAIGNS = [
    (
        "anquan-shengchan-yue-2024",
        "2024年安全生产月",
        CampaignKind.SAFETY_MONTH,
        2024,
        "人人讲安全、个个会应急——畅通生命通道",
        D(2024, 6, 1),
        D(2024, 6, 30),
    ),
    (
        "anquan-shengchan-yue-2025",
        "2025年安全生产月",
        CampaignKind.SAFETY_MONTH,
        2025,
        "人人讲安全、个个会应急——查找身边安全隐患",
        D(2025, 6, 1),
        D(2025, 6, 30),
    ),
    (
        "zixunri-2025",
        "2025年安全宣传咨询日",
        CampaignKind.CONSULTATION_DAY,
        2025,
        "人人讲安全、个个会应急——查找身边安全隐患",
        D(2025, 6, 16),
        D(2025, 6, 16),
    ),
]

# (slug, title, kind, date, tags, summary, paragraph)
ARTICLES = [
    (
        "anquan-shengchan-yue-2025-qidong",
        "徐泾镇启动2025年安全生产月活动",
        ArticleKind.NEWS,
        D(2025, 6, 3),
        ["安全生产月"],
        "镇安委办部署2025年安全生产月活动，围绕“查找身边安全隐患”开展宣传。",
        "活动期间，各牵头单位将深入企业、村居、学校、社区和家庭开展安全宣传，组织隐患排查和应急演练。",
    ),
    (
        "zhishi-jingsai-2025-tongzhi",
        "关于开展2025年安全生产月知识竞赛的通知",
        ArticleKind.NOTICE,
        D(2025, 5, 28),
        ["安全生产月", "知识竞赛"],
        "面向全镇企业从业人员和居民开展安全生产知识竞赛。",
        "竞赛在线上进行，题目涵盖重大事故隐患判定标准、应急避险和消防常识。",
    ),
    (
        "panding-biaozhun-xuexi-2024",
        "镇安委办组织重大事故隐患判定标准集中学习",
        ArticleKind.NEWS,
        D(2024, 11, 20),
        ["判定标准"],
        "各成员单位执法检查人员集中学习重大事故隐患判定标准。",
        "学习采取线上线下结合方式，重点解读工贸企业和城镇燃气领域的判定标准。",
    ),
    (
        "shili-anli-donghuo",
        "示例案例：仓库违规动火作业引发火灾",
        ArticleKind.WARNING_CASE,
        D(2025, 4, 10),
        ["动火作业", "典型事故案例"],
        "示例案例（演示用，非真实事故）：维修人员在仓库内违规动火作业，引燃堆放的包装材料。",
        "教训：动火作业必须办理审批、清理可燃物、配备灭火器材并安排专人监护；违规动火作业是重大事故隐患。",
    ),
    (
        "shili-anli-youxian-kongjian",
        "示例案例：有限空间作业未检测导致中毒窒息",
        ArticleKind.WARNING_CASE,
        D(2024, 8, 15),
        ["有限空间", "典型事故案例"],
        "示例案例（演示用，非真实事故）：作业人员未经通风检测进入污水井作业，发生中毒窒息。",
        "教训：有限空间作业必须先通风、再检测、后作业，并配备监护人员和救援装备。",
    ),
]


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
    slug, title, issuer, number = SUPERSEDED_FIRE
    if not _child(index, slug):
        _ensure(
            index,
            CriteriaPage(
                title=title,
                slug=slug,
                issuer=issuer,
                document_number=number,
                superseded_by=pages["huozai-2025"],
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
    for slug, title, kind, year, theme, start, end in CAMPAIGNS:
        if _child(index, slug):
            continue
        consultation_day = D(year, 6, 16)
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
        _ensure(
            index,
            CampaignPage(
                title=title,
                slug=slug,
                kind=kind,
                year=year,
                theme=theme,
                start_date=start,
                end_date=end,
                summary=f"主题：{theme}。",
                events=events,
                cases=cases,
            ),
            created,
        )


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
