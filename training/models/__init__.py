from training.models.drill_profile import DrillProfile
from training.models.drills import DrillPlan, DrillRecord, DrillScenario, PlanType, ReviewStatus

__all__ = ["DrillPlan", "DrillProfile", "DrillRecord", "DrillScenario", "PlanType", "ReviewStatus"]
