from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ContentConfig(AppConfig):
    name = "content"
    verbose_name = _("Content")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from content import cache, media, publishing

        # Workflow, groups and page permissions are data every environment needs: kept in step
        # after each migrate (idempotent), like Django's own permissions.
        post_migrate.connect(publishing.publishing_setup_after_migrate, sender=self)
        # Signals where content must learn of changes made elsewhere (see each function).
        publishing.publishing_receivers_connect()
        cache.page_cache_receivers_connect()
        media.video_receivers_connect()
        _register_calendar_scope()
        from content.reach.section import section_register

        section_register()

    def seed_demo(self, stdout) -> None:
        """Demo content for `manage.py seed_demo` (called after the registry is seeded)."""
        from content.demo import content_seed

        content_seed(stdout=stdout)


def _register_calendar_scope() -> None:
    """The publicity calendar's screen is scoped like the registry's reference data."""
    from wagtail.permissions import register_permission_policy

    from content.models import PublicityDate
    from content.views.calendar_admin import publicity_calendar_scopes
    from directory.permissions import ScopedPermissionPolicy
    from directory.scoping import scope_register

    visible, editable = publicity_calendar_scopes()
    scope_register(PublicityDate, visible=visible, editable=editable)
    register_permission_policy(PublicityDate, ScopedPermissionPolicy(PublicityDate))
