"""An archived yearly file cannot be deleted inside its retention period, by any path (the back
office, a service, `manage.py shell`, a cascade): the retention sweep is the one way out."""

from django.core.exceptions import ValidationError
from django.db.models.signals import pre_delete
from django.utils import timezone
from django.utils.translation import gettext as _

from dossiers.archive.models import ARCHIVE_RETENTION_YEARS, ArchivedFile


def archived_file_check_delete(row: ArchivedFile) -> None:
    if row.kept_until >= timezone.localdate():
        raise ValidationError(
            _(
                "The archived file of %(year)s is within its retention period and cannot be "
                "deleted: archived files are kept %(years)s years after their year "
                "(regulations.md §7), until %(until)s."
            )
            % {
                "year": row.year,
                "years": ARCHIVE_RETENTION_YEARS,
                "until": row.kept_until.isoformat(),
            },
            code="retained",
        )


def _refuse_retained(sender, instance, **kwargs):
    archived_file_check_delete(instance)


def archive_retention_connect() -> None:
    pre_delete.connect(_refuse_retained, sender=ArchivedFile, dispatch_uid="dossiers_retention")
