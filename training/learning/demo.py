"""Demo learning for seed_demo: a course catalogue, an assigned course, last year's hours and
this year's so far.

This year's hours: in each village and lead department a share of the people who owe hours
(directory.demo.unit_shares, 30–90 %) have met their requirement, in two entries dated in the
months gone by, so the dashboard's trend rises month by month; the others have part of it. The
demo enterprise's people are left short (their manager has a course to assign, the learner one
to finish, and both get the town's reminder).

Idempotent and deterministic: pages are found by slug, the assignment by course and issuer,
ledger rows by their training name and year; a second run writes nothing. Runs after content's
seed, so the home page, the criteria library and the demo video exist.
"""

import datetime
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from wagtail.rich_text import RichText

from content.demo_data import DEMO_VIDEO_TITLE
from content.models import CourseIndexPage, CoursePage, CriteriaPage, HomePage, LessonPage, Video
from directory.constants import PersonRole
from directory.demo import SEED, covered_chance, past_months, unit_shares
from directory.models import Department, Person, User, Village
from training.learning.models.assignments import CourseAssignment
from training.learning.models.ledger import HourSource, StudyHourEntry
from training.learning.selectors.requirements import required_hours_expression
from training.learning.services.assignments import assignment_create

CONFINED_SPACE = (
    "<h2>什么是有限空间</h2><p>有限空间是指封闭或部分封闭、进出口受限但人员可以进入，"
    "未被设计为固定工作场所，通风不良，易造成有毒有害、易燃易爆物质积聚或氧含量不足的空间。</p>"
    "<h2>作业前</h2><ul><li>先通风、再检测、后作业；</li><li>设置监护人员，配备救援器材；</li>"
    "<li>严禁盲目施救。</li></ul>"
)
ESCAPE = (
    "<h2>发现火情</h2><ul><li>立即拨打 119，讲清地址、起火部位和燃烧物；</li>"
    "<li>初起火灾用灭火器或消火栓扑救，火势扩大立即撤离。</li></ul>"
    "<h2>疏散逃生</h2><ul><li>按疏散指示标志走安全出口和疏散楼梯，不乘电梯；</li>"
    "<li>用湿毛巾捂住口鼻，低姿前进；</li><li>不贪恋财物，逃出后不再返回。</li></ul>"
)
# A lesson is (slug, title, "video" or None, reading text or None, hours). A video lesson's
# hours are None: it credits what its video holds (LessonPage.clean fills the field in from the
# video's length), and the demo clip lasts 5 seconds, so 0.0 学时 -- it shows the player, not
# the hours. A reading lesson credits its typed hours, which the learner spends on the page.
COURSES = [
    {
        "slug": "annual-retraining",
        "title": "从业人员年度安全再培训",
        "summary": "一般从业人员年度再培训：重大事故隐患判定标准解读与有限空间作业安全。",
        "open_enrolment": False,
        "lessons": [
            ("hazard-criteria", "第一课 重大事故隐患判定标准解读", "video", None, None),
            ("confined-space", "第二课 有限空间作业安全", None, CONFINED_SPACE, Decimal("0.5")),
        ],
    },
    {
        "slug": "fire-safety-basics",
        "title": "消防安全常识",
        "summary": "人人可学：火灾报警、初起火灾扑救和疏散逃生。",
        "open_enrolment": True,
        "lessons": [
            ("escape", "第一课 疏散逃生", "video", None, None),
            ("escape-routes", "第二课 火场逃生要点", None, ESCAPE, Decimal("0.5")),
        ],
    },
]
DEMO_MANAGER = "manager"
DEMO_LEARNER = "learner"


def _child(parent, slug):
    page = parent.get_children().filter(slug=slug).first()
    return page.specific if page else None


def _ensure(parent, page, created: list):
    existing = _child(parent, page.slug)
    if existing:
        return existing
    parent.add_child(instance=page)
    page.save_revision().publish()
    created.append(page.title)
    return page


def _courses(home: HomePage, created: list) -> list[CoursePage]:
    index = _ensure(
        home,
        CourseIndexPage(
            title="课程中心", slug="courses", intro=RichText("<p>在线学习，学完自动计入学时。</p>")
        ),
        created,
    )
    video = Video.objects.filter(title=DEMO_VIDEO_TITLE).order_by("pk").first()
    criteria = CriteriaPage.objects.live().order_by("pk").first()
    courses = []
    for spec in COURSES:
        course = _ensure(
            index,
            CoursePage(
                title=spec["title"],
                slug=spec["slug"],
                summary=spec["summary"],
                open_enrolment=spec["open_enrolment"],
            ),
            created,
        )
        if criteria and not course.criteria.exists():
            course.criteria.add(criteria)
            course.save_revision().publish()
        for slug, title, kind, reading, hours in spec["lessons"]:
            if kind == "video" and video is None:
                continue  # content's seed made no clip (ffmpeg missing): no video lesson
            lesson = LessonPage(title=title, slug=slug, study_hours=hours or Decimal("0"))
            if kind == "video":
                lesson.video = video
            else:
                lesson.body = [("text", RichText(reading))]
            _ensure(course, lesson, created)
        courses.append(course)
    return courses


def _assignment(course: CoursePage, created: list) -> None:
    manager = User.objects.filter(username=DEMO_MANAGER).first()
    if (
        manager is None
        or CourseAssignment.objects.filter(course=course, assigned_by=manager).exists()
    ):
        return
    year = timezone.localdate().year
    assignment_create(
        user=manager,
        course=course,
        due_date=datetime.date(year, 12, 31),
        role=PersonRole.GENERAL_WORKER,
    )
    created.append("assignment")


def _history(created: list) -> None:
    """Last year's re-training of the demo enterprise's staff, vouched for by its manager."""
    manager = User.objects.filter(username=DEMO_MANAGER).first()
    if manager is None or manager.enterprise_id is None:
        return
    last_year = timezone.localdate().year - 1
    people = Person.objects.filter(employer_id=manager.enterprise_id).order_by("pk")
    if StudyHourEntry.objects.filter(person__in=people, date__year=last_year).exists():
        return
    rows = []
    for index, person in enumerate(people):
        rows.append(
            StudyHourEntry(
                person=person,
                source=HourSource.IMPORTED,
                hours=Decimal("8") if index % 5 else Decimal("4"),
                date=datetime.date(last_year, 6, 16),
                training_name=f"{last_year}年度从业人员安全再培训",
                training_type="年度再培训",
                organisation="徐泾镇安委办",
                confirmed_by=manager,
            )
        )
    StudyHourEntry.objects.bulk_create(rows)
    created.append("history")


def this_year_name(year: int) -> str:
    return f"{year}年度从业人员安全生产培训"


def _this_year(created: list, today: datetime.date | None = None) -> None:
    """This year's hours so far: met by a share of each village's and department's people."""
    today = today or timezone.localdate()
    year = today.year
    name = this_year_name(year)
    if StudyHourEntry.objects.filter(training_name__startswith=name, date__year=year).exists():
        return
    manager = User.objects.filter(username=DEMO_MANAGER).first()
    demo_enterprise = manager.enterprise_id if manager else None
    villages = unit_shares("hours:village", list(Village.objects.values_list("name", flat=True)))
    departments = unit_shares(
        "hours:department", list(Department.objects.values_list("name", flat=True))
    )
    people = (
        Person.objects.annotate(required=required_hours_expression(year=year))
        .filter(required__gt=0, employer__isnull=False)
        .exclude(employer_id=demo_enterprise)
        .order_by("id_number")
        .values_list("pk", "required", "employer__village__name", "employer__lead_department__name")
    )
    rng = random.Random(f"{SEED}:hours:{year}")
    months = past_months(today)
    rows = []
    for pk, required, village, department in people:
        chance = covered_chance(villages.get(village), departments.get(department))
        met = rng.random() < chance
        # Met: the requirement in two parts, the second in the month it was reached; short:
        # a part of it, in one entry.
        first = (required / 2).quantize(Decimal("0.5"))
        parts = [first, required - first] if met else [first - Decimal("0.5")]
        reached = rng.choice(months)
        days = [
            datetime.date(year, rng.randint(1, reached), rng.randint(1, 28)),
            datetime.date(year, reached, rng.randint(1, 28)),
        ]
        for part, (hours, day) in enumerate(zip(parts, days, strict=False), start=1):
            if hours <= 0:
                continue
            rows.append(
                StudyHourEntry(
                    person_id=pk,
                    source=HourSource.IMPORTED,
                    hours=hours,
                    date=min(day, today),
                    training_name=f"{name}（第{part}期）",
                    training_type="年度再培训",
                    organisation="徐泾镇安全生产培训中心",
                )
            )
    StudyHourEntry.objects.bulk_create(rows, batch_size=500)
    created.append("this year")


# The demo's leading cadres (徐泾镇三年行动方案 一(一)1): ID sequence numbers far from the
# registry's (directory.demo.SERIAL_BASE and up), so a second run finds them by number.
CADRE_SERIAL = 9_000_000
TOWN_CADRES = [("陈立群", "镇党委书记"), ("周建华", "镇长"), ("沈文斌", "分管安全生产副镇长")]


def _cadres(created: list, today: datetime.date | None = None) -> None:
    """Leading cadres of the town, of each department and of the first villages, two in three
    with part or all of this year's compulsory course done (imported training records)."""
    from directory.demo import id_number_make

    today = today or timezone.localdate()
    if Person.objects.filter(is_cadre=True).exists():
        return
    units = [{} for _ in TOWN_CADRES]
    units += [{"department": d} for d in Department.objects.filter(is_town_office=False)[:6]]
    units += [{"village": v} for v in Village.objects.order_by("pk")[:6]]
    rng = random.Random(f"{SEED}:cadres")
    surnames, given = "王李张刘陈杨黄赵吴周徐孙朱马胡郭", "建国志强海燕丽华文明晓东秀英国平"
    people, rows = [], []
    for n, unit in enumerate(units):
        if n < len(TOWN_CADRES):
            name, post = TOWN_CADRES[n]
        else:
            name = rng.choice(surnames) + rng.choice(given) + rng.choice(given)
            post = "主任" if "department" in unit else "党总支书记"
        people.append(
            Person(
                name=name,
                id_number=id_number_make(CADRE_SERIAL + n),
                phone=f"138{(CADRE_SERIAL + n) % 10**8:08d}",
                is_cadre=True,
                post=post,
                **unit,
            )
        )
    for person in people:
        person.derive_from_id_number()
    Person.objects.bulk_create(people)
    for person in Person.objects.filter(is_cadre=True).order_by("pk"):
        hours = rng.choice([Decimal(0), Decimal(4), Decimal(8)])
        if hours:
            rows.append(
                StudyHourEntry(
                    person=person,
                    source=HourSource.IMPORTED,
                    hours=hours,
                    date=datetime.date(today.year, rng.randint(1, today.month), 10),
                    training_name=f"{today.year}年度领导干部安全生产和消防安全专题培训",
                    training_type="必修课程",
                    organisation="徐泾镇安委办",
                )
            )
    StudyHourEntry.objects.bulk_create(rows)
    created.append("cadres")


def learning_seed(*, stdout) -> None:
    home = HomePage.objects.first()
    if home is None:
        return
    created: list[str] = []
    with transaction.atomic():
        courses = _courses(home, created)
        _assignment(courses[0], created)
        _history(created)
        _this_year(created)
        _cadres(created)
    if created:
        stdout.write(f"Learning: {len(created)} courses, lessons and records added.")
