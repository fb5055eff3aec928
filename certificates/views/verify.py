"""Public verification of issued certificates (no login): by the QR's code, or number + name.

Answers are rate-limited per client address so numbers and names cannot be tried in bulk, and an
unknown code or a wrong number/name pair says only "not found".
"""

from django import forms
from django.conf import settings
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from certificates.models import CertificateStatus, IssuedCertificate
from certificates.selectors.issued import (
    certificate_current,
    issued_certificate_by_code,
    issued_certificate_by_number_and_name,
)
from directory.throttles import client_address, throttle_hit

# Requests per window per client address (VERIFY_RATE_LIMIT = (requests, seconds)).
DEFAULT_RATE_LIMIT = (30, 60)


def name_mask(name: str) -> str:
    """张*三 for three characters or more, 张* for two: enough to confirm, not to learn a name."""
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def rate_limited(request) -> bool:
    """True once the address has used its window (VERIFY_RATE_LIMIT)."""
    limit, window = getattr(settings, "VERIFY_RATE_LIMIT", DEFAULT_RATE_LIMIT)
    return not throttle_hit("verify", client_address(request), limit=limit, window=window)


class LookupForm(forms.Form):
    number = forms.CharField(label=_("Certificate number"), max_length=20)
    name = forms.CharField(label=_("Holder's name"), max_length=50)


def _result(certificate: IssuedCertificate | None) -> dict:
    if certificate is None:
        return {"found": False}
    current = None
    if certificate.status == CertificateStatus.SUPERSEDED:
        current = certificate_current(certificate)
    return {
        "found": True,
        "certificate": certificate,
        "holder_name": name_mask(certificate.holder.name),
        "current": current,
    }


def _render(request, template: str, context: dict, *, status: int = 200):
    return render(request, template, {"form": LookupForm(), **context}, status=status)


def _too_many(request):
    return _render(request, "certificates/verify_limited.html", {}, status=429)


@never_cache
def verify_detail(request, code: str):
    if rate_limited(request):
        return _too_many(request)
    result = _result(issued_certificate_by_code(code))
    return _render(
        request, "certificates/verify.html", result, status=200 if result["found"] else 404
    )


@never_cache
def verify_lookup(request):
    form = LookupForm(request.GET or None)
    if not form.is_bound:
        return _render(request, "certificates/verify_lookup.html", {"form": form})
    if rate_limited(request):
        return _too_many(request)
    if not form.is_valid():
        return _render(request, "certificates/verify_lookup.html", {"form": form}, status=400)
    certificate = issued_certificate_by_number_and_name(
        form.cleaned_data["number"], form.cleaned_data["name"]
    )
    result = _result(certificate)
    return _render(
        request,
        "certificates/verify.html",
        {**result, "form": form},
        status=200 if result["found"] else 404,
    )


app_name = "certificates_verify"
urlpatterns = [
    path("", verify_lookup, name="lookup"),
    path("<str:code>/", verify_detail, name="detail"),
]
