"""The town's expert pool (安全生产专家库) and its technical inspectors (技术检查员), plan items 12
and 26: each member is a person of the registry under the department that manages them, so the
person's own rules (ID and phone masked, scoping by department) apply unchanged; the membership
adds what the pool records. Inspections a member took part in are kept beside it."""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PoolKind(models.TextChoices):
    EXPERT = "expert", _("Safety expert")
    TECHNICAL_INSPECTOR = "technical_inspector", _("Technical inspector")


def in_service_q(prefix: str = "", on: datetime.date | None = None) -> Q:
    """Members in service on a day: every expert; a technical inspector within the contract."""
    on = on or timezone.localdate()
    return Q(**{f"{prefix}kind": PoolKind.EXPERT}) | Q(
        **{
            f"{prefix}kind": PoolKind.TECHNICAL_INSPECTOR,
            f"{prefix}contract_start__lte": on,
            f"{prefix}contract_end__gte": on,
        }
    )


def membership_problems(
    *,
    kind: str,
    contract_start: datetime.date | None,
    contract_end: datetime.date | None,
    service_provider: str,
) -> dict[str, str]:
    """What is wrong with a membership, by field (a technical inspector is hired under a contract
    with a service provider: 政府购买服务)."""
    problems = {}
    if kind == PoolKind.TECHNICAL_INSPECTOR:
        if not contract_start:
            problems["contract_start"] = _("Enter the start of the technical inspector's contract.")
        if not contract_end:
            problems["contract_end"] = _("Enter the end of the technical inspector's contract.")
        if not service_provider.strip():
            problems["service_provider"] = _(
                "Enter the service provider the technical inspector is hired through."
            )
    if contract_start and contract_end and contract_end < contract_start:
        problems["contract_end"] = _("The contract cannot end before it starts.")
    return problems


class PoolMember(models.Model):
    person = models.OneToOneField(
        "directory.Person",
        on_delete=models.PROTECT,
        related_name="pool_membership",
        verbose_name=_("person"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=PoolKind.choices)
    expertise = models.CharField(_("field of expertise"), max_length=100, blank=True)
    qualifications = models.TextField(_("qualifications"), blank=True)
    employer_name = models.CharField(_("work unit"), max_length=100, blank=True)
    contract_start = models.DateField(_("contract start"), null=True, blank=True)
    contract_end = models.DateField(_("contract end"), null=True, blank=True)
    service_provider = models.CharField(_("service provider"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["kind", "person__name", "id"]
        verbose_name = _("expert or technical inspector")
        verbose_name_plural = _("experts and technical inspectors")
        constraints = [
            models.CheckConstraint(
                condition=Q(contract_end__isnull=True)
                | Q(contract_start__isnull=True)
                | Q(contract_end__gte=models.F("contract_start")),
                name="directory_poolmember_contract_order",
            ),
        ]

    def __str__(self):
        return f"{self.person.name}（{self.get_kind_display()}）"

    def clean(self):
        problems = membership_problems(
            kind=self.kind,
            contract_start=self.contract_start,
            contract_end=self.contract_end,
            service_provider=self.service_provider,
        )
        if problems:
            raise ValidationError(problems)

    def in_service(self, on: datetime.date | None = None) -> bool:
        on = on or timezone.localdate()
        if self.kind == PoolKind.EXPERT:
            return True
        return bool(
            self.contract_start
            and self.contract_end
            and self.contract_start <= on <= self.contract_end
        )


class PoolInspection(models.Model):
    """An inspection a pool member took part in (专家、技术检查员参与检查)."""

    member = models.ForeignKey(
        PoolMember,
        on_delete=models.CASCADE,
        related_name="inspections",
        verbose_name=_("expert or technical inspector"),
    )
    inspected_on = models.DateField(_("inspection date"))
    enterprise = models.ForeignKey(
        "directory.Enterprise",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="pool_inspections",
        verbose_name=_("enterprise inspected"),
    )
    scope = models.CharField(_("what was inspected"), max_length=200)
    findings = models.TextField(_("findings"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-inspected_on", "-id"]
        verbose_name = _("inspection by an expert or technical inspector")
        verbose_name_plural = _("inspections by experts and technical inspectors")

    def __str__(self):
        return f"{self.member.person.name} {self.inspected_on:%Y年%-m月%-d日}"

    def clean(self):
        if self.inspected_on and self.inspected_on > timezone.localdate():
            raise ValidationError(
                {"inspected_on": _("An inspection cannot be recorded before it takes place.")}
            )
