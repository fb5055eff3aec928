"""Contest rankings: participants by best score, and units by participation and average score."""

from dataclasses import dataclass
from decimal import Decimal

from django.core.cache import cache

from training.models import Attempt, AttemptStatus, Exam

# The contest page and the campaign page show the rankings to everyone who opens the contest at
# 9:00: they are computed once and kept in the shared cache until a result comes in
# (contest_rankings_forget, on each graded contest attempt), at most this long.
RANKINGS_SECONDS = 5 * 60


def _rankings_key(exam_id: int) -> str:
    return f"contest:rankings:{exam_id}"


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
        .defer("items", "answers", "marks", "results")
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


def contest_rankings_published(*, exam: Exam) -> dict:
    """contest_rankings as published: from the shared cache while no new result came in."""
    return cache.get_or_set(
        _rankings_key(exam.pk), lambda: contest_rankings(exam=exam), RANKINGS_SECONDS
    )


def contest_rankings_forget(*, exam_id: int) -> None:
    cache.delete(_rankings_key(exam_id))


def contest_for_campaign(*, page) -> Exam | None:
    """The contest published on a campaign page: the one running now, else the latest."""
    from django.utils import timezone

    from training.models import ExamKind

    contests = Exam.objects.filter(kind=ExamKind.CONTEST, campaign_page_id=page.pk)
    now = timezone.now()
    running = contests.filter(opens_at__lte=now, closes_at__gt=now).order_by("closes_at").first()
    return running or contests.order_by("-opens_at").first()
