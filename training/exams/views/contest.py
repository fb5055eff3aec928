"""The public contest page: join, start or continue, rankings.

A logged-in person of the registry joins as themself (name, phone and unit from the registry,
shown read-only). Anyone else, other staff accounts included (they are not people of the
registry, so the contest cannot know who they are either), joins as the public does: name,
phone and unit typed, the new participant held by this browser's signed cookie.
"""

from typing import NamedTuple

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from directory.identifiers import normalize_code, normalize_text, phone_mask
from directory.models import Department, Enterprise, Village
from directory.selectors import person_for_user
from directory.throttle import client_address
from training.exams.models.papers import Exam, ExamKind
from training.exams.selectors.contest import (
    contest_attempts_of,
    contest_participant_held,
    contest_rankings_published,
)
from training.exams.services.contest import (
    ContestJoinLimited,
    contest_attempt_start,
    contest_join,
    contest_join_person,
)
from training.exams.views.contest_cookie import participant_hold, participant_ids_held


class EnterpriseField(forms.CharField):
    """The enterprise typed by its full name or its unified social credit code, looked up by
    either (both indexed): a district's tens of thousands of enterprises are never listed in
    the page, which every participant of the contest's spike opens."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 200)
        kwargs.setdefault(
            "help_text", _("Its full name, or its unified social credit code (18 characters).")
        )
        super().__init__(**kwargs)

    def clean(self, value):
        text = normalize_text(super().clean(value))
        if not text:
            return None
        code = normalize_code(text)
        found = list(Enterprise.objects.filter(credit_code=code)[:1]) if len(code) == 18 else []
        if not found:
            found = list(Enterprise.objects.filter(name=text).order_by("pk")[:2])
        if len(found) > 1:
            raise ValidationError(
                _("Several enterprises have this name: enter its unified social credit code.")
            )
        if not found:
            raise ValidationError(
                _("No enterprise of the registry has this name or unified social credit code.")
            )
        return found[0]


class JoinForm(forms.Form):
    name = forms.CharField(label=pgettext_lazy("person", "Name"), max_length=50)
    phone = forms.CharField(label=_("Mobile number"), max_length=20)
    enterprise = EnterpriseField(label=_("Enterprise"), required=False)
    village = forms.ModelChoiceField(
        label=_("Village or community"), queryset=Village.objects.order_by("name"), required=False
    )
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=Department.objects.order_by("name"), required=False
    )


class RegistryJoinForm(forms.Form):
    """A person of the registry's entry, shown read-only: disabled fields ignore what is posted."""

    name = forms.CharField(label=pgettext_lazy("person", "Name"), disabled=True, required=False)
    phone = forms.CharField(label=_("Mobile number"), disabled=True, required=False)
    unit = forms.CharField(label=_("Unit"), disabled=True, required=False)

    @classmethod
    def of(cls, person) -> "RegistryJoinForm":
        units = [person.employer, person.department]
        return cls(
            initial={
                "name": person.name,
                "phone": phone_mask(person.phone) or "—",
                "unit": "、".join(str(unit) for unit in units if unit is not None) or "—",
            }
        )


class Entry(NamedTuple):
    """What a POST to the contest page came to."""

    participant: object = None  # to start or continue
    joined: object = None  # newly joined from this browser: its cookie must hold them
    form: forms.Form | None = None  # the join form as posted
    error: str | None = None
    status: int = 200


def _entered(request, exam, person, held) -> Entry:
    """A person joins as themself, the browser's participant continues, or the form starts a
    new participant within the join limits."""
    if person is not None:
        try:
            return Entry(participant=contest_join_person(exam=exam, person=person))
        except PermissionDenied as problem:
            return Entry(error=str(problem))
    if held is not None and "continue" in request.POST:
        return Entry(participant=held)
    form = JoinForm(request.POST)
    if not form.is_valid():
        return Entry(form=form)
    try:
        joined = contest_join(exam=exam, **form.cleaned_data, address=client_address(request))
    except ContestJoinLimited as problem:
        return Entry(form=form, error=str(problem), status=429)
    except ValidationError as problem:
        return Entry(form=form, error="；".join(problem.messages))
    except PermissionDenied as problem:
        return Entry(form=form, error=str(problem))
    return Entry(participant=joined, joined=joined, form=form)


def contest_page(request, exam_id: int):
    exam = get_object_or_404(Exam, pk=exam_id, kind=ExamKind.CONTEST)
    person = person_for_user(request.user)
    held = contest_participant_held(exam=exam, person=person, ids=participant_ids_held(request))
    form = RegistryJoinForm.of(person) if person is not None else JoinForm()
    entry = Entry()
    if request.method == "POST":
        entry = _entered(request, exam, person, held)
        if entry.form is not None:
            form = entry.form
        if entry.participant is not None:
            held = entry.participant
            try:
                attempt = contest_attempt_start(participant=held)
            except PermissionDenied as problem:
                entry = entry._replace(error=str(problem))
            else:
                response = redirect("exams:attempt", attempt.pk)
                if entry.joined is not None:
                    participant_hold(request, response, participant=entry.joined)
                return response
    now = timezone.now()
    context = {
        "exam": exam,
        "form": form,
        "person": person,
        "held": held,
        "held_phone": phone_mask(held.phone) if held is not None else "",
        "held_attempts": contest_attempts_of(participant=held),
        "error": entry.error,
        "is_open": exam.opens_at <= now < exam.closes_at,
        "rankings": contest_rankings_published(exam=exam),
    }
    response = render(request, "training/exams/contest.html", context, status=entry.status)
    if entry.joined is not None:  # joined, but no attempt to go to: the browser still holds them
        participant_hold(request, response, participant=entry.joined)
    return response
