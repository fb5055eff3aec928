"""Exams' part of `seed_scale`: attempts with scores and pass state (the drawn paper and answers
are left empty), mostly by principals, safety managers, special operators and inspectors; about
one in four fails."""

import datetime
from decimal import Decimal

from django.utils import timezone

from directory.models import Person
from directory.scale import Scale
from directory.scale_load import rows_by_pk, rows_load, seeded, spread, tables_analyse
from training.common.scale import day_in, year_days
from training.exams.models.attempts import Attempt, AttemptStatus
from training.exams.models.papers import Exam, ExamKind, Paper

EXAMS = [
    ("主要负责人安全生产知识考核", ExamKind.ASSESSMENT),
    ("安全管理人员能力考核", ExamKind.ASSESSMENT),
    ("重大事故隐患判定标准测试", ExamKind.HAZARD_CRITERIA),
    ("监管人员年度考试", ExamKind.INSPECTOR),
    ("消防安全知识测验", ExamKind.COURSE_QUIZ),
    ("有限空间作业测验", ExamKind.COURSE_QUIZ),
    ("安全生产月知识竞赛", ExamKind.CONTEST),
]


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
    this_year, elapsed, _last = year_days(today)
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
                        day_in(rng, this_year, elapsed), datetime.time(8 + rng.randrange(10))
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
