"""Reads of batch prints of files: whose batches a user sees."""

from django.db.models import QuerySet

from directory.models import User
from directory.scoping import narrow_to_unit
from dossiers.models import DossierBatch


def dossier_batches_visible_to(user: User, queryset: QuerySet | None = None) -> QuerySet:
    """Each account sees the batches it asked for; the town office sees all."""
    qs = DossierBatch.objects.all() if queryset is None else queryset
    return narrow_to_unit(qs.select_related("enterprise", "created_by"), user, own="created_by")


def scopes_register() -> None:
    """Batches leave through the one export path, which scopes them through this table."""
    from directory.scoping import scope_register

    scope_register(
        DossierBatch, visible=dossier_batches_visible_to, editable=dossier_batches_visible_to
    )
