"""Each member unit's sub-plan (子方案) against the town plan: rounds with a deadline, the
unit's uploaded document in versions, and the town office's review of each version."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from directory.files import private_storage
from plan.units import one_unit_constraints

# 三(二): every member unit draws up its own sub-plan by mid-April 2024 (2024年4月中旬); the
# first round the town office opens defaults to this deadline.
PLAN_ROUND_TITLE = "子方案（三年行动方案 三(二)）"
PLAN_ROUND_DEADLINE = datetime.date(2024, 4, 15)

# Documents a sub-plan may be: a PDF (read and rewritten by pypdf) or a Word document (DOCX).
DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
SUBPLAN_EXTENSIONS = {"application/pdf": "pdf", DOCX_CONTENT_TYPE: "docx"}
SUBPLAN_MAX_BYTES = 20 * 1024 * 1024


class SubPlanRound(models.Model):
    """A call for sub-plans with its deadline (the plan's own, or one the town office opens)."""

    title = models.CharField(_("title"), max_length=100)
    deadline = models.DateField(_("deadline"))
    closed = models.BooleanField(_("closed"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-deadline", "-pk"]
        verbose_name = _("sub-plan round")
        verbose_name_plural = _("sub-plan rounds")

    def __str__(self):
        return self.title


class SubPlanStatus(models.TextChoices):
    # Never stored: a unit with no sub-plan in a round reads as not submitted.
    MISSING = "missing", _("Not submitted")
    PENDING = "pending", _("Awaiting review")
    RETURNED = "returned", _("Returned")
    ACCEPTED = "accepted", _("Accepted")


STORED_SUBPLAN_STATUSES = [
    (value, label) for value, label in SubPlanStatus.choices if value != SubPlanStatus.MISSING
]


class SubPlan(models.Model):
    """A department's or village's sub-plan in one round; its document lives in its versions."""

    round = models.ForeignKey(
        SubPlanRound, on_delete=models.PROTECT, related_name="subplans", verbose_name=_("round")
    )
    department = models.ForeignKey(
        "directory.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="subplans",
        verbose_name=_("department"),
    )
    village = models.ForeignKey(
        "directory.Village",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="subplans",
        verbose_name=_("village"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=STORED_SUBPLAN_STATUSES, default=SubPlanStatus.PENDING
    )
    # The first upload: whether the unit met the round's deadline is judged by it.
    submitted_at = models.DateTimeField(_("submitted"))
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["round", "department__sort_order", "village__name"]
        verbose_name = _("sub-plan")
        verbose_name_plural = _("sub-plans")
        constraints = one_unit_constraints("plan_subplan", once_per="round")

    def __str__(self):
        return f"{self.department or self.village} · {self.round}"

    @property
    def unit_name(self) -> str:
        return str(self.department or self.village)


def _version_path(instance, filename):
    # The name is chosen by the service (random, with the content's extension).
    return f"plan/subplans/{instance.subplan.round_id}/{filename}"


class SubPlanVersion(models.Model):
    """One uploaded document of a sub-plan and the town office's review of it."""

    subplan = models.ForeignKey(SubPlan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    file = models.FileField(_("file"), upload_to=_version_path, storage=private_storage)
    content_type = models.CharField(_("content type"), max_length=100)
    name = models.CharField(_("file name"), max_length=200)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"))
    review_status = models.CharField(
        _("review"), max_length=20, choices=STORED_SUBPLAN_STATUSES, default=SubPlanStatus.PENDING
    )
    review_comment = models.TextField(_("review comment"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)

    class Meta:
        ordering = ["subplan", "-number"]
        verbose_name = _("sub-plan version")
        verbose_name_plural = _("sub-plan versions")
        constraints = [
            models.UniqueConstraint(fields=["subplan", "number"], name="plan_subplan_version_once"),
            models.CheckConstraint(
                condition=~Q(review_status="returned") | ~Q(review_comment=""),
                name="plan_subplan_return_has_comment",
            ),
        ]

    def __str__(self):
        return f"{self.subplan} v{self.number}"
