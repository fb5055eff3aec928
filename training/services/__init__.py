"""Every write of training, by sub-domain; the names stay importable from `training.services`."""

from training.services.drills import (
    REVIEW_DECISIONS,
    REVIEWER_ROLES,
    drill_plan_create,
    drill_record_create,
    drill_record_review,
    drill_record_update,
)
from training.services.ledger import ledger_history_record

__all__ = [
    "REVIEWER_ROLES",
    "REVIEW_DECISIONS",
    "drill_plan_create",
    "drill_record_create",
    "drill_record_review",
    "drill_record_update",
    "ledger_history_record",
]
