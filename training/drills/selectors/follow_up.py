"""Reads of the drill follow-up models, each scoped through its enterprise like the registry."""

import datetime

from django.db.models import BooleanField, Case, QuerySet, Value, When

from directory.models import User
from directory.selectors import account_role, enterprises_editable_by, enterprises_visible_to
from training.common.roles import REVIEWER_ROLES
from training.drills.models.corrective_actions import ActionStatus, CorrectiveAction
from training.drills.models.evidence import DrillEvidence
from training.drills.models.observations import DrillObservation
from training.drills.models.profile import DrillProfile


def _through_enterprise(model, path: str = "enterprise"):
    """The visible / editable pair of a model whose rows belong to an enterprise via `path`;
    rows reached through a drill record follow it into the archive (directory.models.Archivable)."""
    live = {"record__archived_at__isnull": True} if path.startswith("record__") else {}

    def visible(user: User, queryset: QuerySet | None = None) -> QuerySet:
        qs = model.objects.all() if queryset is None else queryset
        return qs.filter(**{f"{path}__in": enterprises_visible_to(user)}, **live)

    def editable(user: User, queryset: QuerySet | None = None) -> QuerySet:
        qs = model.objects.all() if queryset is None else queryset
        return qs.filter(**{f"{path}__in": enterprises_editable_by(user)}, **live)

    visible.__name__ = f"{model._meta.model_name}_visible_to"
    editable.__name__ = f"{model._meta.model_name}_editable_by"
    return visible, editable


drill_profiles_visible_to, drill_profiles_editable_by = _through_enterprise(DrillProfile)
drill_evidence_visible_to, drill_evidence_editable_by = _through_enterprise(
    DrillEvidence, "record__enterprise"
)
corrective_actions_visible_to, corrective_actions_editable_by = _through_enterprise(
    CorrectiveAction, "record__enterprise"
)
drill_observations_visible_to = _through_enterprise(DrillObservation, "record__enterprise")[0]


def drill_observations_editable_by(user: User, queryset: QuerySet | None = None) -> QuerySet:
    """Observations are the officers' notes: they change those of the drills they follow."""
    if account_role(user) not in REVIEWER_ROLES:
        return DrillObservation.objects.none()
    return drill_observations_visible_to(user, queryset)


SCOPES = {
    DrillObservation: (drill_observations_visible_to, drill_observations_editable_by),
    CorrectiveAction: (corrective_actions_visible_to, corrective_actions_editable_by),
    DrillProfile: (drill_profiles_visible_to, drill_profiles_editable_by),
    DrillEvidence: (drill_evidence_visible_to, drill_evidence_editable_by),
}


# --- corrective actions ------------------------------------------------------------------------


def corrective_actions_with_overdue(
    queryset: QuerySet[CorrectiveAction], today: datetime.date
) -> QuerySet[CorrectiveAction]:
    """Actions with `is_overdue` (still open after their due date), the overdue ones first."""
    return queryset.annotate(
        is_overdue=Case(
            When(status=ActionStatus.OPEN, due_date__lt=today, then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    ).order_by("-is_overdue", "due_date", "id")


def corrective_actions_overdue(user: User, today: datetime.date) -> QuerySet[CorrectiveAction]:
    return corrective_actions_visible_to(user).filter(status=ActionStatus.OPEN, due_date__lt=today)
