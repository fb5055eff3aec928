"""The Content Security Policy (django-csp) with one policy for the site and the front office and
a wider one for Wagtail's admin: settings.CONTENT_SECURITY_POLICY for every path, and
settings.CSP_ADMIN_DIRECTIVES added to it under CSP_ADMIN_PREFIX (docs/security.md says why)."""

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings


class SiteCSPMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if report_only or not request.path_info.startswith(settings.CSP_ADMIN_PREFIX):
            return parts
        # A view's own @csp_update comes on top of the admin additions.
        update = {key: list(values) for key, values in settings.CSP_ADMIN_DIRECTIVES.items()}
        for key, values in (parts.update or {}).items():
            update.setdefault(key, []).extend(values)
        # frame-ancestors is replaced, not added to: 'none' beside 'self' would still be 'none'.
        replace = dict(settings.CSP_ADMIN_REPLACE)
        replace.update(parts.replace or {})
        parts.update, parts.replace = update, replace
        return parts
