"""Contest rankings: participants by best score, and units by participation and average score."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.cache import cache
from django.utils import timezone

from directory.identifiers import name_mask
from training.exams.models.attempts import Attempt, AttemptStatus
from training.exams.models.papers import Exam, ExamKind

# The contest page and the campaign page show the rankings to everyone who opens the contest at
# 9:00: they are computed once and kept in the shared cache until a result comes in
# (contest_rankings_forget, on each graded contest attempt), at most this long.
RANKINGS_SECONDS = 5 * 60


def _rankings_key(exam_id: int) -> str:
    # v2: rows hold masked names (PersonRank), not attempts; older entries are not read back.
    return f"contest:rankings:v2:{exam_id}"


@dataclass
class RankRow:
    label: str
    participants: int = 0
    total: Decimal = Decimal("0")

    @property
    def average(self) -> Decimal:
        return round(self.total / self.participants, 1) if self.participants else Decimal("0")


@dataclass
class PersonRank:
    """A participant as the public rankings show them: the name masked as /verify masks it."""

    name: str
    score: Decimal
    submitted_at: datetime.datetime


def _identity(participant) -> str:
    if participant.phone:
        return f"phone:{participant.phone}"
    return f"participant:{participant.pk}"


def _counted(best: dict) -> list:
    """One best attempt per phone number: of the participants with that phone and a result, the
    one who joined as a person of the registry, else the one who joined first. Joining again
    with the same phone (another browser, or somebody else's number) adds nobody to a unit."""
    chosen = {}
    for attempt in best.values():
        participant = attempt.participant
        rank = (participant.person_id is None, participant.created_at, participant.pk)
        key = _identity(participant)
        if key not in chosen or rank < chosen[key][0]:
            chosen[key] = (rank, attempt)
    return [attempt for _rank, attempt in chosen.values()]


def contest_rankings(*, exam: Exam, limit: int = 50) -> dict:
    """Top participants (best score, then who got it first) and villages / enterprises /
    departments ranked by participants and average best score, one participant per phone
    number (_counted). Masked names only, no phone numbers."""
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
    counted = _counted(best)
    people = sorted(counted, key=lambda a: (-(a.score or 0), a.submitted_at))
    units = {"village": {}, "enterprise": {}, "department": {}}
    for attempt in counted:
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
    shown = [
        PersonRank(name_mask(a.participant.name), a.score or Decimal("0"), a.submitted_at)
        for a in people[:limit]
    ]
    return {"people": shown, **ranked}


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

    from training.exams.models.papers import ExamKind

    contests = Exam.objects.filter(kind=ExamKind.CONTEST, campaign_page_id=page.pk)
    now = timezone.now()
    running = contests.filter(opens_at__lte=now, closes_at__gt=now).order_by("closes_at").first()
    return running or contests.order_by("-opens_at").first()


# The header of every page and the home page show the contest open now: read once a minute
# from the shared cache, so a page costs no query for it.
CURRENT_CONTEST_SECONDS = 60
CURRENT_CONTEST_KEY = "contest:current:v1"


@dataclass(frozen=True)
class CurrentContest:
    """What a link to the open contest needs (cached: plain values, no model instance)."""

    pk: int
    title: str
    closes_at: datetime.datetime


def contest_current() -> CurrentContest | None:
    """The knowledge contest open now (the one closing first when several are), or None."""

    def read():
        now = timezone.now()
        exam = (
            Exam.objects.filter(kind=ExamKind.CONTEST, opens_at__lte=now, closes_at__gt=now)
            .order_by("closes_at", "pk")
            .values("pk", "title", "closes_at")
            .first()
        )
        return (CurrentContest(**exam),) if exam else ()

    found = cache.get_or_set(CURRENT_CONTEST_KEY, read, CURRENT_CONTEST_SECONDS)
    if found and found[0].closes_at <= timezone.now():
        return None  # closed within the minute it was cached
    return found[0] if found else None


def contest_participant_held(*, exam: Exam, person, ids: list[int]):
    """Whom the visitor continues the contest as: a person of the registry, their own
    participant (None until they join); anyone else, the latest participant this browser
    joined the contest with (ids from its signed cookie), or None."""
    from training.exams.models.attempts import ContestParticipant

    participants = ContestParticipant.objects.filter(exam=exam).select_related(
        "enterprise", "village", "department"
    )
    if person is not None:
        return participants.filter(person=person).first()
    if not ids:
        return None
    return participants.filter(pk__in=ids).order_by("-pk").first()


def contest_attempts_of(*, participant) -> list:
    """The participant's attempts, latest first, for their own eyes on the contest page."""
    if participant is None:
        return []
    return list(participant.attempts.defer("items", "answers", "marks", "results")[:20])
