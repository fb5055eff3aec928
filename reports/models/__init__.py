from .monthly import (
    DUE_DAY,
    EDITABLE_STATUSES,
    REMINDER_DAYS,
    SENT_STATUSES,
    MonthlyReport,
    ReportStatus,
    TownMonthlyReport,
)
from .snapshots import EnterpriseMeasure, MetricSnapshot
from .targets import ExemplaryEnterprise, ScopeKind, Target

__all__ = [
    "DUE_DAY",
    "EDITABLE_STATUSES",
    "REMINDER_DAYS",
    "SENT_STATUSES",
    "EnterpriseMeasure",
    "ExemplaryEnterprise",
    "MetricSnapshot",
    "MonthlyReport",
    "ReportStatus",
    "ScopeKind",
    "Target",
    "TownMonthlyReport",
]
