"""Drills' part of `seed_scale`: drill records. One enterprise in ten has never drilled; those
owing a drill each half year drill more often; a few records wait for more information (not
counted). Half the drills are fire evacuations; a leak, rescue or "other" drill evacuates about
half the time; each record's duties are those its kind meets (rules.record_duties)."""

import datetime

from directory.models import Enterprise
from directory.scale import Scale
from directory.scale_load import rows_by_pk, rows_load, seeded, spread, tables_analyse
from training.common.scale import day_in, year_days
from training.drills.models.records import DrillRecord, DrillScenario, PlanType, ReviewStatus
from training.drills.rules import (
    DUTY_FIELDS,
    HALF_YEARLY_FLAGS,
    HALF_YEARLY_RISK_CLASSES,
    DrillDuty,
    record_duties,
)


def _half_yearly(risk_class: str, flags) -> bool:
    return risk_class in HALF_YEARLY_RISK_CLASSES or any(flags)


def drills_seed(scale: Scale, today: datetime.date) -> int:
    rng = seeded(scale.name, "drills")
    # Its own generator, so the dates, kinds and statuses drawn above stay as they were.
    evacuates = seeded(scale.name, "drill evacuations")
    flags = [name for name, _label in HALF_YEARLY_FLAGS]
    columns = ("headcount", "industry__risk_class", *flags)
    enterprises = [row for chunk in rows_by_pk(Enterprise.objects.all(), columns) for row in chunk]
    weights = [
        0.0 if rng.random() < 0.1 else (3.0 if _half_yearly(row[2], row[3:]) else 1.5)
        for row in enterprises
    ]
    counts = spread(rng, weights, scale.drills)
    this_year, elapsed, last_year = year_days(today)
    # Fire evacuations weigh as much as all the other scenarios together.
    others = [value for value in DrillScenario.values if value != DrillScenario.FIRE_EVACUATION]
    scenarios = [DrillScenario.FIRE_EVACUATION] * len(others) + others
    plans = list(PlanType.values)
    statuses = [ReviewStatus.SUBMITTED] * 12 + [ReviewStatus.ACCEPTED] * 7
    statuses.append(ReviewStatus.MORE_INFORMATION)

    def rows():
        for (pk, headcount, *_rest), count in zip(enterprises, counts, strict=True):
            for _ in range(count):
                if rng.random() < 0.8:
                    day = day_in(rng, this_year, elapsed)
                else:
                    day = day_in(rng, last_year, 365)
                alarm = datetime.time(9 + rng.randrange(7), rng.randrange(60))
                minutes = alarm.hour * 60 + alarm.minute + 3 + rng.randrange(20)
                present = max(1, headcount or 1)
                scenario = scenarios[rng.randrange(len(scenarios))]
                plan_type = plans[rng.randrange(len(plans))]
                claimed = [DrillDuty.EVACUATION] if evacuates.random() < 0.5 else []
                met, _refused = record_duties(
                    scenario=scenario, plan_type=plan_type, claimed=claimed
                )
                yield (
                    pk,
                    day,
                    scenario,
                    plan_type,
                    alarm,
                    datetime.time(minutes // 60, minutes % 60),
                    present,
                    present - (rng.randrange(3) if present > 2 else 0),
                    statuses[rng.randrange(len(statuses))],
                    *(duty in met for duty in DUTY_FIELDS),
                )

    fields = ("enterprise_id", "date", "scenario", "plan_type", "alarm_time", "all_clear_time")
    written = rows_load(
        DrillRecord,
        (*fields, "headcount", "evacuated", "review_status", *DUTY_FIELDS.values()),
        rows(),
    )
    tables_analyse(DrillRecord)
    return written
