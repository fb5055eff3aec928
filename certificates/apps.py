from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "certificates"
    verbose_name = _("Certificates")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        register_issued_policies()

    def seed_demo(self, stdout) -> None:
        from certificates.demo import issued_certificates_seed

        issued_certificates_seed(stdout)


def register_issued_policies() -> None:
    """Issued certificates scoped like their holders: the shared selectors table and policy."""
    from wagtail.permissions import register_permission_policy

    from certificates.selectors.issued import SCOPES
    from directory.permissions import ScopedPermissionPolicy
    from directory.selectors import scope_register

    for model, (visible, editable) in SCOPES.items():
        scope_register(model, visible=visible, editable=editable)
        register_permission_policy(model, ScopedPermissionPolicy(model))
