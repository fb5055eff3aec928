from training.models.drills import DrillPlan, DrillRecord, DrillScenario, PlanType, ReviewStatus
from training.models.learning import LessonProgress, StudyClock
from training.models.learning_assignments import CourseAssignment, Enrolment
from training.models.learning_requirements import RequirementKind, TrainingRequirement
from training.models.ledger import HourSource, StudyHourEntry

__all__ = [
    "CourseAssignment",
    "DrillPlan",
    "DrillRecord",
    "DrillScenario",
    "Enrolment",
    "HourSource",
    "LessonProgress",
    "PlanType",
    "RequirementKind",
    "ReviewStatus",
    "StudyClock",
    "StudyHourEntry",
    "TrainingRequirement",
]
