"""The plan app's tables, one domain package each (plan.tasklist, …)."""

from plan.followup.models import (
    Bulletin,
    DocumentNumber,
    FollowUpOrder,
    FollowUpStatus,
    Talk,
)
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
    "Bulletin",
    "DocumentNumber",
    "FollowUpOrder",
    "FollowUpStatus",
    "Talk",
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
