"""Back-office forms of the certificate registry: holders found by ID number, choices scoped."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.widgets import AdminDateInput

from certificates.models import (
    CertificateReview,
    CertificateType,
    CertificateViolation,
    PostAbsence,
    RegisteredCertificate,
    SpecialOperation,
)
from certificates.resources.registry import DATE_SEPARATORS
from certificates.rules import RefusalGround, add_years
from certificates.selectors.registry import registered_certificates_editable_by
from certificates.services.registry import OFFICER_ROLES, card_review_problems
from directory.forms import CodeField, RegistryForm
from directory.identifiers import id_number_mask
from directory.importing.widgets import DateWidget
from directory.selectors import people_editable_by


class RegisteredCertificateForm(RegistryForm):
    # A town has ~100k people: the holder is typed by ID number, not picked from a list.
    holder_id_number = CodeField(label=_("Holder's ID number"), max_length=18)
    # What the card shows of its reviews, on registration; later reviews on the card's page.
    last_reviewed_on = forms.DateField(
        label=_("Latest review date"),
        required=False,
        widget=AdminDateInput,
        help_text=_("The latest review passed, as recorded on the card."),
    )
    earlier_reviews = forms.CharField(
        label=_("Earlier review dates"),
        required=False,
        help_text=_("Optional: earlier reviews passed, e.g. 2019-02-20, 2022-02-18."),
    )

    class Meta:
        model = RegisteredCertificate
        fields = [
            "certificate_type",
            "operation",
            "scope",
            "number",
            "issuing_authority",
            "first_issued_on",
            "valid_until",
            "review_extended_on",
            "revoked_on",
            "revoked_reason",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["certificate_type"].queryset = CertificateType.objects.all()
        self.fields["operation"].queryset = SpecialOperation.objects.select_related("category")
        self.fields["operation"].label_from_instance = lambda op: f"{op.category} · {op.name}"
        self.fields["valid_until"].required = False
        self.fields["valid_until"].help_text = _(
            "Leave empty for the type's validity from the first issue."
        )
        if self.instance.pk:
            self.fields["holder_id_number"].initial = id_number_mask(self.instance.person.id_number)
            self.fields["holder_id_number"].disabled = True
            del self.fields["last_reviewed_on"]
            del self.fields["earlier_reviews"]
        if "review_extended_on" in self.fields:
            self.fields["review_extended_on"].help_text = _(
                "The date of the review at which the authority consented (第二十一条): the "
                "6-year interval lengthens the periods after it. Needs 10 years or more in the "
                "same operation and no violation recorded."
            )
        if self.role not in OFFICER_ROLES:
            # 第二十一条 consent and revocation are recorded by the supervising officers.
            for name in ("review_extended_on", "revoked_on", "revoked_reason"):
                del self.fields[name]

    def clean_holder_id_number(self):
        if self.instance.pk:
            return self.instance.person.id_number
        number = self.cleaned_data["holder_id_number"]
        person = people_editable_by(self.for_user).filter(id_number=number).first()
        if person is None:
            raise forms.ValidationError(
                _("No person with this ID number is registered in your responsibility.")
            )
        self.holder = person
        return number

    def clean_earlier_reviews(self) -> list:
        days = []
        for part in DATE_SEPARATORS.split(self.cleaned_data.get("earlier_reviews") or ""):
            if part:
                try:
                    days.append(DateWidget().clean(part))
                except ValueError as error:
                    raise forms.ValidationError(str(error)) from None
        return days

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            return cleaned
        first, kind = cleaned.get("first_issued_on"), cleaned.get("certificate_type")
        until = cleaned.get("valid_until")
        if until is None and first and kind:
            until = add_years(first, kind.validity_years)
        problems = card_review_problems(
            first_issued_on=first,
            valid_until=until,
            certificate_type=kind,
            last_reviewed_on=cleaned.get("last_reviewed_on"),
            earlier_reviews=cleaned.get("earlier_reviews") or [],
        )
        for name, texts in problems.items():
            for text in texts:
                self.add_error(name, text)
        return cleaned

    def card_fields(self) -> dict:
        names = ["certificate_type", "operation", "scope", "number", "issuing_authority"]
        names += ["first_issued_on", "valid_until", "last_reviewed_on", "earlier_reviews"]
        return {name: self.cleaned_data[name] for name in names}


class CertificateChildForm(RegistryForm):
    """A review or an absence of one certificate, given by `?certificate=` from its page."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["certificate"]
        field.queryset = registered_certificates_editable_by(self.for_user)
        field.widget = forms.HiddenInput()

    def cleaned_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self._meta.fields}


class CertificateReviewForm(CertificateChildForm):
    # 第二十五条: the grounds of a refused review, required when it failed (the model checks).
    refusal_grounds = forms.MultipleChoiceField(
        label=_("Grounds for refusal (第二十五条)"),
        choices=RefusalGround.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Required when the review failed."),
    )

    class Meta:
        model = CertificateReview
        fields = [
            "certificate",
            "reviewed_on",
            "result",
            "training_hours",
            "refusal_grounds",
            "note",
        ]


class CertificateViolationForm(CertificateChildForm):
    class Meta:
        model = CertificateViolation
        fields = [
            "certificate",
            "occurred_on",
            "description",
            "serious_consequences",
            "administrative_penalty",
        ]


class PostAbsenceForm(CertificateChildForm):
    class Meta:
        model = PostAbsence
        fields = ["certificate", "left_on", "returned_on", "practical_exam_passed_on", "note"]


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("Scan of the card (PDF, JPEG or PNG)"))
