from training.models.drill_evidence import DrillEvidence, EvidenceKind
from training.models.drill_profile import DrillProfile
from training.models.drills import DrillPlan, DrillRecord, DrillScenario, PlanType, ReviewStatus

__all__ = [
    "DrillEvidence",
    "DrillPlan",
    "DrillProfile",
    "DrillRecord",
    "DrillScenario",
    "PlanType",
    "EvidenceKind",
    "ReviewStatus",
]
