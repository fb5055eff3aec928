"""Front office views for learners and enterprise managers (mobile first)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from directory.constants import AccountRole
from directory.identifiers import id_number_mask
from directory.models import User
from directory.personal_data import personal_data_export
from directory.selectors import account_role, person_for_user
from directory.services import export_log


@login_required
def my_page(request):
    person = person_for_user(request.user)
    account = User.objects.select_related("department", "village", "enterprise").get(
        pk=request.user.pk
    )
    return render(
        request,
        "directory/my_page.html",
        {
            "person": person,
            # Masked even for the person: nobody needs the whole number on a screen.
            "id_number_masked": id_number_mask(person.id_number) if person else "",
            # A superuser acts as the town office whatever role is stored.
            "account_role": AccountRole(account_role(account)).label,
            "account_unit": account.enterprise or account.village or account.department,
        },
    )


@login_required
def my_data(request):
    """Everything held about the signed-in person as JSON (their copy under PIPL), logged."""
    person = person_for_user(request.user)
    if person is None:
        raise Http404
    data = personal_data_export(person=person)
    export_log(
        user=request.user,
        kind=_("Own personal data (JSON)"),
        rows=data["rows"],
        personal_data=True,
    )
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 1})
    stamp = timezone.localdate().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="my-data-{stamp}.json"'
    return response
