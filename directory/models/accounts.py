"""Login accounts and the role that decides what each one sees."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from directory.constants import AccountRole


class User(AbstractUser):
    """A login account; its role and unit decide what it may see and change."""

    role = models.CharField(
        _("role"), max_length=30, choices=AccountRole.choices, default=AccountRole.LEARNER
    )
    department = models.ForeignKey(
        "directory.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="accounts",
        verbose_name=_("department"),
    )
    village = models.ForeignKey(
        "directory.Village",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="accounts",
        verbose_name=_("village"),
    )
    enterprise = models.ForeignKey(
        "directory.Enterprise",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="accounts",
        verbose_name=_("enterprise"),
    )

    class Meta(AbstractUser.Meta):
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role="department_officer") | models.Q(department__isnull=False),
                name="directory_department_officer_has_department",
            ),
            models.CheckConstraint(
                condition=~models.Q(role="village_officer") | models.Q(village__isnull=False),
                name="directory_village_officer_has_village",
            ),
            models.CheckConstraint(
                condition=~models.Q(role="enterprise_manager") | models.Q(enterprise__isnull=False),
                name="directory_enterprise_manager_has_enterprise",
            ),
        ]

    @property
    def is_town_office(self) -> bool:
        return self.is_superuser or self.role == AccountRole.TOWN_OFFICE
