"""People (人员): employees of enterprises and the town's inspectors."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from directory.constants import EmploymentType, PersonRole, PersonStatus
from directory.identifiers import id_number_birth_date, id_number_sex, id_number_validate

# Each role a person may hold, and the boolean field that records it.
ROLE_FIELDS = {
    PersonRole.PRINCIPAL: "is_principal",
    PersonRole.SAFETY_MANAGER: "is_safety_manager",
    PersonRole.SPECIAL_OPERATOR: "is_special_operator",
    PersonRole.GENERAL_WORKER: "is_general_worker",
    PersonRole.INSPECTOR: "is_inspector",
}


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

    name = models.CharField(_("name"), max_length=50)
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
        verbose_name=_("department (inspectors)"),
    )
    is_principal = models.BooleanField(_("principal"), default=False)
    is_safety_manager = models.BooleanField(_("safety manager"), default=False)
    is_special_operator = models.BooleanField(_("special operator"), default=False)
    is_general_worker = models.BooleanField(_("general worker"), default=False)
    is_inspector = models.BooleanField(_("inspector"), default=False)
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
            )
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.derive_from_id_number()
        super().save(*args, **kwargs)

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
        return self.employer or self.department
