from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = _("Training")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        register_policies()

    def seed_demo(self, stdout) -> None:
        """Demo drills for `manage.py seed_demo` (after the registry is seeded)."""
        from training.demo import drills_seed

        drills_seed(stdout=stdout)


def register_policies() -> None:
    """Drill plans and records scoped like the registry: the same selectors table and policy."""
    from wagtail.permissions import register_permission_policy

    from directory.permissions import ScopedPermissionPolicy
    from directory.selectors import scope_register
    from training.drills.selectors import SCOPES as FOLLOW_UP_SCOPES
    from training.selectors import SCOPES

    for model, (visible, editable) in {**SCOPES, **FOLLOW_UP_SCOPES}.items():
        scope_register(model, visible=visible, editable=editable)
        register_permission_policy(model, ScopedPermissionPolicy(model))
