from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from reports.metrics import metrics_load

        metrics_load()
        register_policies()

    def seed_demo(self, stdout) -> None:
        """Targets, exemplary enterprises, drills and monthly reports for `manage.py seed_demo`."""
        from reports.demo import reports_seed

        reports_seed(stdout=stdout)


def register_policies() -> None:
    """Targets and exemplary enterprises scoped through the registry's table and policy."""
    from wagtail.permissions import register_permission_policy

    from directory.permissions import ScopedPermissionPolicy
    from directory.scoping import scope_register
    from reports.selectors.scoping import SCOPES

    for model, (visible, editable) in SCOPES.items():
        scope_register(model, visible=visible, editable=editable)
        register_permission_policy(model, ScopedPermissionPolicy(model))
