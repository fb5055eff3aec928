from training.models.corrective_actions import ActionStatus, CorrectiveAction
from training.models.drill_entry import DrillGroupRow, DrillSignature
from training.models.drill_evidence import DrillEvidence, EvidenceKind
from training.models.drill_observations import DrillObservation
from training.models.drill_profile import DrillProfile
from training.models.drills import DrillPlan, DrillRecord, DrillScenario, PlanType, ReviewStatus
from training.models.learning import LessonProgress, StudyClock
from training.models.learning_assignments import CourseAssignment, Enrolment
from training.models.learning_requirements import RequirementKind, TrainingRequirement
from training.models.ledger import HourSource, StudyHourEntry

__all__ = [
    "ActionStatus",
    "CorrectiveAction",
    "CourseAssignment",
    "DrillEvidence",
    "DrillGroupRow",
    "DrillObservation",
    "DrillPlan",
    "DrillProfile",
    "DrillRecord",
    "DrillScenario",
    "DrillSignature",
    "Enrolment",
    "EvidenceKind",
    "HourSource",
    "LessonProgress",
    "PlanType",
    "RequirementKind",
    "ReviewStatus",
    "StudyClock",
    "StudyHourEntry",
    "TrainingRequirement",
]
