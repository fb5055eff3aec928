"""Search-as-you-type for the back office's large choice filters: the options a viewer may see,
as JSON, a few at a time (directory.choosers' widget asks these as the user types)."""

from django.db.models import Q
from django.http import JsonResponse
from django.urls import path

from directory.models import Enterprise
from directory.selectors import visible_to

# Enough to pick from; more typing narrows further.
CHOICES_LIMIT = 20
QUERY_MAX_LENGTH = 50


def enterprise_choices(request):
    """Enterprises the viewer may see whose name contains, or credit code starts with, `q`:
    name and credit code only (what the lists show), by name."""
    text = request.GET.get("q", "").strip()[:QUERY_MAX_LENGTH]
    if not text:
        return JsonResponse({"results": []})
    rows = (
        visible_to(request.user, Enterprise)
        .filter(Q(name__icontains=text) | Q(credit_code__istartswith=text))
        .order_by("name", "pk")
        .values_list("pk", "name", "credit_code")[:CHOICES_LIMIT]
    )
    return JsonResponse(
        {"results": [{"id": pk, "label": name, "detail": code} for pk, name, code in rows]}
    )


urlpatterns = [
    path("enterprises/", enterprise_choices, name="enterprises"),
]
