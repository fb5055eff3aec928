from .monthly import (
    DUE_DAY,
    EDITABLE_STATUSES,
    REMINDER_DAYS,
    SENT_STATUSES,
    MonthlyReport,
    ReportStatus,
    TownMonthlyReport,
)
from .snapshots import MetricSnapshot
from .targets import ExemplaryEnterprise, ScopeKind, Target

__all__ = [
    "DUE_DAY",
    "EDITABLE_STATUSES",
    "REMINDER_DAYS",
    "SENT_STATUSES",
    "ExemplaryEnterprise",
    "MetricSnapshot",
    "MonthlyReport",
    "ReportStatus",
    "ScopeKind",
    "Target",
    "TownMonthlyReport",
]
