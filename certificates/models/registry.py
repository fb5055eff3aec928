"""The registry of government-issued certificates: the catalogue, certificates, reviews, absences."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from certificates.catalogue import QUALIFIES_MANAGEMENT, QUALIFIES_SPECIAL_OPERATOR
from certificates.rules import REVIEW_MIN_TRAINING_HOURS, InvalidReason, RefusalGround
from directory.files import private_storage
from directory.models import NOT_ARCHIVED, Archivable, archived_has_reason
from directory.uploads import EXTENSIONS, stored_name_for


class OperationCategory(models.Model):
    """A category of the special-operation catalogue (特种作业目录), e.g. 1 电工作业."""

    code = models.CharField(_("code"), max_length=10, unique=True)
    name = models.CharField(_("name"), max_length=100, unique=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("operation category")
        verbose_name_plural = _("operation categories")

    def __str__(self):
        return self.name


class SpecialOperation(models.Model):
    """An operation of the catalogue a special-operation certificate permits (准操项目)."""

    category = models.ForeignKey(
        OperationCategory,
        on_delete=models.PROTECT,
        related_name="operations",
        verbose_name=_("category"),
    )
    code = models.CharField(_("code"), max_length=10, unique=True)
    name = models.CharField(_("name"), max_length=100)
    source = models.CharField(_("source"), max_length=200, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    class Meta:
        ordering = ["category__sort_order", "sort_order", "code"]
        verbose_name = _("special operation")
        verbose_name_plural = _("special operations")
        constraints = [
            models.UniqueConstraint(
                fields=["category", "name"], name="certificates_operation_name_unique"
            )
        ]

    def __str__(self):
        return self.name


class CertificateType(models.Model):
    """A kind of government certificate with its validity and review rules (catalogue.py)."""

    class Qualifies(models.TextChoices):
        SPECIAL_OPERATOR = QUALIFIES_SPECIAL_OPERATOR, _("Special operator post")
        MANAGEMENT = QUALIFIES_MANAGEMENT, _("Principal / safety manager")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100, unique=True)
    validity_years = models.PositiveSmallIntegerField(
        _("valid for (years)"), validators=[MinValueValidator(1)]
    )
    review_interval_years = models.PositiveSmallIntegerField(
        _("review every (years)"), null=True, blank=True
    )
    extended_review_interval_years = models.PositiveSmallIntegerField(
        _("extended review interval (years)"),
        null=True,
        blank=True,
        help_text=_("When the issuing authority consents (第二十一条)."),
    )
    needs_operation = models.BooleanField(_("operation from the catalogue"), default=False)
    qualifies = models.CharField(_("qualifies for"), max_length=20, choices=Qualifies.choices)
    issuer = models.CharField(_("usual issuing authority"), max_length=100, blank=True)
    source = models.CharField(_("source"), max_length=200, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("certificate type")
        verbose_name_plural = _("certificate types")

    def __str__(self):
        return self.name


class PostRequirement(models.Model):
    """What a post (directory.Post) requires: one catalogue operation, or one certificate type.

    A person on the post needs a usable certificate for every requirement of the post: a
    special-operation card naming that operation, or a card of that type (持证上岗,
    《安全生产法》第三十条; 原国家安监总局令第30号 第五条). Seeded from `catalogue.POST_REQUIREMENTS`.
    """

    post = models.ForeignKey(
        "directory.Post",
        on_delete=models.CASCADE,
        related_name="requirements",
        verbose_name=_("post"),
    )
    operation = models.ForeignKey(
        SpecialOperation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="post_requirements",
        verbose_name=_("special operation"),
    )
    certificate_type = models.ForeignKey(
        CertificateType,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="post_requirements",
        verbose_name=_("certificate type"),
        help_text=_("For posts certified outside the catalogue, e.g. forklift or crane drivers."),
    )
    source = models.CharField(_("source"), max_length=200, blank=True)

    class Meta:
        ordering = ["post__sort_order", "post__name", "pk"]
        verbose_name = _("post requirement")
        verbose_name_plural = _("post requirements")
        constraints = [
            models.CheckConstraint(
                condition=Q(operation__isnull=False, certificate_type__isnull=True)
                | Q(operation__isnull=True, certificate_type__isnull=False),
                name="certificates_post_requirement_one_kind",
                violation_error_message=_(
                    "Choose either a special operation or a certificate type."
                ),
            ),
            models.UniqueConstraint(
                fields=["post", "operation"],
                condition=Q(operation__isnull=False),
                name="certificates_post_requirement_operation_unique",
            ),
            models.UniqueConstraint(
                fields=["post", "certificate_type"],
                condition=Q(certificate_type__isnull=False),
                name="certificates_post_requirement_type_unique",
            ),
        ]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        return (self.operation or self.certificate_type).name

    def clean(self):
        super().clean()
        if bool(self.operation_id) == bool(self.certificate_type_id):
            raise ValidationError(_("Choose either a special operation or a certificate type."))


class RegisteredCertificate(Archivable):
    """A certificate a government authority issued to a person, as registered here."""

    person = models.ForeignKey(
        "directory.Person",
        on_delete=models.PROTECT,
        related_name="registered_certificates",
        verbose_name=_("holder"),
    )
    certificate_type = models.ForeignKey(
        CertificateType,
        on_delete=models.PROTECT,
        related_name="certificates",
        verbose_name=_("certificate type"),
    )
    operation = models.ForeignKey(
        SpecialOperation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="certificates",
        verbose_name=_("operation"),
    )
    # 准操项目 of certificates outside the catalogue (e.g. N1 叉车司机), as printed on the card.
    scope = models.CharField(_("permitted work"), max_length=100, blank=True)
    number = models.CharField(_("certificate number"), max_length=50)
    issuing_authority = models.CharField(_("issuing authority"), max_length=100)
    first_issued_on = models.DateField(_("first issued on"))
    valid_until = models.DateField(_("valid until (on the card)"))
    # 第二十一条: reviews every 6 years instead of 3, once an officer records the consent.
    review_extended_on = models.DateField(_("6-year review interval since"), null=True, blank=True)
    review_extended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("6-year interval recorded by"),
    )
    revoked_on = models.DateField(_("revoked on"), null=True, blank=True)
    revoked_reason = models.CharField(_("reason for revocation"), max_length=200, blank=True)
    # Derived from the card and the reviews by certificates.rules.review_schedule (services).
    expires_on = models.DateField(_("expires on"), editable=False)
    review_due_on = models.DateField(_("next review due"), null=True, editable=False)
    invalid_since = models.DateField(_("invalid since"), null=True, editable=False)
    invalid_reason = models.CharField(
        _("why invalid"), max_length=30, choices=InvalidReason.choices, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["person__name", "id"]
        verbose_name = _("registered certificate")
        verbose_name_plural = _("registered certificates")
        indexes = [
            models.Index(fields=["expires_on"]),
            models.Index(fields=["review_due_on"]),
            models.Index(fields=["number"]),
        ]
        constraints = [
            # A special-operation card often carries the ID number as its number, once per
            # operation: the key is (type, number, operation).
            models.UniqueConstraint(
                fields=["certificate_type", "number", "operation"],
                condition=Q(operation__isnull=False) & NOT_ARCHIVED,
                name="certificates_registered_unique_with_operation",
            ),
            models.UniqueConstraint(
                fields=["certificate_type", "number", "scope"],
                condition=Q(operation__isnull=True) & NOT_ARCHIVED,
                name="certificates_registered_unique_without_operation",
            ),
            models.CheckConstraint(
                condition=Q(valid_until__gte=F("first_issued_on")),
                name="certificates_registered_valid_after_issue",
                violation_error_message=_("The validity must end after the first issue date."),
            ),
            archived_has_reason("certificates_registered_archived_has_reason"),
        ]

    def __str__(self):
        return f"{self.person} {self.certificate_type} {self.work_label}".strip()

    @property
    def work_label(self) -> str:
        return self.operation.name if self.operation_id else self.scope

    def clean(self):
        errors = {}
        kind = self.certificate_type if self.certificate_type_id else None
        if kind is not None and kind.needs_operation and not self.operation_id:
            errors["operation"] = _("Choose the operation from the catalogue.")
        if kind is not None and not kind.needs_operation and self.operation_id:
            errors["operation"] = _(
                "Only special-operation certificates name a catalogue operation."
            )
        if self.first_issued_on and self.valid_until and self.valid_until < self.first_issued_on:
            errors["valid_until"] = _("The validity must end after the first issue date.")
        if self.revoked_on and not self.revoked_reason:
            errors["revoked_reason"] = _("Give the reason for the revocation.")
        if errors:
            raise ValidationError(errors)


class ReviewResult(models.TextChoices):
    PASSED = "passed", _("Passed")
    FAILED = "failed", _("Failed")


class CertificateReview(models.Model):
    """A review (复审) of a registered certificate: when, the result and the training hours."""

    certificate = models.ForeignKey(
        RegisteredCertificate,
        on_delete=models.CASCADE,
        related_name="reviews",
        verbose_name=_("certificate"),
    )
    reviewed_on = models.DateField(_("review date"))
    result = models.CharField(_("result"), max_length=10, choices=ReviewResult.choices)
    training_hours = models.DecimalField(
        _("review training hours"),
        max_digits=5,
        decimal_places=1,
        # None: not known (e.g. a review date taken from an imported spreadsheet).
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    # 第二十五条: why a failed review was refused (codes of rules.RefusalGround).
    refusal_grounds = models.JSONField(_("grounds for refusal"), default=list, blank=True)
    # The due date this review answered, as the schedule stood when it was entered (第二十二条);
    # after it, the review was late (第二十六条).
    due_on = models.DateField(_("due date answered"), null=True, editable=False)
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-reviewed_on", "-id"]
        verbose_name = _("certificate review")
        verbose_name_plural = _("certificate reviews")
        constraints = [
            models.UniqueConstraint(
                fields=["certificate", "reviewed_on"], name="certificates_review_once_a_day"
            ),
            models.CheckConstraint(
                condition=Q(training_hours__isnull=True) | Q(training_hours__gte=0),
                name="certificates_review_hours_not_negative",
            ),
        ]

    def __str__(self):
        return f"{self.certificate} {self.reviewed_on} {self.get_result_display()}"

    @property
    def is_late(self) -> bool:
        return self.due_on is not None and self.reviewed_on > self.due_on

    @property
    def refusal_ground_labels(self) -> list[str]:
        labels = dict(RefusalGround.choices)
        return [str(labels.get(code, code)) for code in self.refusal_grounds]

    def clean(self):
        errors = {}
        certificate = self.certificate if self.certificate_id else None
        if certificate and self.reviewed_on and self.reviewed_on < certificate.first_issued_on:
            errors["reviewed_on"] = _("A review cannot come before the first issue date.")
        if (
            self.result == ReviewResult.PASSED
            and self.training_hours is not None
            and self.training_hours < REVIEW_MIN_TRAINING_HOURS
        ):
            # 第二十三条: review training of at least 8 学时.
            errors["training_hours"] = _(
                "A passed review needs at least %(hours)d hours of review training."
            ) % {"hours": REVIEW_MIN_TRAINING_HOURS}
        unknown = set(self.refusal_grounds or []) - set(RefusalGround.values)
        if unknown:
            errors["refusal_grounds"] = _("Unknown ground for refusal: %(codes)s.") % {
                "codes": ", ".join(sorted(unknown))
            }
        elif self.result == ReviewResult.FAILED and not self.refusal_grounds:
            # 第二十五条: a refused review says on which ground.
            errors["refusal_grounds"] = _(
                "A failed review needs its grounds for refusal (第二十五条)."
            )
        elif self.result == ReviewResult.PASSED and self.refusal_grounds:
            errors["refusal_grounds"] = _("A passed review has no grounds for refusal.")
        if errors:
            raise ValidationError(errors)


class CertificateViolation(models.Model):
    """A violation of the safety rules by the holder, recorded on the certificate (第二十一条:
    none for the 6-year interval; 第二十五条: serious consequences, two or more, or an
    administrative penalty refuse the review)."""

    certificate = models.ForeignKey(
        RegisteredCertificate,
        on_delete=models.CASCADE,
        related_name="violations",
        verbose_name=_("certificate"),
    )
    occurred_on = models.DateField(_("date of the violation"))
    description = models.CharField(_("what happened"), max_length=200)
    serious_consequences = models.BooleanField(_("serious consequences"), default=False)
    administrative_penalty = models.BooleanField(_("administrative penalty"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-occurred_on", "-id"]
        verbose_name = _("violation")
        verbose_name_plural = _("violations")

    def __str__(self):
        return f"{self.certificate} {self.occurred_on} {self.description}"


SCAN_EXTENSIONS = frozenset({"pdf", "jpg", "png"})


def attachment_path(instance, filename: str) -> str:
    return f"certificates/registry/{instance.certificate_id}/{stored_name_for(filename, SCAN_EXTENSIONS)}"


class CertificateAttachment(models.Model):
    """A scan of the card (image or PDF, checked by its content, not its name)."""

    certificate = models.ForeignKey(
        RegisteredCertificate,
        on_delete=models.CASCADE,
        related_name="attachments",
        verbose_name=_("certificate"),
    )
    file = models.FileField(_("file"), upload_to=attachment_path, storage=private_storage)
    content_type = models.CharField(_("content type"), max_length=50, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        verbose_name = _("certificate scan")
        verbose_name_plural = _("certificate scans")

    def __str__(self):
        return self.file.name.rsplit("/", 1)[-1]

    @property
    def download_name(self) -> str:
        """The name a download is offered under; the stored one is random."""
        return f"certificate-scan-{self.pk}.{EXTENSIONS.get(self.content_type, 'bin')}"


class PostAbsence(models.Model):
    """A period away from the special-operation post (第三十二条: ≥ 6 months → practical re-exam)."""

    certificate = models.ForeignKey(
        RegisteredCertificate,
        on_delete=models.CASCADE,
        related_name="absences",
        verbose_name=_("certificate"),
    )
    left_on = models.DateField(_("left the post on"))
    returned_on = models.DateField(_("returned on"), null=True, blank=True)
    # Derived: left_on + 6 months (certificates.rules.reexam_required_from).
    reexam_required_from = models.DateField(_("re-exam required from"), editable=False)
    practical_exam_passed_on = models.DateField(
        _("practical exam passed on"), null=True, blank=True
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-left_on", "-id"]
        verbose_name = _("absence from the post")
        verbose_name_plural = _("absences from the post")
        constraints = [
            models.CheckConstraint(
                condition=Q(returned_on__isnull=True) | Q(returned_on__gte=F("left_on")),
                name="certificates_absence_returns_after_leaving",
                violation_error_message=_("The return must come after leaving the post."),
            )
        ]

    def __str__(self):
        return f"{self.certificate} {self.left_on}–{self.returned_on or ''}"

    def clean(self):
        if self.returned_on and self.left_on and self.returned_on < self.left_on:
            raise ValidationError(
                {"returned_on": _("The return must come after leaving the post.")}
            )
