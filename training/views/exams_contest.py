"""The public contest page: join with name, phone and unit (no login), start, rankings."""

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from directory.models import Department, Enterprise, Village
from training.models import Exam, ExamKind
from training.selectors_exams_contest import contest_rankings_published
from training.services.exams_contest import contest_attempt_start, contest_join
from training.views.exams import CONTEST_SESSION_KEY


class JoinForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=50)
    phone = forms.CharField(label=_("Mobile number"), max_length=20)
    enterprise = forms.ModelChoiceField(
        label=_("Enterprise"), queryset=Enterprise.objects.order_by("name"), required=False
    )
    village = forms.ModelChoiceField(
        label=_("Village or community"), queryset=Village.objects.order_by("name"), required=False
    )
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=Department.objects.order_by("name"), required=False
    )


def contest_page(request, exam_id: int):
    exam = get_object_or_404(Exam, pk=exam_id, kind=ExamKind.CONTEST)
    form = JoinForm(request.POST or None)
    error = None
    if request.method == "POST" and form.is_valid():
        try:
            participant = contest_join(exam=exam, **form.cleaned_data)
            attempt = contest_attempt_start(participant=participant)
        except ValidationError as problem:
            error = "；".join(problem.messages)
        except PermissionDenied as problem:
            error = str(problem)
        else:
            ids = set(request.session.get(CONTEST_SESSION_KEY, []))
            request.session[CONTEST_SESSION_KEY] = sorted(ids | {participant.pk})
            return redirect("exams:attempt", attempt.pk)
    now = timezone.now()
    context = {
        "exam": exam,
        "form": form,
        "error": error,
        "is_open": exam.opens_at <= now < exam.closes_at,
        "rankings": contest_rankings_published(exam=exam),
    }
    return render(request, "training/exams/contest.html", context)
