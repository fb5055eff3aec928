"""The Content Security Policy (django-csp) with one policy for the site and the front office and
a wider one for Wagtail's admin: settings.CONTENT_SECURITY_POLICY for every path, and
settings.CSP_ADMIN_DIRECTIVES added to it under CSP_ADMIN_PREFIX (docs/security.md says why)."""

import functools

from csp.constants import HEADER
from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings

# A JSON answer is data, not a page: it may load nothing and be framed nowhere.
DATA_POLICY = "default-src 'none'; frame-ancestors 'none'"


def data_policy(view):
    """The answers of a JSON endpoint carry DATA_POLICY, a fixed string, rather than the page
    policy the middleware builds for each response (twice: enforced and report-only). The
    player's heartbeat, every 15 s per learner watching, is the busiest of them."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response[HEADER] = DATA_POLICY
        response._csp_data = True
        return response

    return wrapped


class SiteCSPMiddleware(CSPMiddleware):
    def process_response(self, request, response):
        if getattr(response, "_csp_data", False):
            return response  # data_policy set its header; a JSON answer uses no nonce
        return super().process_response(request, response)

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
