"""Writes of the registry: keyword-only, typed, atomic (HackSoft style, STYLE.md).

One module per sub-domain: accounts, enterprises and people (registry), notifications, the
change and export logs. The names are re-exported here for the apps that call them.
"""

from directory.services.accounts import account_create, account_person_set
from directory.services.archive import record_archive, record_restore
from directory.services.change_log import (
    SOURCE_FORM,
    SOURCE_IMPORT,
    SOURCE_SERVICE,
    export_log,
    registry_changes_log,
    registry_state,
)
from directory.services.notifications import (
    NotificationDraft,
    notification_emails_deliver,
    notification_mark_read,
    notification_send,
    notifications_send,
)
from directory.services.registry import (
    enterprise_create,
    enterprise_delete,
    enterprise_update,
    person_create,
    person_delete,
    person_update,
)

__all__ = [
    "SOURCE_FORM",
    "SOURCE_IMPORT",
    "SOURCE_SERVICE",
    "NotificationDraft",
    "account_create",
    "account_person_set",
    "enterprise_create",
    "enterprise_delete",
    "enterprise_update",
    "export_log",
    "notification_emails_deliver",
    "notification_mark_read",
    "notification_send",
    "notifications_send",
    "person_create",
    "person_delete",
    "person_update",
    "record_archive",
    "record_restore",
    "registry_changes_log",
    "registry_state",
]
