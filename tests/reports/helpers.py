"""Drill records for the coverage tests."""

import datetime

from training.models import DrillRecord, ReviewStatus


def drill(enterprise, day, status=ReviewStatus.SUBMITTED):
    return DrillRecord.objects.create(
        enterprise=enterprise,
        date=day,
        scenario="fire_evacuation",
        plan_type="comprehensive",
        alarm_time=datetime.time(10, 0),
        all_clear_time=datetime.time(10, 5),
        headcount=10,
        evacuated=10,
        review_status=status,
    )
