from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "certificates"
    verbose_name = _("Certificates")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        register_scopes()
        register_import_kinds()

    def seed_demo(self, stdout) -> None:
        """Demo registered certificates in every status, special operators' cards, then a few
        issued ones."""
        from certificates.demo_issued import issued_certificates_seed
        from certificates.demo_registry import operators_seed, registry_seed

        registry_seed(stdout=stdout)
        operators_seed(stdout=stdout)
        issued_certificates_seed(stdout)

    def seed_scale(self, scale, stdout) -> None:
        """Registered certificates for `manage.py seed_scale` (certificates.scale)."""
        from certificates.scale import certificates_seed_scale

        certificates_seed_scale(scale, stdout)


def register_scopes() -> None:
    """Registered and issued certificates scoped like their holders: the shared table and policy."""
    from wagtail.permissions import register_permission_policy

    from certificates.selectors.issued import SCOPES as ISSUED_SCOPES
    from certificates.selectors.registry import SCOPES as REGISTRY_SCOPES
    from directory.permissions import ScopedPermissionPolicy
    from directory.scoping import scope_register

    for model, (visible, editable) in {**REGISTRY_SCOPES, **ISSUED_SCOPES}.items():
        scope_register(model, visible=visible, editable=editable)
        register_permission_policy(model, ScopedPermissionPolicy(model))


def register_import_kinds() -> None:
    """`import_data certificates` and the back office's import screen."""
    from certificates.resources.registry import RegisteredCertificateResource
    from directory.importing.resources import import_kind_register

    import_kind_register(
        "certificates", resource=RegisteredCertificateResource, label=_("Registered certificates")
    )
