"""Writes of notifications: messages to accounts, and their e-mail copies."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from config.site import site_url
from directory.models import (
    Notification,
    User,
)

# Notifications ------------------------------------------------------------------------------


@dataclass(frozen=True)
class NotificationDraft:
    """One message to be sent: who, the once-only key, and what it says."""

    recipient_id: int
    key: str
    title: str
    body: str = ""
    link: str = ""
    email_wanted: bool = True


def notifications_send(*, drafts: Iterable[NotificationDraft], batch_size: int = 1000) -> int:
    """Record the messages not sent before and queue their emails; returns how many were new.

    The unique (recipient, key) constraint makes a second run, or two workers at once, send
    nothing twice: rows that exist already are skipped by the database, not by a prior read alone.
    """
    created = 0
    drafts = list(drafts)
    for start in range(0, len(drafts), batch_size):
        batch = drafts[start : start + batch_size]
        keys = {d.key for d in batch}
        existing = set(Notification.objects.filter(key__in=keys).values_list("recipient_id", "key"))
        new = [
            Notification(
                recipient_id=d.recipient_id,
                key=d.key,
                title=d.title[:200],
                body=d.body,
                link=d.link,
                email_wanted=d.email_wanted,
            )
            for d in batch
            if (d.recipient_id, d.key) not in existing
        ]
        with transaction.atomic():
            Notification.objects.bulk_create(new, ignore_conflicts=True)
        created += len(new)
    if created:
        from directory.tasks import notification_emails_send_task

        transaction.on_commit(notification_emails_send_task.delay)
    return created


def notification_send(
    *, recipient: User, key: str, title: str, body: str = "", link: str = "", email: bool = True
) -> bool:
    """Send one message unless it was sent before under the same key; True when it is new."""
    draft = NotificationDraft(recipient.pk, key, title, body, link, email)
    return notifications_send(drafts=[draft]) == 1


def notification_mark_read(
    *, recipient: User, notification_ids: Iterable[int] | None = None
) -> int:
    """Mark the recipient's messages read (all of them when no ids are given)."""
    unread = Notification.objects.filter(recipient=recipient, read_at__isnull=True)
    if notification_ids is not None:
        unread = unread.filter(pk__in=list(notification_ids))
    return unread.update(read_at=timezone.now())


def notification_emails_deliver(*, batch_size: int = 200) -> int:
    """Email the messages that want it and were not emailed yet; returns how many went out.

    Each row is claimed with a row lock (skipped by other workers) and marked in the same
    transaction as the send, so two workers never email the same message.
    """
    sent = 0
    # The worker has no request: SITE_URL, else the default site's host (config.site.site_url).
    base = site_url()
    while True:
        with transaction.atomic():
            batch = list(
                Notification.objects.select_for_update(skip_locked=True)
                .select_related("recipient")
                .filter(email_wanted=True, email_sent_at__isnull=True)
                .order_by("pk")[:batch_size]
            )
            if not batch:
                return sent
            now = timezone.now()
            for note in batch:
                address = note.recipient.email
                if address:
                    body = note.body
                    if note.link:
                        body = f"{body}\n\n{base}{note.link}"
                    send_mail(note.title, body, None, [address])
                    sent += 1
                note.email_sent_at = now
            Notification.objects.bulk_update(batch, ["email_sent_at"])
