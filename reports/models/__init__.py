from .monthly import (
    DUE_DAY,
    EDITABLE_STATUSES,
    REMINDER_DAYS,
    SENT_STATUSES,
    MonthlyReport,
    ReportStatus,
    TownMonthlyReport,
)
from .targets import ExemplaryEnterprise, ScopeKind, Target

__all__ = [
    "DUE_DAY",
    "EDITABLE_STATUSES",
    "REMINDER_DAYS",
    "SENT_STATUSES",
    "ExemplaryEnterprise",
    "MonthlyReport",
    "ReportStatus",
    "ScopeKind",
    "Target",
    "TownMonthlyReport",
]
