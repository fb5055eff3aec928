from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DossiersConfig(AppConfig):
    """一人一档 (and room for 一企一档): pages and PDFs that read the other apps' selectors, and
    the yearly archive of those files and batch printing of an enterprise's files."""

    name = "dossiers"
    label = "dossiers"
    verbose_name = _("Files")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from dossiers.archive.retention import archive_retention_connect

        archive_retention_connect()

        from dossiers.batch.selectors import scopes_register

        scopes_register()
