"""Archiving instead of deleting: what a record kept for its retention period carries when it
is withdrawn (directory.retention; regulations.md §7)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class UnarchivedManager(models.Manager):
    """The rows in use: lists, figures, exports and related access all read through it."""

    def get_queryset(self):
        return super().get_queryset().filter(archived_at__isnull=True)


class Archivable(models.Model):
    """A record that may be archived — withdrawn from every list and figure, kept, restorable —
    where a delete is refused inside its retention period.

    `objects` (the default manager, so admin screens, model forms and reverse relations such as
    `person.study_hours` use it) hides archived rows; `all_objects` sees them. Django's base
    manager stays the plain one, so a foreign key to an archived row (a review of an archived
    certificate, an attendance's ledger row), the delete collector and `refresh_from_db` still
    find it.
    """

    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True, editable=False)
    archived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("archived by"),
    )
    archive_reason = models.TextField(_("reason for archiving"), blank=True, editable=False)

    objects = UnarchivedManager()
    all_objects = models.Manager()  # noqa: DJ012 - a manager, named so ruff cannot tell

    class Meta:
        abstract = True

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


# The condition every unique constraint of an archivable model adds, so that an archived record
# does not block entering the corrected one.
NOT_ARCHIVED = Q(archived_at__isnull=True)


def archived_has_reason(name: str) -> models.CheckConstraint:
    """The database's guarantee that an archived row says why."""
    return models.CheckConstraint(
        condition=Q(archived_at__isnull=True) | ~Q(archive_reason=""), name=name
    )
