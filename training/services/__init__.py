"""Every write of training, by sub-domain; the names stay importable from `training.services`."""

from training.services.assignments import (
    assignment_create,
    assignment_due_date_change,
    enrolment_join,
)
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
    "assignment_create",
    "assignment_due_date_change",
    "REVIEWER_ROLES",
    "REVIEW_DECISIONS",
    "drill_plan_create",
    "drill_record_create",
    "drill_record_review",
    "drill_record_update",
    "enrolment_join",
    "ledger_history_record",
]
