from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from wagtail.users.apps import WagtailUsersAppConfig


class DirectoryConfig(AppConfig):
    # Two AppConfig classes live here, so Django picks neither unless told: without this the
    # scoped permission policies below would never be registered.
    default = True
    name = "directory"
    verbose_name = _("Registry")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models import BooleanField
        from wagtail.admin.ui.fields import register_display_class

        from . import permissions, retention, selectors
        from .views.booleans import YesNoDisplay

        # Every inspect view shows a boolean field as 是 / 否 (listings: ScopedIndexView).
        register_display_class(BooleanField, display_class=YesNoDisplay)
        selectors.register_registry_scopes()
        permissions.register_policies()
        retention.retention_connect()
        from .pool.wiring import pool_register

        pool_register()
        from .relations.wiring import relations_register

        relations_register()
        cadres_import_register()
        # `check --deploy` names a setting that would keep state on one host (config/checks.py).
        from config import checks  # noqa: F401


def cadres_import_register() -> None:
    """The leading cadres' list as an import kind of its own (it names no employer)."""
    from .importing.cadres import CadreResource
    from .importing.resources import import_kind_register

    import_kind_register("cadres", resource=CadreResource, label=_("Leading cadres"))


class UsersConfig(WagtailUsersAppConfig):
    """Wagtail's user screens, with each account's role and unit (directory.views.accounts)."""

    user_viewset = "directory.views.accounts.AccountViewSet"
