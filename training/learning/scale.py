"""Learning's part of `seed_scale`: the study-hours ledger. About one person in twelve has no
hours at all, the others a number of entries around the scale's mean, two thirds of them in the
current year (up to today), the rest last year, 0.5–4 hours each, so some meet this year's
requirement and some are short."""

import datetime
import importlib
from decimal import Decimal

from directory.models import Person
from directory.scale import Scale
from directory.scale_load import rows_by_pk, rows_load, seeded, spread, tables_analyse
from training.common.scale import day_in, year_days
from training.learning.models.ledger import HourSource, StudyHourEntry

HOURS = [Decimal(h) for h in ("0.5", "1.0", "1.0", "1.5", "2.0", "2.0", "3.0", "4.0")]


ORGANISATIONS = ["镇安全生产培训中心", "区安全生产协会", "企业自主培训", "在线学习平台"]


TRAINING_TYPES = ["年度再培训", "三级安全教育", "专项培训", "岗前培训"]


def requirements_ensure() -> None:
    """The training-hours table, which a migration seeds but `flush` empties (the same idempotent
    function): without it nobody owes hours and the hours metric counts no one."""
    from django.apps import apps

    importlib.import_module("training.migrations.0006_seed_training_requirements").seed(apps, None)


def ledger_seed(scale: Scale, today: datetime.date) -> int:
    rng = seeded(scale.name, "ledger")
    people = Person.objects.count()
    weights = [0.0 if rng.random() < 0.08 else 0.5 + rng.random() for _ in range(people)]
    counts = spread(rng, weights, scale.ledger_rows)
    this_year, elapsed, last_year = year_days(today)
    index = 0
    written = 0

    def rows(chunk):
        nonlocal index
        for (pk,) in chunk:
            for n in range(counts[index]):
                if rng.random() < 0.66:
                    day = day_in(rng, this_year, elapsed)
                else:
                    day = day_in(rng, last_year, 365)
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
