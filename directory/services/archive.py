"""Archiving the records kept for their retention period (directory.retention, regulations.md
§7): instead of a delete, the record is withdrawn from every list and figure — its default
manager hides it — and keeps who archived it, when and why; it can be restored.

Rights: directory.rights.may_archive (the town office and the officers whose scope holds the
record). Each archive and restore is written to the record's Wagtail history with the reason.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from directory.models import Archivable, User
from directory.rights import may_archive

ARCHIVE_ACTION = "directory.archive"
RESTORE_ACTION = "directory.restore"


def _locked(record: Archivable, user: User | None) -> Archivable:
    model = type(record)
    if not issubclass(model, Archivable):
        raise ValidationError(_("%(record)s cannot be archived.") % {"record": str(record)})
    if not may_archive(user, record):
        raise PermissionDenied(_("You may not archive or restore this record."))
    return model.all_objects.select_for_update().get(pk=record.pk)


def _label(record: Model) -> str:
    return str(record._meta.verbose_name)


@transaction.atomic
def record_archive(*, record: Archivable, user: User, reason: str) -> Archivable:
    """Withdraw `record` from every list and figure, with the reason; it stays in the database
    for its retention period and can be restored (record_restore)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {
                "reason": _("Give the reason for archiving this %(record)s.")
                % {"record": _label(record)}
            }
        )
    stored = _locked(record, user)
    if stored.archived_at is not None:
        raise ValidationError(
            _("This %(record)s is already archived.") % {"record": _label(record)}
        )
    stored.archived_at = timezone.now()
    stored.archived_by = user
    stored.archive_reason = reason
    stored.save(update_fields=["archived_at", "archived_by", "archive_reason"])
    log(instance=stored, action=ARCHIVE_ACTION, user=user, data={"reason": reason})
    return stored


@transaction.atomic
def record_restore(*, record: Archivable, user: User) -> Archivable:
    """Bring an archived record back into the lists and figures."""
    stored = _locked(record, user)
    if stored.archived_at is None:
        raise ValidationError(_("This %(record)s is not archived.") % {"record": _label(record)})
    reason = stored.archive_reason
    stored.archived_at = None
    stored.archived_by = None
    stored.archive_reason = ""
    try:
        with transaction.atomic():
            stored.save(update_fields=["archived_at", "archived_by", "archive_reason"])
    except IntegrityError:
        # A unique constraint holds for rows in use only: the corrected record entered after
        # this one was archived takes its place.
        raise ValidationError(
            _(
                "This %(record)s cannot be restored: a record entered since takes its place. "
                "Archive that one first."
            )
            % {"record": _label(record)}
        ) from None
    log(instance=stored, action=RESTORE_ACTION, user=user, data={"reason": reason})
    return stored
