from training.models.drills import DrillPlan, DrillRecord, DrillScenario, PlanType, ReviewStatus

__all__ = ["DrillPlan", "DrillRecord", "DrillScenario", "PlanType", "ReviewStatus"]
