"""The plan app's tables, one domain package each (plan.tasklist, …)."""

from plan.tasklist.models import (
    PlanItem,
    Task,
    TaskEvidence,
    TaskProgress,
    TaskSource,
    TaskStatus,
    TaskUnit,
    TaskUnitRole,
    TaskYearGoal,
)

__all__ = [
    "PlanItem",
    "Task",
    "TaskEvidence",
    "TaskProgress",
    "TaskSource",
    "TaskStatus",
    "TaskUnit",
    "TaskUnitRole",
    "TaskYearGoal",
]
