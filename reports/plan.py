"""The town plan's own targets (徐泾镇安全生产治本攻坚三年行动方案 2024—2026, regulations.md §8)
as data: full coverage of every metric by 31 December of each plan year, 80% by 30 June where the
work runs through the year, and 2 exemplary enterprises per department (the plan says 2–3 by
end-2024; an enterprise named once keeps counting). Town-wide targets, which apply to every
department and village without one of their own; the town office edits them in the back office.

Written by the data migration 0002 and again by seed_demo (a flushed test database loses them).
"""

import datetime

PLAN_YEARS = (2024, 2025, 2026)
RATE_METRICS = (
    "principal_training",  # plan item 9
    "manager_assessment",  # plan item 19
    "special_operator_certified",  # plan item 19
    "training_hours",  # plan item 20
    "drill_coverage",  # plan item 21: every enterprise drills every year
    "inspector_training",  # plan item 26: one centralized training a year
    "criteria_study",  # plan item 10
)
# Work spread through the year, for which a mid-year milestone makes sense (not the single
# centralized training of the inspectors nor the one study session of each member unit).
MID_YEAR_METRICS = (
    "principal_training",
    "manager_assessment",
    "special_operator_certified",
    "training_hours",
    "drill_coverage",
)
MID_YEAR_PERCENT = 80
EXEMPLARY_PER_DEPARTMENT = 2
NOTE = "三年行动方案"


def plan_targets() -> list[dict]:
    rows = []
    for year in PLAN_YEARS:
        year_end, mid_year = datetime.date(year, 12, 31), datetime.date(year, 6, 30)
        for code in RATE_METRICS:
            rows.append({"metric": code, "year": year, "deadline": year_end, "target_percent": 100})
            if code in MID_YEAR_METRICS:
                rows.append(
                    {
                        "metric": code,
                        "year": year,
                        "deadline": mid_year,
                        "target_percent": MID_YEAR_PERCENT,
                    }
                )
        rows.append(
            {
                "metric": "exemplary_enterprises",
                "year": year,
                "deadline": year_end,
                "target_count": EXEMPLARY_PER_DEPARTMENT,
            }
        )
    return rows


def plan_targets_create(target_model) -> int:
    """Create the plan's town-wide targets that are missing (idempotent); returns how many."""
    created = 0
    for row in plan_targets():
        values = dict(row)
        keys = {"metric": values.pop("metric"), "deadline": values.pop("deadline")}
        _obj, was_created = target_model.objects.get_or_create(
            scope="town", **keys, defaults={**values, "note": NOTE}
        )
        created += was_created
    return created
