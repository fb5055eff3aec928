"""People (人员): employees of enterprises, the town's inspectors and its leading cadres."""

import calendar
import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from directory.constants import EmploymentType, PersonRole, PersonStatus
from directory.identifiers import id_number_birth_date, id_number_sex, id_number_validate

# Each role a person may hold, and the boolean field that records it.
ROLE_FIELDS = {
    PersonRole.PRINCIPAL: "is_principal",
    PersonRole.SAFETY_MANAGER: "is_safety_manager",
    PersonRole.SPECIAL_OPERATOR: "is_special_operator",
    PersonRole.GENERAL_WORKER: "is_general_worker",
    PersonRole.INSPECTOR: "is_inspector",
    PersonRole.CADRE: "is_cadre",
}


# 《生产经营单位安全培训规定》第十七条: back after this many years away (or more), workshop and team
# training is given again.
ABSENCE_RETRAINING_YEARS = 1


def years_after(day: datetime.date, years: int) -> datetime.date:
    """The same date `years` later; 29 February becomes 28 February in a common year."""
    year = day.year + years
    return day.replace(year=year, day=min(day.day, calendar.monthrange(year, day.month)[1]))


def absence_problems(
    away_since: datetime.date | None,
    returned_on: datetime.date | None,
    today: datetime.date | None = None,
) -> dict[str, str]:
    """What is wrong with a person's dates of leaving and returning to work, by field."""
    today = today or timezone.localdate()
    problems = {}
    if away_since and away_since > today:
        problems["away_since"] = _("The date of leaving work cannot be in the future.")
    if returned_on and returned_on > today:
        problems["returned_on"] = _("The date of return cannot be in the future.")
    elif returned_on and not away_since:
        problems["away_since"] = _("Enter the date of leaving work as well as the date of return.")
    elif returned_on and returned_on < away_since:
        problems["returned_on"] = _(
            "The date of return cannot be before the date of leaving work (%(date)s)."
        ) % {"date": away_since.isoformat()}
    return problems


def long_absence_return(
    away_since: datetime.date | None, returned_on: datetime.date | None
) -> datetime.date | None:
    """The return date when the person was away a year or more (exactly a year counts), else
    None: from it workshop and team training is due again (第十七条)."""
    if not away_since or not returned_on:
        return None
    if returned_on >= years_after(away_since, ABSENCE_RETRAINING_YEARS):
        return returned_on
    return None


def post_since_after_return(
    *,
    away_since: datetime.date | None,
    returned_on: datetime.date | None,
    post_since: datetime.date | None,
) -> datetime.date | None:
    """The current post's start once a return is counted: the return date of a long absence
    when it is later than the post's start, else the start as it was."""
    back = long_absence_return(away_since, returned_on)
    if back is not None and (post_since is None or post_since < back):
        return back
    return post_since


def unit_problems(person) -> dict[str, str]:
    """What is wrong with where a person belongs, by field: one unit at most; a cadre belongs to
    a department, a village or the town, not to an enterprise."""
    problems = {}
    if person.village_id and (person.employer_id or person.department_id):
        problems["village"] = _(
            "A person belongs to one unit: an enterprise, a department or a village."
        )
    if person.is_cadre and person.employer_id:
        problems["employer"] = _(
            "A leading cadre belongs to a department, a village or the town, not to an enterprise."
        )
    return problems


class PersonQuerySet(models.QuerySet):
    def with_role(self, role: str) -> "PersonQuerySet":
        return self.filter(**{ROLE_FIELDS[PersonRole(role)]: True})


class Post(models.Model):
    """A post (工种/岗位) the town office keeps in the back office, e.g. 电工, 焊工, 叉车司机.

    What a post requires (special operations, certificate types) is kept by the certificates app
    (`certificates.PostRequirement`): the directory imports no other app.
    """

    name = models.CharField(_("name"), max_length=50, unique=True)
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("post")
        verbose_name_plural = _("posts")

    def __str__(self):
        return self.name


class Person(models.Model):
    """A person in the registry: identity, employer, roles and employment."""

    name = models.CharField(pgettext_lazy("person", "name"), max_length=50)
    id_number = models.CharField(
        _("ID number"), max_length=18, unique=True, validators=[id_number_validate]
    )
    birth_date = models.DateField(_("birth date"), editable=False, null=True)
    sex = models.CharField(
        _("sex"),
        max_length=1,
        choices=[("M", _("Male")), ("F", _("Female"))],
        editable=False,
        blank=True,
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    employer = models.ForeignKey(
        "directory.Enterprise",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
        verbose_name=_("employer"),
    )
    department = models.ForeignKey(
        "directory.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name=_("department (inspectors and cadres)"),
    )
    # A cadre of a village (村居领导干部); a cadre with neither department nor village leads the
    # town itself.
    village = models.ForeignKey(
        "directory.Village",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cadres",
        verbose_name=_("village (cadres)"),
    )
    is_principal = models.BooleanField(_("principal"), default=False)
    is_safety_manager = models.BooleanField(_("safety manager"), default=False)
    is_special_operator = models.BooleanField(_("special operator"), default=False)
    is_general_worker = models.BooleanField(_("general worker"), default=False)
    is_inspector = models.BooleanField(_("inspector"), default=False)
    is_cadre = models.BooleanField(
        _("leading cadre"),
        default=False,
        help_text=_(
            "A leader of the town, a department or a village: safety and fire training is a "
            "compulsory course for them. Give the department or the village; neither: the town."
        ),
    )
    employment_type = models.CharField(
        _("employment type"),
        max_length=20,
        choices=EmploymentType.choices,
        default=EmploymentType.REGULAR,
    )
    post = models.CharField(_("job title"), max_length=100, blank=True)
    # The post from the town's table; what it requires is `certificates.PostRequirement`.
    work_post = models.ForeignKey(
        Post,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
        verbose_name=_("post (work type)"),
    )
    hire_date = models.DateField(_("hire date"), null=True, blank=True)
    post_since = models.DateField(
        _("in the current post since"),
        null=True,
        blank=True,
        help_text=_(
            "Set on a transfer to another post or a return after an absence of a year or more: "
            "workshop and team training is due again (第十七条)."
        ),
    )
    # 《生产经营单位安全培训规定》第十七条: back after a year or more away, workshop and team
    # training is due again (directory.services.registry.return_dated dates the post).
    away_since = models.DateField(_("away from work since"), null=True, blank=True)
    returned_on = models.DateField(
        _("returned to work on"),
        null=True,
        blank=True,
        help_text=_(
            "A return after an absence of a year or more dates the current post from the "
            "return: workshop and team training is due again (第十七条)."
        ),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=PersonStatus.choices, default=PersonStatus.ACTIVE
    )
    account = models.OneToOneField(
        "directory.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
        verbose_name=_("login account"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        indexes = [models.Index(fields=["name"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(employer__isnull=True) | Q(department__isnull=True),
                name="directory_person_one_employer",
            ),
            models.CheckConstraint(
                condition=Q(village__isnull=True)
                | Q(employer__isnull=True, department__isnull=True),
                name="directory_person_one_unit",
            ),
            # Cadres lead the town, a department or a village, never an enterprise.
            models.CheckConstraint(
                condition=Q(is_cadre=False) | Q(employer__isnull=True),
                name="directory_cadre_not_employed",
            ),
            models.CheckConstraint(
                condition=Q(returned_on__isnull=True)
                | Q(away_since__isnull=False, returned_on__gte=models.F("away_since")),
                name="directory_person_returns_after_leaving",
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.derive_from_id_number()
        super().save(*args, **kwargs)

    def clean(self):
        problems = absence_problems(self.away_since, self.returned_on)
        problems.update(unit_problems(self))
        if problems:
            raise ValidationError(problems)

    def derive_from_id_number(self) -> None:
        """Birth date and sex are read from the ID number, never typed (GB 11643)."""
        if self.id_number:
            self.birth_date = id_number_birth_date(self.id_number)
            self.sex = id_number_sex(self.id_number)

    @property
    def roles(self) -> list[str]:
        return [role for role, field in ROLE_FIELDS.items() if getattr(self, field)]

    @property
    def role_labels(self) -> list[str]:
        return [str(PersonRole(role).label) for role in self.roles]

    @property
    def unit(self):
        return self.employer or self.department or self.village

    @property
    def cadre_unit_label(self) -> str:
        """Where a cadre leads: the department, the village, or the town."""
        unit = self.department or self.village
        return str(unit) if unit is not None else str(_("Town leadership"))
