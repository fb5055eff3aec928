"""Front office views for learners and enterprise managers (mobile first)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from directory.constants import AccountRole
from directory.exports import export_response
from directory.files import private_page
from directory.identifiers import id_number_mask
from directory.models import Person, User
from directory.personal_data import personal_data_export
from directory.selectors import account_role, person_for_user


@login_required
@private_page
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

    def build(people, masking):
        masking.note(True)  # their own whole numbers: the copy is complete
        return personal_data_export(person=people.get())

    stamp = timezone.localdate().strftime("%Y%m%d")
    return export_response(
        request,
        kind=_("Own personal data (JSON)"),
        records=Person.objects.filter(pk=person.pk),
        build=build,
        filename=f"my-data-{stamp}.json",
        fmt="json",
        single=True,
    )
