"""The plan app's tables, one domain package each (plan.tasklist, …)."""

from plan.followup.models import (
    Bulletin,
    DocumentNumber,
    FollowUpOrder,
    FollowUpStatus,
    Talk,
)
from plan.meetings.models import DispatchMeeting, MeetingDecision
from plan.subplans.models import SubPlan, SubPlanRound, SubPlanStatus, SubPlanVersion
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
    "SubPlan",
    "SubPlanRound",
    "SubPlanStatus",
    "SubPlanVersion",
    "DispatchMeeting",
    "MeetingDecision",
]
