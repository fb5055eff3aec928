"""The platform's own certificates: issued on passing an exam, finishing a course or session, or
by an officer; revocable, re-issuable, verifiable by a code printed as a QR on the PDF."""

import secrets

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from directory.files import private_storage
from directory.models import NOT_ARCHIVED, Archivable, BackgroundJob, archived_has_reason
from directory.uploads import stored_name_for

# 24 random bytes, url-safe base64: 32 characters, 192 bits — not guessable, fits a QR easily.
VERIFICATION_CODE_BYTES = 24


def verification_code_make() -> str:
    return secrets.token_urlsafe(VERIFICATION_CODE_BYTES)


class CertificateKind(models.TextChoices):
    EXAM = "exam", _("Exam passed")
    COURSE = "course", _("Course finished")
    SESSION = "session", _("Training session attended")
    OFFICER = "officer", _("Issued by an officer")


class CertificateStatus(models.TextChoices):
    VALID = "valid", _("Valid")
    REVOKED = "revoked", _("Revoked")
    SUPERSEDED = "superseded", _("Superseded")


class CertificateCounter(models.Model):
    """The last certificate number given out in a year (numbers are allocated under its row lock)."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("certificate counter")
        verbose_name_plural = _("certificate counters")

    def __str__(self):
        return f"{self.year}: {self.last}"


class IssuedCertificate(Archivable):
    """A training certificate the platform issued to a person in the registry."""

    number = models.CharField(_("certificate number"), max_length=20, unique=True, editable=False)
    code = models.CharField(
        _("verification code"),
        max_length=64,
        unique=True,
        editable=False,
        default=verification_code_make,
    )
    holder = models.ForeignKey(
        "directory.Person",
        on_delete=models.PROTECT,
        related_name="issued_certificates",
        verbose_name=_("holder"),
    )
    title = models.CharField(_("achievement"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=CertificateKind.choices)
    # The exam, course or session the certificate was earned in; none when an officer issued it.
    source_type = models.ForeignKey(
        ContentType,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("source type"),
    )
    source_id = models.PositiveBigIntegerField(_("source id"), null=True, blank=True)
    source = GenericForeignKey("source_type", "source_id")
    hours = models.DecimalField(
        _("hours"),
        max_digits=6,
        decimal_places=1,
        default=0,
        validators=[MinValueValidator(0)],
    )
    issued_on = models.DateField(_("date issued"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issuer"),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=CertificateStatus.choices,
        default=CertificateStatus.VALID,
    )
    revoked_reason = models.TextField(_("reason for revocation"), blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    superseded_by = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supersedes",
        verbose_name=_("superseded by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-issued_on", "-id"]
        verbose_name = _("issued certificate")
        verbose_name_plural = _("issued certificates")
        indexes = [models.Index(fields=["source_type", "source_id"])]
        constraints = [
            # One current certificate per source and holder: what makes issuing idempotent.
            models.UniqueConstraint(
                fields=["source_type", "source_id", "holder"],
                condition=Q(source_id__isnull=False) & ~Q(status="superseded") & NOT_ARCHIVED,
                name="certificates_issued_one_current_per_source",
            ),
            models.CheckConstraint(
                condition=Q(source_id__isnull=True) | Q(source_type__isnull=False),
                name="certificates_issued_source_typed",
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("issued_on")),
                name="certificates_issued_valid_after_issue",
                violation_error_message=_("The end of validity cannot be before the issue date."),
            ),
            models.CheckConstraint(
                condition=~Q(status="revoked") | ~Q(revoked_reason=""),
                name="certificates_issued_revoked_has_reason",
            ),
            archived_has_reason("certificates_issued_archived_has_reason"),
        ]

    def __str__(self):
        return f"{self.number} {self.title}"

    def clean(self):
        if self.valid_until and self.issued_on and self.valid_until < self.issued_on:
            raise ValidationError(
                {"valid_until": _("The end of validity cannot be before the issue date.")}
            )


def batch_file_path(instance, filename: str) -> str:
    return f"certificates/batches/{stored_name_for(filename, frozenset({'pdf', 'zip'}))}"


class CertificateBatch(BackgroundJob):
    """A batch print: many certificates rendered by a task into one PDF or a ZIP of PDFs."""

    class Format(models.TextChoices):
        PDF = "pdf", _("One PDF")
        ZIP = "zip", _("ZIP of PDFs")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("created by"),
    )
    format = models.CharField(_("format"), max_length=3, choices=Format.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    total = models.PositiveIntegerField(_("total"), default=0)
    done = models.PositiveIntegerField(_("done"), default=0)
    file = models.FileField(
        _("file"), upload_to=batch_file_path, storage=private_storage, blank=True
    )
    error = models.TextField(_("error"), blank=True)
    # The address the batch was asked from (scheme://host): the worker has no request, and the
    # QR codes it draws point here when SITE_URL is unset (config.site.site_url).
    site_url = models.CharField(_("site address"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("certificate print batch")
        verbose_name_plural = _("certificate print batches")

    def __str__(self):
        return f"{self.get_format_display()} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


class CertificateBatchItem(models.Model):
    """One certificate of a batch, in print order."""

    batch = models.ForeignKey(CertificateBatch, on_delete=models.CASCADE, related_name="items")
    certificate = models.ForeignKey(IssuedCertificate, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["batch", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["batch", "position"], name="certificates_batch_item_position"
            )
        ]

    def __str__(self):
        return f"{self.batch_id}#{self.position}"
