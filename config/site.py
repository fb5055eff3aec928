"""The site's absolute address, for links written where no request is at hand.

A certificate's QR code, a batch of certificates rendered by the Celery worker and a
notification emailed by the worker all need `https://host` in front of a path. The address is,
in this order: SITE_URL when set; the address the request came to; the address recorded when a
background job was asked for (`origin`, e.g. CertificateBatch.site_url); the default Wagtail
site when it names a real host; WAGTAILADMIN_BASE_URL last (the development default).
"""

from django.conf import settings

LOCAL_HOSTS = {"localhost", "127.0.0.1", "[::1]", "::1", ""}


def request_origin(request) -> str:
    """`scheme://host[:port]` of the request, to record on a job the worker runs later."""
    return request.build_absolute_uri("/").rstrip("/")


def _default_site_url() -> str:
    from wagtail.models import Site

    site = Site.objects.filter(is_default_site=True).only("hostname", "port").first()
    if site is None or site.hostname in LOCAL_HOSTS:
        return ""
    return site.root_url


def site_url(request=None, origin: str = "") -> str:
    """The address absolute links start with (no trailing slash); see the module's docstring."""
    if getattr(settings, "SITE_URL", ""):
        return settings.SITE_URL.rstrip("/")
    if request is not None:
        return request_origin(request)
    if origin:
        return origin.rstrip("/")
    return (_default_site_url() or settings.WAGTAILADMIN_BASE_URL).rstrip("/")
