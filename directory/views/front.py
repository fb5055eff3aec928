"""Front office views for learners and enterprise managers (mobile first)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from directory.constants import AccountRole
from directory.identifiers import id_number_mask
from directory.models import User
from directory.selectors import account_role, person_for_user


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
