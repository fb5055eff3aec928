from training.models.corrective_actions import ActionStatus, CorrectiveAction
from training.models.drill_entry import DrillGroupRow, DrillSignature
from training.models.drill_evidence import DrillEvidence, EvidenceKind
from training.models.drill_observations import DrillObservation
from training.models.drill_profile import DrillProfile
from training.models.drills import DrillPlan, DrillRecord, DrillScenario, PlanType, ReviewStatus

__all__ = [
    "ActionStatus",
    "CorrectiveAction",
    "DrillEvidence",
    "DrillGroupRow",
    "DrillObservation",
    "DrillPlan",
    "DrillProfile",
    "DrillRecord",
    "DrillScenario",
    "DrillSignature",
    "PlanType",
    "EvidenceKind",
    "ReviewStatus",
]
