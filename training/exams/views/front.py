"""Front office "我的考试": open exams, the attempt page (autosave JSON), submit, results.

The attempt page carries stems and options only; right answers and explanations reach the
browser after the attempt is closed, and only as the exam's review setting allows (or, in
practice mode, one question's feedback in the reply to its saved answer) — neither while a
knowledge contest drawing from the same banks is open (attempt_answers_withheld_by).
"""

import json

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from directory.files import private_page
from directory.selectors import person_for_user
from training.exams.models.attempts import Attempt, ContestParticipant
from training.exams.models.banks import Question
from training.exams.models.papers import Exam, ExamKind, ExamMode
from training.exams.options import own_to_shown
from training.exams.selectors.scoping import (
    attempt_answers_withheld_by,
    attempt_review,
    attempt_sheet,
    exam_audience_includes,
    exams_open_for,
)
from training.exams.services.answer_sql import attempt_answer_quick
from training.exams.services.attempts import attempt_answer_save, attempt_start
from training.exams.services.grading import attempt_close_if_expired, attempt_submit
from training.exams.views.contest_cookie import participant_ids_held


def _person(request):
    person = person_for_user(request.user)
    if person is None:
        raise PermissionDenied(_("Your account is not linked to a person in the registry."))
    return person


def _attempts_of(request):
    """Attempts the visitor may take: their own as a person (contest ones included), or those
    of the contest participants this browser joined with (its signed cookie)."""
    taker = Q(pk__in=[])
    person = person_for_user(request.user)
    if person is not None:
        joined = ContestParticipant.objects.filter(person=person).values("pk")
        taker |= Q(person=person) | Q(participant__in=joined)
    participant_ids = participant_ids_held(request)
    if participant_ids:
        taker |= Q(participant_id__in=participant_ids)
    return Attempt.objects.filter(taker).select_related("exam")


def _own_attempt(request, pk: int) -> Attempt:
    attempt = get_object_or_404(_attempts_of(request), pk=pk)
    return attempt_close_if_expired(attempt=attempt)


@login_required
@private_page
def my_exams(request):
    person = person_for_user(request.user)
    now = timezone.now()
    context = {"person": person, "exams": [], "attempts": []}
    if person is not None:
        context["exams"] = exams_open_for(person, now=now)
        context["attempts"] = Attempt.objects.filter(person=person).select_related("exam")[:50]
    return render(request, "training/exams/my_exams.html", context)


@login_required
@require_POST
def exam_start(request, exam_id: int):
    person = _person(request)
    exam = get_object_or_404(Exam, pk=exam_id)
    if exam.kind == ExamKind.CONTEST:
        return redirect("exams:contest", exam.pk)
    if not exam_audience_includes(exam, person):
        raise Http404
    attempt = attempt_start(exam=exam, person=person)
    return redirect("exams:attempt", attempt.pk)


@private_page
def attempt_page(request, pk: int):
    attempt = _own_attempt(request, pk)
    if not attempt.is_open:
        return redirect("exams:result", attempt.pk)
    now = timezone.now()
    remaining = max(0, int((attempt.deadline - now).total_seconds()))
    withheld_by = None
    if attempt.exam.mode == ExamMode.PRACTICE:
        withheld_by = attempt_answers_withheld_by(attempt, now=now)
    context = {
        "attempt": attempt,
        "exam": attempt.exam,
        "sheet": attempt_sheet(attempt, reveal=False),
        "remaining": remaining,
        "withheld_by": withheld_by,
    }
    return render(request, "training/exams/attempt.html", context)


def _error(message: str, status: int) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


def _answer_saved(position: int, deadline) -> dict:
    remaining = max(0, int((deadline - timezone.now()).total_seconds()))
    return {"saved": True, "position": position, "remaining": remaining}


@require_POST
def attempt_answer(request, pk: int):
    """Autosave one answer: {"position": 3, "choice": "AC", "marked": false}; idempotent.

    The hot path of a contest's start: on PostgreSQL an everyday answer is one statement
    (attempt_answer_quick); the rest, and SQLite, go through attempt_answer_save, where the
    visitor's right to the attempt is checked in the query that locks it."""
    try:
        data = json.loads(request.body or b"{}")
        position = int(data["position"])
        choice = str(data.get("choice", ""))[:6]
        marked = data.get("marked")
        marked = None if marked is None else bool(marked)
    except (ValueError, TypeError, KeyError, AttributeError):
        return _error(_("Malformed answer."), 400)
    deadline = attempt_answer_quick(
        attempt_id=pk,
        position=position,
        choice=choice,
        marked=marked,
        account_id=request.user.pk if request.user.is_authenticated else None,
        participant_ids=participant_ids_held(request),
    )
    if deadline is not None:
        return JsonResponse(_answer_saved(position, deadline))
    try:
        attempt = attempt_answer_save(
            attempt_id=pk,
            position=position,
            choice=choice,
            marked=marked,
            among=_attempts_of(request),
        )
    except Attempt.DoesNotExist:
        raise Http404 from None
    except PermissionDenied as error:
        return JsonResponse({"error": str(error), "closed": True}, status=409)
    except ValidationError as error:
        return _error("；".join(error.messages), 400)
    reply = _answer_saved(position, attempt.deadline)
    practice = attempt.exam.mode == ExamMode.PRACTICE and choice
    if practice and attempt_answers_withheld_by(attempt, now=timezone.now()) is None:
        item = attempt.items[position]
        question = Question.objects.get(pk=item["q"])
        reply["feedback"] = {
            "correct": attempt.answers.get(str(position)) == question.answer,
            "right": own_to_shown(item, question.answer),
            "explanation": question.explanation,
        }
    return JsonResponse(reply)


@require_POST
def attempt_submit_view(request, pk: int):
    """Submit (the form also carries the answers, for a browser without scripts)."""
    attempt = get_object_or_404(_attempts_of(request), pk=pk)
    if attempt.is_open:
        for position in range(len(attempt.items)):
            field = f"q{position}"
            if field in request.POST:
                try:
                    attempt_answer_save(
                        attempt_id=attempt.pk,
                        position=position,
                        choice="".join(request.POST.getlist(field)),
                    )
                except (PermissionDenied, ValidationError):
                    break
    attempt_submit(attempt_id=attempt.pk)
    return redirect("exams:result", attempt.pk)


@private_page
def attempt_result(request, pk: int):
    attempt = _own_attempt(request, pk)
    if attempt.is_open:
        return redirect("exams:attempt", attempt.pk)
    review = attempt_review(attempt, now=timezone.now())
    context = {
        "attempt": attempt,
        "exam": attempt.exam,
        "reveal": review.reveal,
        "withheld_by": review.withheld_by,
        "sheet": attempt_sheet(attempt, reveal=True) if review.reveal else [],
    }
    return render(request, "training/exams/result.html", context)
