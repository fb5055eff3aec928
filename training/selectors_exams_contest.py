"""Contest rankings: participants by best score, and units by participation and average score."""

from dataclasses import dataclass
from decimal import Decimal

from training.models import Attempt, AttemptStatus, Exam


@dataclass
class RankRow:
    label: str
    participants: int = 0
    total: Decimal = Decimal("0")

    @property
    def average(self) -> Decimal:
        return round(self.total / self.participants, 1) if self.participants else Decimal("0")


def contest_rankings(*, exam: Exam, limit: int = 50) -> dict:
    """Top participants (best score, then who got it first) and villages / enterprises /
    departments ranked by participants and average best score. Names only, no phone numbers."""
    attempts = (
        Attempt.objects.filter(exam=exam, participant__isnull=False)
        .exclude(status=AttemptStatus.STARTED)
        .select_related(
            "participant__enterprise", "participant__village", "participant__department"
        )
        .order_by("participant_id", "-score", "submitted_at")
    )
    best = {}
    for attempt in attempts:
        best.setdefault(attempt.participant_id, attempt)
    people = sorted(best.values(), key=lambda a: (-(a.score or 0), a.submitted_at))
    units = {"village": {}, "enterprise": {}, "department": {}}
    for attempt in best.values():
        for kind in units:
            unit = getattr(attempt.participant, kind)
            if unit is not None:
                row = units[kind].setdefault(unit.pk, RankRow(unit.name))
                row.participants += 1
                row.total += attempt.score or 0
    ranked = {
        kind: sorted(rows.values(), key=lambda r: (-r.participants, -r.average, r.label))
        for kind, rows in units.items()
    }
    return {"people": people[:limit], **ranked}
