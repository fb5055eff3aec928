"""The pool's place in the scoping table and the role table (called from DirectoryConfig.ready)."""

from directory.constants import AccountRole

# The town office keeps the pool; a department officer reads the members it manages.
POOL_RIGHTS = {
    AccountRole.TOWN_OFFICE: {
        "directory.poolmember": {"add", "change", "delete", "view"},
        "directory.poolinspection": {"add", "change", "delete", "view"},
    },
    AccountRole.DEPARTMENT_OFFICER: {
        "directory.poolmember": {"view"},
        "directory.poolinspection": {"view"},
    },
}


def pool_register() -> None:
    from wagtail.permissions import register_permission_policy

    from directory.models import PoolInspection, PoolMember
    from directory.permissions import ROLE_PERMISSIONS, ScopedPermissionPolicy
    from directory.pool.selectors import (
        pool_inspections_editable_by,
        pool_inspections_visible_to,
        pool_members_editable_by,
        pool_members_visible_to,
    )
    from directory.scoping import scope_register

    for role, rights in POOL_RIGHTS.items():
        ROLE_PERMISSIONS.setdefault(role, {}).update(rights)
    scope_register(PoolMember, visible=pool_members_visible_to, editable=pool_members_editable_by)
    scope_register(
        PoolInspection, visible=pool_inspections_visible_to, editable=pool_inspections_editable_by
    )
    register_permission_policy(PoolMember, ScopedPermissionPolicy(PoolMember))
    register_permission_policy(PoolInspection, ScopedPermissionPolicy(PoolInspection))
