"""The unit a plan record belongs to: a department or a village (镇属部门 / 村居), never both."""

from django.db import models
from django.db.models import Q

ONE_UNIT = Q(department__isnull=True) ^ Q(village__isnull=True)


def one_unit_constraints(prefix: str, *, once_per: str | None = None) -> list:
    """Exactly one of department / village; with `once_per`, each unit at most once per that
    field's value (a unit once per task, a sub-plan once per round)."""
    constraints = [models.CheckConstraint(condition=ONE_UNIT, name=f"{prefix}_one_unit")]
    if once_per:
        constraints += [
            models.UniqueConstraint(
                fields=[once_per, unit],
                condition=Q(**{f"{unit}__isnull": False}),
                name=f"{prefix}_{unit}_once",
            )
            for unit in ("department", "village")
        ]
    return constraints
