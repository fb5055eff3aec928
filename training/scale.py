"""The training app's part of `seed_scale` (issue 10): the study-hours ledger, exam attempts
(scores and pass state; the drawn paper and answers are left empty) and drill records.

Spreads: about one person in twelve has no hours at all, the others a number of entries around the
scale's mean, two thirds of them in the current year (up to today), the rest last year, 0.5–4
hours each, so some meet this year's requirement and some are short. Attempts go mostly to
principals, safety managers, special operators and inspectors; about one in four fails. One
enterprise in ten has never drilled; those owing a drill each half year drill more often; a few
records wait for more information (not counted).
"""

import datetime
import importlib
from decimal import Decimal

from django.utils import timezone

from directory.models import Enterprise, Person
from directory.scale import Scale
from directory.scale_load import rows_by_pk, rows_load, seeded, spread, tables_analyse
from training.drills.rules import HALF_YEARLY_FLAGS, HALF_YEARLY_RISK_CLASSES
from training.models import (
    Attempt,
    AttemptStatus,
    DrillRecord,
    DrillScenario,
    Exam,
    ExamKind,
    HourSource,
    Paper,
    PlanType,
    ReviewStatus,
    StudyHourEntry,
)

HOURS = [Decimal(h) for h in ("0.5", "1.0", "1.0", "1.5", "2.0", "2.0", "3.0", "4.0")]
ORGANISATIONS = ["镇安全生产培训中心", "区安全生产协会", "企业自主培训", "在线学习平台"]
TRAINING_TYPES = ["年度再培训", "三级安全教育", "专项培训", "岗前培训"]
EXAMS = [
    ("主要负责人安全生产知识考核", ExamKind.ASSESSMENT),
    ("安全管理人员能力考核", ExamKind.ASSESSMENT),
    ("重大事故隐患判定标准测试", ExamKind.HAZARD_CRITERIA),
    ("监管人员年度考试", ExamKind.INSPECTOR),
    ("消防安全知识测验", ExamKind.COURSE_QUIZ),
    ("有限空间作业测验", ExamKind.COURSE_QUIZ),
    ("安全生产月知识竞赛", ExamKind.CONTEST),
]


def _day(rng, start: datetime.date, days: int) -> datetime.date:
    return start + datetime.timedelta(days=rng.randrange(max(days, 1)))


def _year_days(today: datetime.date) -> tuple[datetime.date, int, datetime.date]:
    this_year = datetime.date(today.year, 1, 1)
    return this_year, (today - this_year).days + 1, datetime.date(today.year - 1, 1, 1)


def ledger_seed(scale: Scale, today: datetime.date) -> int:
    rng = seeded(scale.name, "ledger")
    people = Person.objects.count()
    weights = [0.0 if rng.random() < 0.08 else 0.5 + rng.random() for _ in range(people)]
    counts = spread(rng, weights, scale.ledger_rows)
    this_year, elapsed, last_year = _year_days(today)
    index = 0
    written = 0

    def rows(chunk):
        nonlocal index
        for (pk,) in chunk:
            for n in range(counts[index]):
                if rng.random() < 0.66:
                    day = _day(rng, this_year, elapsed)
                else:
                    day = _day(rng, last_year, 365)
                imported = rng.random() < 0.5
                yield (
                    pk,
                    HourSource.IMPORTED if imported else HourSource.OFFLINE_SESSION,
                    HOURS[rng.randrange(len(HOURS))],
                    day,
                    f"安全生产培训（第{n + 1}期）" if imported else "班组安全培训",
                    TRAINING_TYPES[rng.randrange(len(TRAINING_TYPES))],
                    ORGANISATIONS[rng.randrange(len(ORGANISATIONS))],
                )
            index += 1

    fields = ("person_id", "source", "hours", "date", "training_name", "training_type")
    for chunk in rows_by_pk(Person.objects.all(), ()):
        written += rows_load(StudyHourEntry, (*fields, "organisation"), rows(chunk))
    tables_analyse(StudyHourEntry)
    return written


def exams_ensure(today: datetime.date) -> list[Exam]:
    paper, _ = Paper.objects.get_or_create(name="规模数据试卷")
    zone = timezone.get_current_timezone()
    opens = datetime.datetime(today.year - 1, 1, 1, tzinfo=zone)
    closes = datetime.datetime(today.year, 12, 31, 23, 0, tzinfo=zone)
    return [
        Exam.objects.get_or_create(
            title=title,
            defaults={"kind": kind, "paper": paper, "opens_at": opens, "closes_at": closes},
        )[0]
        for title, kind in EXAMS
    ]


def _attempt_weight(rng, roles) -> float:
    principal, manager, operator, inspector = roles
    if rng.random() < 0.2:
        return 0.0
    return 0.4 + 3.0 * (principal or manager) + 2.0 * operator + 3.0 * inspector


def attempts_seed(scale: Scale, today: datetime.date) -> int:
    rng = seeded(scale.name, "attempts")
    exams = exams_ensure(today)
    roles = ("is_principal", "is_safety_manager", "is_special_operator", "is_inspector")
    weights = [
        _attempt_weight(rng, row[1:])
        for chunk in rows_by_pk(Person.objects.all(), roles)
        for row in chunk
    ]
    counts = spread(rng, weights, scale.attempts)
    this_year, elapsed, _last = _year_days(today)
    index = 0
    written = 0
    hundred = Decimal("100.0")

    def rows(chunk):
        nonlocal index
        for (pk,) in chunk:
            numbers: dict[int, int] = {}
            for _ in range(counts[index]):
                exam = exams[rng.randrange(len(exams))]
                numbers[exam.pk] = numbers.get(exam.pk, 0) + 1
                started = timezone.make_aware(
                    datetime.datetime.combine(
                        _day(rng, this_year, elapsed), datetime.time(8 + rng.randrange(10))
                    )
                )
                deadline = started + datetime.timedelta(minutes=exam.duration_minutes)
                timed_out = rng.random() < 0.08
                used = (
                    exam.duration_minutes if timed_out else rng.randrange(5, exam.duration_minutes)
                )
                score = Decimal(max(0, min(100, round(rng.gauss(74, 14))))).quantize(Decimal("0.1"))
                yield (
                    exam.pk,
                    pk,
                    numbers[exam.pk],
                    AttemptStatus.AUTO_SUBMITTED if timed_out else AttemptStatus.SUBMITTED,
                    started,
                    deadline,
                    started + datetime.timedelta(minutes=used),
                    score,
                    hundred,
                    score >= exam.pass_mark,
                )
            index += 1

    fields = ("exam_id", "person_id", "number", "status", "started_at", "deadline")
    fields += ("submitted_at", "score", "max_score", "passed")
    for chunk in rows_by_pk(Person.objects.all(), ()):
        written += rows_load(Attempt, fields, rows(chunk))
    tables_analyse(Attempt)
    return written


def _half_yearly(risk_class: str, flags) -> bool:
    return risk_class in HALF_YEARLY_RISK_CLASSES or any(flags)


def drills_seed(scale: Scale, today: datetime.date) -> int:
    rng = seeded(scale.name, "drills")
    flags = [name for name, _label in HALF_YEARLY_FLAGS]
    columns = ("headcount", "industry__risk_class", *flags)
    enterprises = [row for chunk in rows_by_pk(Enterprise.objects.all(), columns) for row in chunk]
    weights = [
        0.0 if rng.random() < 0.1 else (3.0 if _half_yearly(row[2], row[3:]) else 1.5)
        for row in enterprises
    ]
    counts = spread(rng, weights, scale.drills)
    this_year, elapsed, last_year = _year_days(today)
    scenarios, plans = list(DrillScenario.values), list(PlanType.values)
    statuses = [ReviewStatus.SUBMITTED] * 12 + [ReviewStatus.ACCEPTED] * 7
    statuses.append(ReviewStatus.MORE_INFORMATION)

    def rows():
        for (pk, headcount, *_rest), count in zip(enterprises, counts, strict=True):
            for _ in range(count):
                if rng.random() < 0.8:
                    day = _day(rng, this_year, elapsed)
                else:
                    day = _day(rng, last_year, 365)
                alarm = datetime.time(9 + rng.randrange(7), rng.randrange(60))
                minutes = alarm.hour * 60 + alarm.minute + 3 + rng.randrange(20)
                present = max(1, headcount or 1)
                yield (
                    pk,
                    day,
                    scenarios[rng.randrange(len(scenarios))],
                    plans[rng.randrange(len(plans))],
                    alarm,
                    datetime.time(minutes // 60, minutes % 60),
                    present,
                    present - (rng.randrange(3) if present > 2 else 0),
                    statuses[rng.randrange(len(statuses))],
                )

    fields = ("enterprise_id", "date", "scenario", "plan_type", "alarm_time", "all_clear_time")
    written = rows_load(DrillRecord, (*fields, "headcount", "evacuated", "review_status"), rows())
    tables_analyse(DrillRecord)
    return written


def requirements_ensure() -> None:
    """The training-hours table, which a migration seeds but `flush` empties (the same idempotent
    function): without it nobody owes hours and the hours metric counts no one."""
    from django.apps import apps

    importlib.import_module("training.migrations.0006_seed_training_requirements").seed(apps, None)


def training_seed_scale(scale: Scale, stdout, today: datetime.date | None = None) -> None:
    requirements_ensure()
    today = today or timezone.localdate()
    for label, seed in (
        ("ledger rows", ledger_seed),
        ("exam attempts", attempts_seed),
        ("drill records", drills_seed),
    ):
        written = seed(scale, today)
        stdout.write(f"  training: {written:,} {label}")
