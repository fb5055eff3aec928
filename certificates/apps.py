from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "certificates"
    verbose_name = _("Certificates")

    def ready(self):
        register_registry()

    def seed_demo(self, stdout) -> None:
        """Demo registered certificates, some in each status (after the registry is seeded)."""
        from certificates.demo import registry_seed

        registry_seed(stdout=stdout)


def register_registry() -> None:
    """Registered certificates scoped like the registry (the selectors table and policy), and
    their import kind (`import_data certificates`, the back office's import screen)."""
    from wagtail.permissions import register_permission_policy

    from certificates.resources.registry import RegisteredCertificateResource
    from certificates.selectors.registry import SCOPES
    from directory.importing.resources import import_kind_register
    from directory.permissions import ScopedPermissionPolicy
    from directory.selectors import scope_register

    for model, (visible, editable) in SCOPES.items():
        scope_register(model, visible=visible, editable=editable)
        register_permission_policy(model, ScopedPermissionPolicy(model))
    import_kind_register(
        "certificates", resource=RegisteredCertificateResource, label=_("Registered certificates")
    )
