"""The town plan's own targets (徐泾镇安全生产治本攻坚三年行动方案 2024—2026, regulations.md §8):
full coverage of every metric by 31 December of each plan year, 80% by 30 June where the work
runs through the year, and 2 exemplary enterprises per department (the plan says 2–3 by end-2024;
an enterprise named once keeps counting). Town-wide targets, which apply to every department and
village without one of its own; the town office edits them in the back office."""

import datetime

from django.db import migrations

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


def plan_targets(apps, schema_editor):
    Target = apps.get_model("reports", "Target")
    for year in PLAN_YEARS:
        year_end = datetime.date(year, 12, 31)
        mid_year = datetime.date(year, 6, 30)
        for code in RATE_METRICS:
            Target.objects.get_or_create(
                metric=code,
                scope="town",
                deadline=year_end,
                defaults={"year": year, "target_percent": 100, "note": NOTE},
            )
            if code in MID_YEAR_METRICS:
                Target.objects.get_or_create(
                    metric=code,
                    scope="town",
                    deadline=mid_year,
                    defaults={"year": year, "target_percent": MID_YEAR_PERCENT, "note": NOTE},
                )
        Target.objects.get_or_create(
            metric="exemplary_enterprises",
            scope="town",
            deadline=year_end,
            defaults={
                "year": year,
                "target_count": EXEMPLARY_PER_DEPARTMENT,
                "note": "三年行动方案：每个牵头部门2–3家示范企业",
            },
        )


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]

    operations = [migrations.RunPython(plan_targets, migrations.RunPython.noop)]
