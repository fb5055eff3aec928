from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = _("Training")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        register_policies()


def register_policies() -> None:
    """Drill plans and records scoped like the registry: the same selectors table and policy."""
    from wagtail.permissions import register_permission_policy

    from directory import selectors as directory_selectors
    from directory.permissions import ScopedPermissionPolicy
    from training.selectors import SCOPES

    # The registry's scoped views and policy look models up in directory.selectors.SCOPES.
    directory_selectors.SCOPES.update(SCOPES)
    for model in SCOPES:
        register_permission_policy(model, ScopedPermissionPolicy(model))
