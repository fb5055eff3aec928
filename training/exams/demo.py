"""Demo exams for seed_demo: a question bank, a knowledge test open to everyone, and the
safety-month knowledge contest published on the latest safety-month campaign page.

Idempotent and deterministic: the bank, paper and exams are found by name, so a second run writes
nothing. The contest opens today for thirty days and already has a few results, so the campaign
page shows its entry and rankings.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from content.models import CampaignKind, CampaignPage
from directory.models import Enterprise, User, Village
from training.exams.models.banks import Question, QuestionBank, QuestionCategory
from training.exams.models.papers import DrawRule, Exam, ExamKind, ExamMode, Paper, ReviewPolicy
from training.exams.options import own_to_shown
from training.exams.services.attempts import attempt_answer_save, attempt_submit
from training.exams.services.contest import contest_attempt_start, contest_join

BANK_NAME = "安全生产通用知识题库"
PAPER_NAME = "安全生产通用知识卷（随机抽题）"
TEST_TITLE = "安全生产通用知识测验"
CONTEST_TITLE = "安全生产月知识竞赛"
TF = ["对", "错"]

# (knowledge point, type, stem, options, answer, explanation)
QUESTIONS = [
    (
        "法律法规",
        "single",
        "生产经营单位的主要负责人对本单位的安全生产工作负什么责任？",
        ["全面负责", "部分负责", "监督责任", "间接责任"],
        "A",
        "《安全生产法》第五条。",
    ),
    (
        "法律法规",
        "single",
        "全国“安全生产月”活动通常在每年的哪个月开展？",
        ["五月", "六月", "九月", "十一月"],
        "B",
        "每年六月为全国安全生产月。",
    ),
    (
        "法律法规",
        "single",
        "安全生产工作应当坚持的方针是？",
        ["安全第一、预防为主、综合治理", "效益优先、兼顾安全", "先生产后安全", "谁主管谁负责"],
        "A",
        "《安全生产法》第三条。",
    ),
    (
        "法律法规",
        "single",
        "从业人员发现直接危及人身安全的紧急情况时，有权？",
        ["继续作业", "停止作业或者在采取可能的应急措施后撤离作业场所", "等待领导批准", "只能报告"],
        "B",
        "《安全生产法》第五十五条。",
    ),
    (
        "法律法规",
        "single",
        "生产经营单位新上岗的从业人员，岗前安全培训时间不得少于多少学时？",
        ["8学时", "12学时", "24学时", "48学时"],
        "C",
        "一般生产经营单位岗前培训不少于24学时。",
    ),
    ("消防安全", "single", "火警电话是？", ["110", "119", "120", "122"], "B", ""),
    (
        "消防安全",
        "single",
        "使用干粉灭火器时，应对准火焰的哪个部位喷射？",
        ["上部", "中部", "根部", "任意部位"],
        "C",
        "对准火焰根部才能有效灭火。",
    ),
    (
        "消防安全",
        "single",
        "发现电气设备着火，首先应当？",
        ["用水扑救", "切断电源", "打开门窗", "离开现场"],
        "B",
        "",
    ),
    (
        "有限空间",
        "single",
        "有限空间作业应当遵循的原则是？",
        ["先通风、再检测、后作业", "先作业、再通风", "先检测、后通风", "随时进入"],
        "A",
        "有限空间作业“先通风、再检测、后作业”。",
    ),
    (
        "有限空间",
        "single",
        "有限空间作业时，作业现场应当？",
        ["无需监护", "设置专人监护", "监护人员可以离开", "监护人员进入施救"],
        "B",
        "",
    ),
    (
        "隐患排查",
        "single",
        "安全生产举报投诉电话是？",
        ["12345", "12350", "12315", "12369"],
        "B",
        "",
    ),
    (
        "隐患排查",
        "single",
        "重大事故隐患排查治理情况应当向谁报告？",
        [
            "负有安全生产监督管理职责的部门和职工大会或者职工代表大会",
            "只向老板报告",
            "不需要报告",
            "只向保险公司报告",
        ],
        "A",
        "",
    ),
    (
        "消防安全",
        "multiple",
        "下列哪些属于人员密集场所的消防违法行为？",
        ["封闭安全出口", "占用疏散通道", "保持消防通道畅通", "遮挡消防设施"],
        "ABD",
        "",
    ),
    (
        "有限空间",
        "multiple",
        "有限空间作业的主要危险有害因素包括？",
        ["缺氧窒息", "中毒", "燃爆", "噪声"],
        "ABC",
        "",
    ),
    (
        "法律法规",
        "multiple",
        "从业人员享有的安全生产权利包括？",
        ["知情权", "建议权", "拒绝违章指挥权", "擅自离岗权"],
        "ABC",
        "",
    ),
    (
        "隐患排查",
        "multiple",
        "动火作业前应当做到？",
        ["办理动火作业审批", "清除周边可燃物", "配备灭火器材", "无人监护"],
        "ABC",
        "",
    ),
    (
        "消防安全",
        "multiple",
        "家庭火灾预防应当注意？",
        ["不私拉乱接电线", "电动自行车不进楼入户充电", "离家时关闭燃气阀门", "在楼道堆放杂物"],
        "ABC",
        "",
    ),
    (
        "法律法规",
        "true_false",
        "生产经营单位可以与从业人员订立协议，免除因生产安全事故伤亡依法应承担的责任。",
        TF,
        "B",
        "此类协议无效。",
    ),
    ("消防安全", "true_false", "发生火灾时，可以乘坐普通电梯逃生。", TF, "B", ""),
    ("有限空间", "true_false", "有限空间发生事故时，未经培训的人员不得盲目施救。", TF, "A", ""),
    ("隐患排查", "true_false", "特种作业人员必须取得相应资格，方可上岗作业。", TF, "A", ""),
    ("法律法规", "true_false", "主要负责人和安全生产管理人员应当由主管部门考核合格。", TF, "A", ""),
    (
        "消防安全",
        "true_false",
        "灭火器压力表指针在红色区域表示压力正常。",
        TF,
        "B",
        "红色区域表示压力不足。",
    ),
    (
        "隐患排查",
        "true_false",
        "发现事故隐患应当立即报告现场安全生产管理人员或者本单位负责人。",
        TF,
        "A",
        "",
    ),
]
# The contest's results already in: (name, phone, village or enterprise, questions answered right).
PARTICIPANTS = [
    ("张敏", "13900000101", "village", 10),
    ("李强", "13900000102", "enterprise", 9),
    ("王芳", "13900000103", "village", 7),
    ("陈刚", "13900000104", "enterprise", 8),
    ("周丽", "13900000105", "village", 6),
]


def _bank() -> QuestionBank:
    bank = QuestionBank.objects.create(name=BANK_NAME, description="镇安委办维护的通用知识题库。")
    categories = {}
    rows = []
    for category, qtype, stem, options, answer, explanation in QUESTIONS:
        if category not in categories:
            categories[category] = QuestionCategory.objects.create(bank=bank, name=category)
        rows.append(
            Question(
                bank=bank,
                category=categories[category],
                qtype=qtype,
                stem=stem,
                options=options,
                answer=answer,
                explanation=explanation,
            )
        )
    Question.objects.bulk_create(rows)
    return bank


def _paper(bank: QuestionBank) -> Paper:
    paper = Paper.objects.create(name=PAPER_NAME)
    for position, (qtype, count, score) in enumerate(
        [("single", 5, 10), ("multiple", 2, 10), ("true_false", 3, 10)]
    ):
        DrawRule.objects.create(
            paper=paper, bank=bank, qtype=qtype, count=count, score=score, position=position
        )
    return paper


def _results(contest: Exam) -> None:
    village = Village.objects.order_by("name").first()
    enterprise = Enterprise.objects.order_by("credit_code").first()
    keys = dict(Question.objects.filter(bank__name=BANK_NAME).values_list("pk", "answer"))
    for name, phone, unit, right in PARTICIPANTS:
        where = {"village": village} if unit == "village" else {"enterprise": enterprise}
        if where[unit] is None:
            continue
        participant = contest_join(exam=contest, name=name, phone=phone, **where)
        attempt = contest_attempt_start(participant=participant)
        for position, item in enumerate(attempt.items):
            own = keys[item["q"]] if position < right else ("B" if keys[item["q"]] == "A" else "A")
            attempt_answer_save(
                attempt_id=attempt.pk, position=position, choice=own_to_shown(item, own)
            )
        attempt_submit(attempt_id=attempt.pk)


def exams_seed(*, stdout) -> None:
    if QuestionBank.objects.filter(name=BANK_NAME).exists():
        return
    town = User.objects.filter(username="town").first()
    campaign = (
        CampaignPage.objects.live()
        .filter(kind=CampaignKind.SAFETY_MONTH)
        .order_by("-year", "-start_date")
        .first()
    )
    now = timezone.now()
    opens = now - datetime.timedelta(hours=1)
    closes = now + datetime.timedelta(days=30)
    with transaction.atomic():
        bank = _bank()
        paper = _paper(bank)
        Exam.objects.create(
            title=TEST_TITLE,
            kind=ExamKind.HAZARD_CRITERIA,
            paper=paper,
            created_by=town,
            opens_at=opens,
            closes_at=closes,
            duration_minutes=20,
            max_attempts=3,
            mode=ExamMode.PRACTICE,
            review=ReviewPolicy.AFTER_SUBMIT,
        )
        contest = Exam.objects.create(
            title=f"{campaign.year}年{CONTEST_TITLE}" if campaign else CONTEST_TITLE,
            kind=ExamKind.CONTEST,
            paper=paper,
            created_by=town,
            opens_at=opens,
            closes_at=closes,
            duration_minutes=15,
            pass_mark=60,
            daily_quota=3,
            campaign_page=campaign,
        )
        _results(contest)
    stdout.write(f"Exams: a bank of {len(QUESTIONS)} questions, a test and the contest added.")
