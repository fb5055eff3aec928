"""The principals' duties: the 五带头 items (data the town office edits), each principal's yearly
checklist with its evidence, and the quarterly self-inspections with their hazards."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from directory.uploads import stored_name_for
from training.common.actions import CorrectiveActionFields, action_closed_with_note
from training.common.files import evidence_storage, safe_name

# Checklist evidence: a scanned document or a photo.
CHECKLIST_EXTENSIONS = frozenset({"pdf", "jpg", "jpeg", "png", "webp"})


class DutyItem(models.Model):
    """One of the 五带头 a principal is to lead by example in, as the town office words it."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    title = models.CharField(_("title"), max_length=100)
    guidance = models.TextField(_("what is expected"), blank=True)
    source = models.CharField(_("source"), max_length=200, blank=True)
    # The seeded wording summarises the guidance; it stays marked until the town office checks it.
    wording_confirmed = models.BooleanField(
        _("wording confirmed by the town office"), default=False
    )
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["sort_order", "id"]
        verbose_name = _("principal duty item")
        verbose_name_plural = _("principal duty items")

    def __str__(self):
        return self.title


class ChecklistStatus(models.TextChoices):
    DRAFT = "draft", _("Being filled")
    SUBMITTED = "submitted", _("Submitted, awaiting review")
    ACCEPTED = "accepted", _("Accepted")
    RETURNED = "returned", _("Returned for completion")


class PrincipalChecklist(models.Model):
    """A principal's 五带头 checklist of one year at one enterprise."""

    enterprise = models.ForeignKey(
        "directory.Enterprise",
        on_delete=models.CASCADE,
        related_name="principal_checklists",
        verbose_name=_("enterprise"),
    )
    principal = models.ForeignKey(
        "directory.Person",
        on_delete=models.CASCADE,
        related_name="duty_checklists",
        verbose_name=_("principal"),
    )
    year = models.PositiveIntegerField(_("year"))
    status = models.CharField(
        _("status"), max_length=10, choices=ChecklistStatus.choices, default=ChecklistStatus.DRAFT
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    review_note = models.TextField(_("review note"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-year", "enterprise", "principal"]
        verbose_name = _("principal duty checklist")
        verbose_name_plural = _("principal duty checklists")
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "principal", "year"],
                name="training_checklist_one_per_principal_year",
                violation_error_message=_("This principal already has a checklist for the year."),
            ),
            models.CheckConstraint(
                condition=~models.Q(status=ChecklistStatus.RETURNED) | ~models.Q(review_note=""),
                name="training_checklist_returned_with_note",
                violation_error_message=_(
                    "A returned checklist needs a note saying what is missing."
                ),
            ),
        ]
        indexes = [models.Index(fields=["year", "status"])]

    def __str__(self):
        return f"{self.principal} {self.year}"


def checklist_evidence_path(instance, filename: str) -> str:
    return f"duties/{instance.checklist.enterprise_id}/{stored_name_for(filename, CHECKLIST_EXTENSIONS)}"


def hazard_evidence_path(instance, filename: str) -> str:
    return f"duties/{instance.inspection.enterprise_id}/hazards/{safe_name(filename)}"


class ChecklistEntry(models.Model):
    """What the principal did for one item of the checklist, with a file proving it."""

    checklist = models.ForeignKey(
        PrincipalChecklist,
        on_delete=models.CASCADE,
        related_name="entries",
        verbose_name=_("checklist"),
    )
    item = models.ForeignKey(
        DutyItem, on_delete=models.PROTECT, related_name="+", verbose_name=_("item")
    )
    note = models.TextField(_("what was done"))
    evidence = models.FileField(
        _("evidence"),
        upload_to=checklist_evidence_path,
        storage=evidence_storage,
        max_length=200,
        blank=True,
    )
    evidence_name = models.CharField(_("original file name"), max_length=255, blank=True)
    evidence_type = models.CharField(_("content type"), max_length=50, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["checklist", "item__sort_order", "item_id"]
        verbose_name = _("checklist entry")
        verbose_name_plural = _("checklist entries")
        constraints = [
            models.UniqueConstraint(
                fields=["checklist", "item"], name="training_checklist_entry_one_per_item"
            ),
        ]

    def __str__(self):
        return str(self.item)


class SelfInspection(models.Model):
    """A check of the enterprise's major hazards led by its principal (one at least a quarter)."""

    enterprise = models.ForeignKey(
        "directory.Enterprise",
        on_delete=models.CASCADE,
        related_name="self_inspections",
        verbose_name=_("enterprise"),
    )
    principal = models.ForeignKey(
        "directory.Person",
        on_delete=models.PROTECT,
        related_name="led_self_inspections",
        verbose_name=_("led by (principal)"),
    )
    date = models.DateField(_("date"))
    scope = models.TextField(_("scope of the inspection"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("principal-led self-inspection")
        verbose_name_plural = _("principal-led self-inspections")
        indexes = [models.Index(fields=["enterprise", "date"])]

    def __str__(self):
        return f"{self.enterprise} {self.date}"

    def clean(self):
        if (
            self.principal_id
            and self.enterprise_id
            and (
                not self.principal.is_principal or self.principal.employer_id != self.enterprise_id
            )
        ):
            raise ValidationError(
                {"principal": _("The inspection must be led by a principal of the enterprise.")}
            )


class InspectionHazard(CorrectiveActionFields):
    """A hazard a self-inspection found, corrected and accepted like a drill's corrective action."""

    inspection = models.ForeignKey(
        SelfInspection,
        on_delete=models.CASCADE,
        related_name="hazards",
        verbose_name=_("self-inspection"),
    )
    closing_evidence = models.FileField(
        _("closing evidence"), upload_to=hazard_evidence_path, storage=evidence_storage, blank=True
    )

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = _("hazard")
        verbose_name_plural = _("hazards")
        indexes = [models.Index(fields=["status", "due_date"])]
        constraints = [action_closed_with_note("training_hazard_closed_with_note")]

    def clean(self):
        if self.due_date and self.inspection_id and self.due_date < self.inspection.date:
            raise ValidationError({"due_date": _("The due date cannot be before the inspection.")})
