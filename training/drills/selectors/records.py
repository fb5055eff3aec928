"""Which drill plans and records each user may see and change: they follow their enterprise."""

from django.db.models import Prefetch, QuerySet

from directory.models import User
from directory.selectors import enterprises_editable_by, enterprises_visible_to
from training.drills.models.corrective_actions import CorrectiveAction
from training.drills.models.records import DrillPlan, DrillRecord, ReviewStatus

# --- scoping: plans and records follow their enterprise ------------------------------------


def drill_records_visible_to(user: User, queryset: QuerySet | None = None) -> QuerySet[DrillRecord]:
    qs = DrillRecord.objects.all() if queryset is None else queryset
    return qs.filter(enterprise__in=enterprises_visible_to(user))


def drill_records_editable_by(
    user: User, queryset: QuerySet | None = None
) -> QuerySet[DrillRecord]:
    qs = DrillRecord.objects.all() if queryset is None else queryset
    return qs.filter(enterprise__in=enterprises_editable_by(user))


def drill_plans_visible_to(user: User, queryset: QuerySet | None = None) -> QuerySet[DrillPlan]:
    qs = DrillPlan.objects.all() if queryset is None else queryset
    return qs.filter(enterprise__in=enterprises_visible_to(user))


def drill_plans_editable_by(user: User, queryset: QuerySet | None = None) -> QuerySet[DrillPlan]:
    qs = DrillPlan.objects.all() if queryset is None else queryset
    return qs.filter(enterprise__in=enterprises_editable_by(user))


def drill_records_awaiting_review(user: User) -> QuerySet[DrillRecord]:
    """Drill records of the user's enterprises submitted and not yet reviewed."""
    return drill_records_visible_to(user).filter(review_status=ReviewStatus.SUBMITTED)


def enterprise_drill_records(enterprise, year: int) -> QuerySet[DrillRecord]:
    """An enterprise's drill records of `year`, oldest first, each with its corrective actions
    in due order (一企一档; two queries)."""
    return (
        DrillRecord.objects.filter(enterprise=enterprise, date__year=year)
        .prefetch_related(
            Prefetch(
                "corrective_actions",
                queryset=CorrectiveAction.objects.order_by("due_date", "pk"),
            )
        )
        .order_by("date", "pk")
    )


SCOPES = {
    DrillRecord: (drill_records_visible_to, drill_records_editable_by),
    DrillPlan: (drill_plans_visible_to, drill_plans_editable_by),
}
