"""Login accounts and the role that decides what each one sees."""

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models.signals import post_delete, post_save
from django.dispatch import Signal
from django.utils.translation import gettext_lazy as _

from directory.constants import AccountRole

# Sent with `ids` after accounts may have lost the right to log in as before: deactivated, a new
# password, deleted, or saved whole (which may be either). Whatever trusts a login without
# reading the account on every request listens (training.learning.services.beats).
account_access_changed = Signal()
ACCESS_FIELDS = frozenset({"is_active", "password"})


class AccountQuerySet(models.QuerySet):
    def update(self, **kwargs):
        """A bulk update; one that sets `is_active` or `password` sends account_access_changed."""
        if not ACCESS_FIELDS & kwargs.keys():
            return super().update(**kwargs)
        ids = list(self.values_list("pk", flat=True))
        rows = super().update(**kwargs)
        account_access_changed.send(sender=self.model, ids=ids)
        return rows


class AccountManager(UserManager.from_queryset(AccountQuerySet)):
    pass


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

    objects = AccountManager()

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


def _account_saved(sender, instance, created, update_fields=None, **kwargs):
    if not created and (update_fields is None or ACCESS_FIELDS & set(update_fields)):
        account_access_changed.send(sender=sender, ids=[instance.pk])


def _account_deleted(sender, instance, **kwargs):
    account_access_changed.send(sender=sender, ids=[instance.pk])


post_save.connect(_account_saved, sender=User, dispatch_uid="directory-account-saved")
post_delete.connect(_account_deleted, sender=User, dispatch_uid="directory-account-deleted")
