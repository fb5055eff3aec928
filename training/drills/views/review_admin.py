"""The review page of a drill record in the back office.

Officers accept a record or ask for more with a comment, and note what they saw on site; the
enterprise reads the same page: the outcome, the comment and the observations.
"""

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin import messages

from directory.selectors import account_role
from training.common.roles import REVIEWER_ROLES
from training.drills.models.entry import DrillSignature
from training.drills.models.records import DrillRecord, ReviewStatus
from training.drills.selectors.records import drill_records_visible_to
from training.drills.services.follow_up import drill_observation_add
from training.drills.services.records import drill_record_review


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (ReviewStatus.ACCEPTED, _("Accept")),
            (ReviewStatus.MORE_INFORMATION, _("Ask for more information")),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class ObservationForm(forms.Form):
    observed_at = forms.DateTimeField(
        label=_("Observed at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    note = forms.CharField(label=_("What you saw"), widget=forms.Textarea(attrs={"rows": 3}))


def _apply(form, service, **kwargs) -> bool:
    """Run a service with the form's data; its ValidationError becomes the form's errors."""
    try:
        service(**kwargs, **form.cleaned_data)
    except ValidationError as error:
        for field, errors in error.message_dict.items():
            target = field if field in form.fields else "note"
            for message in errors:
                form.add_error(target, message)
        return False
    return True


def drill_review(request, pk: int):
    queryset = drill_records_visible_to(request.user).select_related("enterprise", "reviewed_by")
    record: DrillRecord = get_object_or_404(queryset, pk=pk)
    may_review = account_role(request.user) in REVIEWER_ROLES
    review_form = ReviewForm(prefix="review")
    observation_form = ObservationForm(
        prefix="observation", initial={"observed_at": timezone.localtime().replace(second=0)}
    )
    if request.method == "POST":
        if not may_review:
            raise PermissionDenied
        if "review-decision" in request.POST:
            review_form = ReviewForm(request.POST, prefix="review")
            done = review_form.is_valid() and _apply(
                review_form, drill_record_review, user=request.user, record=record
            )
            message = _("The review is saved; the enterprise sees it with its record.")
        else:
            observation_form = ObservationForm(request.POST, prefix="observation")
            done = observation_form.is_valid() and _apply(
                observation_form, drill_observation_add, user=request.user, record=record
            )
            message = _("The observation is noted.")
        if done:
            messages.success(request, message)
            return redirect("drill_review", pk=record.pk)
    return TemplateResponse(
        request,
        "training/drills/admin/review.html",
        {
            "record": record,
            "may_review": may_review,
            "review_form": review_form,
            "observation_form": observation_form,
            "evidence": record.evidence.all(),
            "actions": record.corrective_actions.all(),
            "observations": record.observations.all(),
            "groups": record.group_rows.all(),
            "listed": record.participants.count(),
            "signed": DrillSignature.objects.filter(record=record).first(),
        },
    )
