"""The safety-month contest spike: N public participants start within a few seconds,
answer 20 questions (one autosave each) and submit, under gunicorn.

    .venv/bin/python benchmarks/contest_load.py                 # SQLite in a temporary file
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_contest \\
        .venv/bin/python benchmarks/contest_load.py --redis redis://127.0.0.1:6379/2
    .venv/bin/python benchmarks/contest_load.py --participants 200 --spread 10 --think 1

Each participant opens the contest page, joins with a name, a mobile number and a village or an
enterprise (no account; its browser keeps the signed participant cookie; all join from
127.0.0.1, so loadlib lifts CONTEST_JOINS_PER_ADDRESS for the server), gets a random
20-question paper, saves each answer as the player does
(a JSON POST per answer, after --think seconds on average) and submits. gunicorn (production
settings, --workers sync workers) with Redis as cache and broker when --redis is given; the
bare Django view is then measured with the same driver and concurrency (no pause between
requests: its rate). Prints requests/s, p50 / p95 / p99 / max latency and errors per kind (page,
start, paper, answer, submit, result), answers/s, the load average (the machine is shared), and
checks that every participant got one graded attempt. The contest's tables are filled afresh
each run: point it at a database of its own. Not part of CI: prints, asserts nothing.
"""

import argparse
import datetime
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from loadlib import (  # noqa: E402
    Stack,
    bare_rate,
    django_setup,
    drive,
    figures_record,
    report,
    think,
)

QUESTIONS = {"single": 10, "multiple": 5, "true_false": 5}  # 20 questions, 5 points each
TITLE = "安全生产月知识竞赛（基准）"
KINDS = ("page", "start", "paper", "answer", "submit", "result")


def contest_prepare() -> dict:
    """A bank three times the paper's size, a contest drawing 20 questions, open now; units."""
    from django.utils import timezone
    from learning import reference_units

    from directory.models import Enterprise
    from training.models import DrawRule, Exam, ExamKind, Paper, Question, QuestionBank

    village, department, general, _high = reference_units()
    enterprise, _ = Enterprise.objects.get_or_create(
        credit_code="BENCHCONTEST000001",
        defaults={
            "name": "竞赛基准企业",
            "village": village,
            "industry": general,
            "lead_department": department,
        },
    )
    Exam.objects.filter(title=TITLE).delete()  # its attempts and participants go with it
    Paper.objects.filter(name=TITLE).delete()
    QuestionBank.objects.filter(name=TITLE).delete()
    bank = QuestionBank.objects.create(name=TITLE)
    questions = []
    for qtype, count in QUESTIONS.items():
        for n in range(3 * count):
            options = ["对", "错"] if qtype == "true_false" else ["甲", "乙", "丙", "丁"]
            answer = {"single": "B", "multiple": "ACD", "true_false": "A"}[qtype]
            stem = f"竞赛题{qtype}{n}：发现生产安全事故隐患应当如何处理？"
            questions.append(
                Question(bank=bank, qtype=qtype, stem=stem, options=options, answer=answer)
            )
    Question.objects.bulk_create(questions)
    paper = Paper.objects.create(name=TITLE)
    for position, (qtype, count) in enumerate(QUESTIONS.items()):
        DrawRule.objects.create(
            paper=paper, bank=bank, qtype=qtype, count=count, score=5, position=position
        )
    now = timezone.now()
    exam = Exam.objects.create(
        title=TITLE,
        kind=ExamKind.CONTEST,
        paper=paper,
        opens_at=now - datetime.timedelta(minutes=5),
        closes_at=now + datetime.timedelta(days=1),
        duration_minutes=30,
        daily_quota=3,
        pass_mark=60,
    )
    # The join form takes the enterprise by its name or credit code, as a participant types it.
    return {"exam": exam.pk, "village": village.pk, "enterprise": enterprise.credit_code}


def contest_user(prepared: dict, n: int, *, pause: float):
    """Participant n: open the page, join, load the paper, answer 20 questions, submit."""
    exam = prepared["exam"]
    count = sum(QUESTIONS.values())

    def script(client, rng):
        url = f"/exams/contest/{exam}/"
        client.request("page", "GET", url)
        think(pause, rng)
        unit = {"village": prepared["village"]} if n % 2 else {"enterprise": prepared["enterprise"]}
        form = {"name": f"参赛者{n}", "phone": f"139{n:08d}", **unit}
        _status, headers, _body = client.request("start", "POST", url, form=form, ok=(302,))
        attempt = client.location(headers)
        if not attempt.startswith("/exams/attempts/"):
            return
        client.request("paper", "GET", attempt)
        for position in range(count):
            think(pause, rng)
            choice = rng.choice(["A", "B", "C", "AB"] if position < 15 else ["A", "B"])
            client.request(
                "answer", "POST", f"{attempt}answer/", data={"position": position, "choice": choice}
            )
        _status, headers, _body = client.request(
            "submit", "POST", f"{attempt}submit/", form={}, ok=(302,)
        )
        result = client.location(headers)
        if result:
            client.request("result", "GET", result)

    return script


def contest_outcome(prepared: dict) -> str:
    from training.models import Attempt, ContestParticipant

    attempts = Attempt.objects.filter(exam_id=prepared["exam"])
    participants = ContestParticipant.objects.filter(exam_id=prepared["exam"]).count()
    graded = attempts.filter(score__isnull=False).count()
    open_ = attempts.filter(status="started").count()
    return (
        f"  participants {participants}, attempts {attempts.count()}, graded {graded}, open {open_}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=200)
    parser.add_argument("--spread", type=float, default=10.0, help="seconds in which all start")
    parser.add_argument("--think", type=float, default=1.0, help="mean seconds between answers")
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--redis", default="", help="redis://… as cache and Celery broker")
    parser.add_argument("--celery", action="store_true", help="start a Celery worker too")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="bench-contest-"))
    (workdir / "celery").mkdir()
    django_setup(workdir, redis=args.redis)
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    prepared = contest_prepare()
    users = [contest_user(prepared, n, pause=args.think) for n in range(args.participants)]
    print(
        f"database: {connection.vendor}; cache/broker: {args.redis or 'files'}; "
        f"gunicorn {args.workers} sync workers; {args.participants} participants starting "
        f"within {args.spread:g} s, {args.think:g} s per answer on average"
    )
    with Stack(workdir, workers=args.workers, celery=args.celery, redis=args.redis) as stack:
        result = drive(stack.port, users, spread=args.spread)
        report("contest", result, kinds=KINDS)
        answers = [s for s in result.of("answer") if s.ok]
        print(f"  answers/s  {len(answers) / result.wall:.1f}")
        print(contest_outcome(prepared))
        bare = bare_rate(stack.port, users=args.participants, requests=sum(QUESTIONS.values()))
        report("bare view, same driver and concurrency", bare, kinds=("bare",))
        size = f"{args.participants} participants, {args.workers} workers, {connection.vendor}"
        figures_record(5, "contest spike", size, result, bare)


if __name__ == "__main__":
    main()
