"""Authentication backend that grants each account the permissions of its role."""

from django.contrib.auth.backends import ModelBackend

from directory.permissions import role_permissions


class RoleBackend(ModelBackend):
    """Username/password login, plus role permissions on top of any group permissions."""

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_role_perm_cache"):
            user_obj._role_perm_cache = role_permissions(user_obj.role)
        return super().get_all_permissions(user_obj, obj) | user_obj._role_perm_cache
