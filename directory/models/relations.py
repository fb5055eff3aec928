"""Related units (外包外租等关联单位, plan item 20) and the people attached to a host enterprise.

An enterprise is responsible for the contractors, tenants and labour-dispatch agencies working on
its premises, and for the dispatched and flexible workers who take its work orders. A relation
links the host enterprise to another registry enterprise; an attachment puts a person under a
host enterprise's training and drills for a while, their employer unchanged. Who "works for" an
enterprise on a day (`works_for_q`) is the one definition the scoping, the rosters and the
coverage metrics read (docs/coverage.md).
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from directory.constants import EmploymentType

# People who may be attached to a host without a relation between host and employer: they take
# the host's work orders themselves (plan item 20: 派遣、灵活用工人员).
ATTACHABLE_WITHOUT_RELATION = (EmploymentType.DISPATCHED, EmploymentType.FLEXIBLE)


class RelationKind(models.TextChoices):
    CONTRACTOR = "contractor", _("Contractor")
    TENANT = "tenant", _("Tenant")
    LABOUR_DISPATCH = "labour_dispatch", _("Labour-dispatch agency")


def current_q(prefix: str = "", on: datetime.date | None = None) -> Q:
    """Relations or attachments (by `prefix`) in force on a day (today): started, not ended."""
    on = on or timezone.localdate()
    return Q(**{f"{prefix}starts_on__lte": on}) & (
        Q(**{f"{prefix}ends_on__isnull": True}) | Q(**{f"{prefix}ends_on__gte": on})
    )


def _ids(enterprises) -> dict:
    """The lookup naming one enterprise (an id) or several (a queryset of them or of their ids)."""
    if isinstance(enterprises, QuerySet):
        return {"__in": enterprises}
    return {"": enterprises}


def attached_people(enterprises, on: datetime.date | None = None) -> QuerySet:
    """Ids of the people attached on the day to one of `enterprises` (not their own employer)."""
    (suffix, value), *_ = _ids(enterprises).items()
    return (
        Attachment.objects.filter(current_q(on=on), **{f"host{suffix}": value})
        .exclude(host_id=F("person__employer_id"))
        .values("person_id")
    )


def works_for_q(enterprises, on: datetime.date | None = None) -> Q:
    """For a Person queryset: the people who work for one of `enterprises` (an id, or a queryset
    of enterprises or ids) on the day — employed by it, or attached to it."""
    (suffix, value), *_ = _ids(enterprises).items()
    return Q(**{f"employer{suffix}": value}) | Q(pk__in=attached_people(enterprises, on))


def dates_problems(starts_on, ends_on) -> dict[str, str]:
    if starts_on and ends_on and ends_on < starts_on:
        return {"ends_on": _("The end date cannot be before the start date.")}
    return {}


def _overlap_q(starts_on: datetime.date, ends_on: datetime.date | None) -> Q:
    """Rows whose period meets [starts_on, ends_on] (open ends: for ever)."""
    q = Q(ends_on__isnull=True) | Q(ends_on__gte=starts_on)
    if ends_on is not None:
        q &= Q(starts_on__lte=ends_on)
    return q


class EnterpriseRelation(models.Model):
    """A related unit of a host enterprise: a contractor, tenant or labour-dispatch agency."""

    host = models.ForeignKey(
        "directory.Enterprise",
        on_delete=models.PROTECT,
        related_name="related_units",
        verbose_name=_("host enterprise"),
    )
    unit = models.ForeignKey(
        "directory.Enterprise",
        on_delete=models.PROTECT,
        related_name="host_relations",
        verbose_name=_("related unit"),
    )
    kind = models.CharField(_("relation"), max_length=20, choices=RelationKind.choices)
    starts_on = models.DateField(_("start date"))
    ends_on = models.DateField(_("end date"), null=True, blank=True)
    workplaces = models.CharField(
        _("places of work"),
        max_length=300,
        blank=True,
        help_text=_("Where the related unit works on the host's premises (作业场所)."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["host__name", "kind", "unit__name", "pk"]
        verbose_name = _("related unit")
        verbose_name_plural = _("related units")
        constraints = [
            models.CheckConstraint(
                condition=~Q(host=F("unit")), name="directory_relation_not_to_itself"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="directory_relation_ends_after_start",
            ),
            models.UniqueConstraint(
                fields=["host", "unit", "kind"],
                condition=Q(ends_on__isnull=True),
                name="directory_relation_one_open_per_kind",
            ),
        ]

    def __str__(self):
        return f"{self.host} — {self.unit}（{self.get_kind_display()}）"

    def clean(self):
        problems = dates_problems(self.starts_on, self.ends_on)
        if self.host_id and self.host_id == self.unit_id:
            problems["unit"] = _("An enterprise cannot be its own related unit.")
        if not problems and self.host_id and self.unit_id and self.kind and self.starts_on:
            clash = (
                EnterpriseRelation.objects.filter(
                    _overlap_q(self.starts_on, self.ends_on),
                    host_id=self.host_id,
                    unit_id=self.unit_id,
                    kind=self.kind,
                )
                .exclude(pk=self.pk)
                .first()
            )
            if clash is not None:
                problems["unit"] = _(
                    "%(unit)s is already recorded as this kind of related unit from %(date)s."
                ) % {"unit": clash.unit.name, "date": clash.starts_on.isoformat()}
        if problems:
            raise ValidationError(problems)

    def is_current(self, on: datetime.date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.starts_on <= on and (self.ends_on is None or self.ends_on >= on)


class Attachment(models.Model):
    """A person attached to a host enterprise for its training and drills, employer unchanged."""

    person = models.ForeignKey(
        "directory.Person",
        on_delete=models.PROTECT,
        related_name="attachments",
        verbose_name=_("person"),
    )
    host = models.ForeignKey(
        "directory.Enterprise",
        on_delete=models.PROTECT,
        related_name="attachments",
        verbose_name=_("host enterprise"),
    )
    relation = models.ForeignKey(
        EnterpriseRelation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="attachments",
        verbose_name=_("through the related unit"),
        help_text=_(
            "Empty for a dispatched or flexible worker who takes the host's work orders directly."
        ),
    )
    starts_on = models.DateField(_("start date"))
    ends_on = models.DateField(_("end date"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["host__name", "person__name", "pk"]
        verbose_name = _("attached worker")
        verbose_name_plural = _("attached workers")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="directory_attachment_ends_after_start",
            ),
            models.UniqueConstraint(
                fields=["person", "host"],
                condition=Q(ends_on__isnull=True),
                name="directory_attachment_one_open_per_host",
            ),
        ]

    def __str__(self):
        return f"{self.person} → {self.host}"

    def clean(self):
        problems = dates_problems(self.starts_on, self.ends_on)
        person = self.person if self.person_id else None
        if person is not None and self.host_id and person.employer_id == self.host_id:
            problems["host"] = _("%(name)s is already employed by this enterprise.") % {
                "name": person.name
            }
        if person is not None and self.host_id and "host" not in problems:
            problems.update(self._basis_problems(person))
        if not problems and person is not None and self.host_id and self.starts_on:
            clash = (
                Attachment.objects.filter(
                    _overlap_q(self.starts_on, self.ends_on),
                    person_id=self.person_id,
                    host_id=self.host_id,
                )
                .exclude(pk=self.pk)
                .first()
            )
            if clash is not None:
                problems["starts_on"] = _(
                    "%(name)s is already attached to this enterprise from %(date)s."
                ) % {"name": person.name, "date": clash.starts_on.isoformat()}
        if problems:
            raise ValidationError(problems)

    def _basis_problems(self, person) -> dict[str, str]:
        """An attachment rests on a relation between the host and the person's employer, or on
        the person being a dispatched or flexible worker."""
        relation = self.relation
        if relation is None:
            if person.employment_type in ATTACHABLE_WITHOUT_RELATION:
                return {}
            return {
                "relation": _(
                    "Record the person's employer as a related unit of the host first (or the "
                    "person as a dispatched or flexible worker)."
                )
            }
        if relation.host_id != self.host_id or relation.unit_id != person.employer_id:
            return {
                "relation": _("This related unit is not between the host and %(name)s's employer.")
                % {"name": person.name}
            }
        if self.starts_on and self.starts_on < relation.starts_on:
            return {
                "starts_on": _("The attachment cannot start before the relation (%(date)s).")
                % {"date": relation.starts_on.isoformat()}
            }
        if relation.ends_on and (self.ends_on is None or self.ends_on > relation.ends_on):
            return {
                "ends_on": _("The attachment must end by the end of the relation (%(date)s).")
                % {"date": relation.ends_on.isoformat()}
            }
        return {}

    def is_current(self, on: datetime.date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.starts_on <= on and (self.ends_on is None or self.ends_on >= on)
