"""Related units' place in the scoping table and the role table (DirectoryConfig.ready)."""

from directory.constants import AccountRole

# The host enterprise's manager and its lead department keep its related units and attached
# workers; the town office everything; a village officer reads them.
KEEP = {"add", "change", "view"}
RELATION_RIGHTS = {
    AccountRole.TOWN_OFFICE: {
        "directory.enterpriserelation": {"add", "change", "delete", "view"},
        "directory.attachment": {"add", "change", "delete", "view"},
    },
    AccountRole.DEPARTMENT_OFFICER: {
        "directory.enterpriserelation": KEEP,
        "directory.attachment": KEEP,
    },
    AccountRole.VILLAGE_OFFICER: {
        "directory.enterpriserelation": {"view"},
        "directory.attachment": {"view"},
    },
    AccountRole.ENTERPRISE_MANAGER: {
        "directory.enterpriserelation": KEEP,
        "directory.attachment": KEEP,
    },
}


def relations_register() -> None:
    from wagtail.permissions import register_permission_policy

    from directory.models import Attachment, EnterpriseRelation
    from directory.permissions import ROLE_PERMISSIONS, ScopedPermissionPolicy
    from directory.relations.importing import relation_imports_register
    from directory.relations.selectors import (
        attachments_editable_by,
        attachments_visible_to,
        relations_editable_by,
        relations_visible_to,
    )
    from directory.scoping import scope_register

    for role, rights in RELATION_RIGHTS.items():
        ROLE_PERMISSIONS.setdefault(role, {}).update(rights)
    scope_register(EnterpriseRelation, visible=relations_visible_to, editable=relations_editable_by)
    scope_register(Attachment, visible=attachments_visible_to, editable=attachments_editable_by)
    register_permission_policy(EnterpriseRelation, ScopedPermissionPolicy(EnterpriseRelation))
    register_permission_policy(Attachment, ScopedPermissionPolicy(Attachment))
    relation_imports_register()
