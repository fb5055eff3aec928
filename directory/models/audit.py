"""The change log of registry records, readable only within the reader's scope."""

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import CharField, Q
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _
from wagtail.models import BaseLogEntry
from wagtail.models.audit_log import ModelLogEntryManager

from directory.scoping import SCOPES, visible_to


class RegistryLogEntryManager(ModelLogEntryManager):
    def viewable_by_user(self, user):
        # Wagtail's default shows every entry of a model the user holds any permission on,
        # which would name other enterprises and their people in the site history report.
        allowed = Q(pk__in=[])
        for model in SCOPES:
            # The base manager: an archived record's lines stay readable within the scope.
            visible_ids = (
                visible_to(user, model, model._base_manager.all())
                .annotate(object_key=Cast("pk", CharField()))
                .values("object_key")
            )
            content_type = ContentType.objects.get_for_model(model)
            allowed |= Q(content_type=content_type, object_id__in=visible_ids)
        return self.filter(allowed)


class RegistryLogEntry(BaseLogEntry):
    """One change to a department, village, industry, enterprise or person."""

    object_id = models.CharField(max_length=255, blank=False, db_index=True)

    objects = RegistryLogEntryManager()

    class Meta(BaseLogEntry.Meta):
        ordering = ["-timestamp", "-id"]
        verbose_name = _("registry log entry")
        verbose_name_plural = _("registry log entries")


class ExportLogEntry(models.Model):
    """Who exported which records, how many, and whether whole ID / phone numbers were in them."""

    user = models.ForeignKey(
        "directory.User",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("account"),
    )
    # Kept as text too: the log outlives a deleted account.
    username = models.CharField(_("username"), max_length=150)
    kind = models.CharField(_("what was exported"), max_length=100)
    rows = models.PositiveIntegerField(_("rows"))
    personal_data = models.BooleanField(_("whole ID / phone numbers"), default=False)
    query = models.CharField(_("filters"), max_length=1000, blank=True)
    exported_at = models.DateTimeField(_("exported at"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-exported_at", "-pk"]
        verbose_name = _("export log entry")
        verbose_name_plural = _("export log entries")

    def __str__(self) -> str:
        return f"{self.username} {self.kind} {self.rows}"
