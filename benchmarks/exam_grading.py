"""Exam grading benchmark: queries and time to grade one attempt of N questions.

    .venv/bin/python benchmarks/exam_grading.py                          # 100-question paper
    .venv/bin/python benchmarks/exam_grading.py --questions 20 100 --attempts 50
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python benchmarks/exam_grading.py

For each paper size: a bank with that many questions of each type, a paper drawing them, and
`--attempts` attempts started and fully answered; then each is submitted through the real
service (`attempt_submit`, lock + grade + conditional update). Prints the queries per grading
(the goal: constant, ≤ 5) and the median / worst milliseconds. Asserts nothing.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from figures import figure

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def django_setup():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    import django

    django.setup()
    from directory.retention import retention_lift_for_scratch_database

    retention_lift_for_scratch_database()  # a scratch database, emptied before each run


def prepare(size: int, attempts: int):
    """A bank, a paper drawing `size` questions, `attempts` people each with an answered attempt."""
    import datetime

    from django.utils import timezone

    from directory.models import Person
    from training.models import Attempt, DrawRule, Exam, Paper, Question, QuestionBank

    Attempt.objects.all().delete()
    Exam.objects.all().delete()
    bank = QuestionBank.objects.create(name=f"基准题库{size}-{time.time_ns()}")
    thirds = {"single": size - 2 * (size // 3), "multiple": size // 3, "true_false": size // 3}
    questions = []
    for qtype, count in thirds.items():
        for n in range(count):
            options = ["对", "错"] if qtype == "true_false" else ["甲", "乙", "丙", "丁"]
            answer = {"single": "B", "multiple": "ACD", "true_false": "A"}[qtype]
            questions.append(
                Question(
                    bank=bank, qtype=qtype, stem=f"{qtype}题{n}", options=options, answer=answer
                )
            )
    Question.objects.bulk_create(questions)
    paper = Paper.objects.create(name=f"基准卷{size}")
    for qtype, count in thirds.items():
        if count:
            DrawRule.objects.create(paper=paper, bank=bank, qtype=qtype, count=count, score=1)
    now = timezone.now()
    exam = Exam.objects.create(
        title="基准考试",
        kind="assessment",
        paper=paper,
        opens_at=now - datetime.timedelta(hours=1),
        closes_at=now + datetime.timedelta(days=1),
    )
    people = (
        Person.objects.bulk_create(
            Person(name=f"考生{n}", id_number=f"31011519900101{n:04d}") for n in range(attempts)
        )
        if not Person.objects.filter(name="考生0").exists()
        else list(Person.objects.filter(name__startswith="考生").order_by("pk")[:attempts])
    )
    from training.exams.services.attempts import attempt_start

    keys = dict(Question.objects.filter(bank=bank).values_list("pk", "answer"))
    ids = []
    for person in people:
        attempt = attempt_start(exam=exam, person=person)
        attempt.answers = {str(p): keys[item["q"]] for p, item in enumerate(attempt.items)}
        attempt.save(update_fields=["answers"])
        ids.append(attempt.pk)
    return ids


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--questions", type=int, nargs="+", default=[100])
    parser.add_argument("--attempts", type=int, default=200)
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="bench-exams-"))
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir / 'bench.sqlite3'}")
    os.environ.setdefault("CELERY_FILESYSTEM_DIR", str(workdir / "celery"))
    django_setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from training.exams.services.grading import attempt_submit

    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor}")
    print(
        f"{'questions':>9} {'attempts':>8} {'queries':>8} {'median ms':>10} {'max ms':>8} {'score':>6}"
    )
    for size in args.questions:
        ids = prepare(size, args.attempts)
        times, counts, score = [], set(), None
        for attempt_id in ids:
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                attempt = attempt_submit(attempt_id=attempt_id)
                times.append((time.perf_counter() - started) * 1000)
            counts.add(len(queries))
            score = attempt.score
        print(
            f"{size:>9} {len(ids):>8} {'/'.join(map(str, sorted(counts))):>8} "
            f"{statistics.median(times):>10.2f} {max(times):>8.2f} {score:>6}"
        )
        size = f"{size} questions, {len(ids)} attempts"
        figure(
            issue=5,
            name="grading one attempt: median",
            size=size,
            value=statistics.median(times),
            unit="ms",
        )
        figure(
            issue=5,
            name="grading one attempt: queries",
            size=size,
            value=max(counts),
            unit="queries",
            goal="constant, ≤ 5",
        )


if __name__ == "__main__":
    main()
