"""The town plan's own targets (徐泾镇安全生产治本攻坚三年行动方案 2024—2026, regulations.md §8)
as data, exactly as the plan states them and nothing more:

- full coverage (100%) by 31 December of each plan year for the work the plan asks every year:
  principals trained (item 9), principals and safety managers assessed and special operators
  certified (item 19), training of every category of employee (item 20), every enterprise drills
  every year (item 21), every inspector attends one centralized training a year (item 26);
- one criteria study session in every member unit by end-2024 (item 10) — 2024 only;
- 2 exemplary enterprises per department by end-2024 (the plan says 2–3; an enterprise named once
  keeps counting), repeated for each plan year.

The plan has no mid-year milestone: a target the town office sets on its own (e.g. 80% by
30 June) is a local target (``Target.source == "local"``) and is listed as such.

Town-wide targets, which apply to every department and village without one of their own; the
town office edits them in the back office. Written by the data migrations 0002 and 0007 and again
by seed_demo (a flushed test database loses them).
"""

import datetime

PLAN_YEARS = (2024, 2025, 2026)
# Metric code -> the plan years in which the plan sets full coverage by 31 December.
RATE_METRICS = {
    "principal_training": PLAN_YEARS,  # plan item 9
    "manager_assessment": PLAN_YEARS,  # plan item 19
    "special_operator_certified": PLAN_YEARS,  # plan item 19
    "training_hours": PLAN_YEARS,  # plan item 20
    "drill_coverage": PLAN_YEARS,  # plan item 21: every enterprise drills every year
    "inspector_training": PLAN_YEARS,  # plan item 26: one centralized training a year
    "criteria_study": (2024,),  # plan item 10: one study session per member unit by end-2024
}
EXEMPLARY_PER_DEPARTMENT = 2
NOTE = "三年行动方案"
SOURCE_PLAN = "plan"


def plan_targets() -> list[dict]:
    rows = []
    for year in PLAN_YEARS:
        year_end = datetime.date(year, 12, 31)
        for code, years in RATE_METRICS.items():
            if year in years:
                rows.append(
                    {"metric": code, "year": year, "deadline": year_end, "target_percent": 100}
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
    # The migration 0002 runs before the source field exists (0007 adds it and marks the rows).
    labelled = any(field.name == "source" for field in target_model._meta.fields)
    for row in plan_targets():
        values = dict(row)
        keys = {"metric": values.pop("metric"), "deadline": values.pop("deadline")}
        _obj, was_created = target_model.objects.get_or_create(
            scope="town",
            **keys,
            defaults={**values, "note": NOTE, **({"source": SOURCE_PLAN} if labelled else {})},
        )
        created += was_created
    return created


def plan_targets_correct(target_model) -> tuple[int, int]:
    """Bring targets seeded before the plan was read exactly into line with it.

    Rows seeded as the plan's but not in it (the 80% by 30 June milestones, criteria study in
    2025/2026) are deleted when untouched (still the seeded value and note), otherwise kept as
    local targets. Rows the plan does state are marked as the plan's. Returns (deleted, relabelled).
    """
    stated = {(row["metric"], row["deadline"]) for row in plan_targets()}
    deleted = relabelled = 0
    for target in target_model.objects.filter(scope="town", note=NOTE):
        if (target.metric, target.deadline) in stated:
            if target.source != SOURCE_PLAN:
                target.source = SOURCE_PLAN
                target.save(update_fields=["source"])
            continue
        mid_year = target.deadline.month == 6 and target.deadline.day == 30
        untouched = (
            target.target_percent == (80 if mid_year else 100) and target.target_count is None
        )
        if untouched:
            target.delete()
            deleted += 1
        else:
            target.source = "local"
            target.note = ""
            target.save(update_fields=["source", "note"])
            relabelled += 1
    return deleted, relabelled
