from training.models.drills import DrillPlan, DrillRecord, DrillScenario, PlanType, ReviewStatus
from training.models.learning import LessonProgress, StudyClock
from training.models.ledger import HourSource, StudyHourEntry

__all__ = [
    "DrillPlan",
    "DrillRecord",
    "DrillScenario",
    "HourSource",
    "LessonProgress",
    "PlanType",
    "ReviewStatus",
    "StudyClock",
    "StudyHourEntry",
]
