"""In-app notifications: reminders and notices to one account, each sent once."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """A message to one account; (recipient, key) is unique, so a reminder is never sent twice."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    # Names what the message is about and at which stage, e.g. "certificate:12:review:30".
    key = models.CharField(_("key"), max_length=200)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("message"), blank=True)
    # A path inside the platform: where the recipient goes to do what the message asks.
    link = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    email_wanted = models.BooleanField(_("also by email"), default=True)
    email_sent_at = models.DateTimeField(_("emailed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "key"], name="directory_notification_once"
            ),
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="directory_notif_unread"),
            models.Index(
                fields=["email_sent_at"],
                name="directory_notif_email_due",
                condition=models.Q(email_wanted=True, email_sent_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return self.title
