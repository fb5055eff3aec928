"""Notifications: each (recipient, key) sent once, emailed once, read only by the recipient."""

import pytest
from django.core import mail
from django.urls import reverse

from directory.constants import AccountRole
from directory.models import Notification
from directory.services import (
    NotificationDraft,
    notification_emails_deliver,
    notification_send,
    notifications_send,
)


@pytest.fixture
def learner(accounts):
    user = accounts[AccountRole.LEARNER]
    user.email = "learner@example.org"
    user.save()
    return user


def test_a_key_is_sent_once_however_often_the_job_runs(learner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert notification_send(recipient=learner, key="cert:1:review:30", title="复审提醒")
        assert not notification_send(recipient=learner, key="cert:1:review:30", title="复审提醒")
    drafts = [NotificationDraft(learner.pk, "cert:1:review:30", "复审提醒")] * 3
    assert notifications_send(drafts=drafts) == 0
    assert Notification.objects.filter(recipient=learner).count() == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "复审提醒"
    assert mail.outbox[0].to == ["learner@example.org"]


def test_a_lost_email_is_sent_by_the_sweep_and_only_once(learner):
    # No on-commit capture: the queued email task never ran, as when the worker was down.
    notification_send(
        recipient=learner, key="k", title="演练到期提醒", body="请于6月30日前完成", link="/me/"
    )
    assert mail.outbox == []
    assert notification_emails_deliver() == 1
    assert notification_emails_deliver() == 0
    assert "请于6月30日前完成" in mail.outbox[0].body
    assert mail.outbox[0].body.endswith("/me/")


def test_no_email_address_means_no_email_but_the_message_is_kept(accounts):
    user = accounts[AccountRole.ENTERPRISE_MANAGER]
    user.email = ""
    user.save()
    notification_send(recipient=user, key="k", title="提醒")
    assert notification_emails_deliver() == 0
    assert Notification.objects.get(recipient=user).email_sent_at is not None


def test_messages_page_lists_own_messages_and_marks_read(client, learner, accounts):
    notification_send(recipient=learner, key="a", title="证书即将到期", link="/me/", email=False)
    notification_send(
        recipient=accounts[AccountRole.ENTERPRISE_MANAGER], key="b", title="别人的消息", email=False
    )
    client.force_login(learner)
    page = client.get(reverse("directory:notifications"))
    body = page.content.decode()
    assert "证书即将到期" in body and "别人的消息" not in body
    assert "我的消息" in body
    note = Notification.objects.get(recipient=learner)
    response = client.get(reverse("directory:notification_open", args=[note.pk]))
    assert response.status_code == 302 and response["Location"] == "/me/"
    note.refresh_from_db()
    assert note.read_at is not None
    other = Notification.objects.get(recipient=accounts[AccountRole.ENTERPRISE_MANAGER])
    assert client.get(reverse("directory:notification_open", args=[other.pk])).status_code == 404


def test_an_outside_link_is_not_followed(client, learner):
    notification_send(
        recipient=learner, key="a", title="x", link="https://evil.example/", email=False
    )
    client.force_login(learner)
    note = Notification.objects.get()
    response = client.get(reverse("directory:notification_open", args=[note.pk]))
    assert response["Location"] == reverse("directory:notifications")


def test_mark_all_read(client, learner):
    for key in "abc":
        notification_send(recipient=learner, key=key, title=key, email=False)
    client.force_login(learner)
    assert client.post(reverse("directory:notifications_read_all")).status_code == 302
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_the_emailed_link_points_to_the_site_not_the_development_default(learner, settings):
    """The worker emails without a request: with SITE_URL unset the link takes the default
    site's host, never localhost:8000."""
    from wagtail.models import Site

    settings.SITE_URL = ""
    settings.WAGTAILADMIN_BASE_URL = "http://localhost:8000"
    Site.objects.filter(is_default_site=True).update(hostname="anquan.xujing.example", port=443)
    notification_send(recipient=learner, key="k", title="演练到期提醒", link="/me/")
    assert notification_emails_deliver() == 1
    assert mail.outbox[0].body.endswith("\n\nhttps://anquan.xujing.example/me/")
    settings.SITE_URL = "https://aq.xujing.example/"
    notification_send(recipient=learner, key="k2", title="演练到期提醒", link="/me/")
    assert notification_emails_deliver() == 1
    assert mail.outbox[1].body.endswith("\n\nhttps://aq.xujing.example/me/")
