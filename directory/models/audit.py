"""The change log of registry records, readable only within the reader's scope."""

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import CharField, Q
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _
from wagtail.models import BaseLogEntry
from wagtail.models.audit_log import ModelLogEntryManager


class RegistryLogEntryManager(ModelLogEntryManager):
    def viewable_by_user(self, user):
        # Wagtail's default shows every entry of a model the user holds any permission on,
        # which would name other enterprises and their people in the site history report.
        from directory import selectors

        allowed = Q(pk__in=[])
        for model in selectors.SCOPES:
            visible_ids = (
                selectors.visible_to(user, model)
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
