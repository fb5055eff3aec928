"""Front office views for learners and enterprise managers (mobile first)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from directory.constants import AccountRole
from directory.exports import Built, Sheet, export_response, xlsx_bytes
from directory.files import private_page
from directory.identifiers import id_number_mask, phone_mask
from directory.models import Person, User
from directory.personal_data import personal_data_export, personal_data_tables
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
@private_page
def my_data_page(request):
    """Everything held about the signed-in person, readable, with its JSON and XLSX downloads.

    On screen the ID and phone numbers are masked as on 我的 (nobody needs them whole on a
    screen); the downloads hold them whole, and each is logged."""
    person = person_for_user(request.user)
    if person is None:
        raise Http404
    data = personal_data_export(person=person)
    data["person"]["id_number"] = id_number_mask(person.id_number)
    data["person"]["phone"] = phone_mask(person.phone)
    return render(
        request,
        "directory/my_data.html",
        {"person": person, "tables": personal_data_tables(data), "rows": data["rows"]},
    )


def _my_data_download(request, *, fmt: str, kind: str):
    """The person's copy as JSON or XLSX through the one export path (logged, no-store)."""
    person = person_for_user(request.user)
    if person is None:
        raise Http404

    def build(people, masking):
        masking.note(True)  # their own whole numbers: the copy is complete
        data = personal_data_export(person=people.get())
        if fmt == "json":
            return data
        sheets = [
            Sheet(title=table.title, headers=table.headers, rows=table.rows)
            for table in personal_data_tables(data)
        ]
        return Built(content=xlsx_bytes(sheets)[0], rows=data["rows"])

    stamp = timezone.localdate().strftime("%Y%m%d")
    return export_response(
        request,
        kind=kind,
        records=Person.objects.filter(pk=person.pk),
        build=build,
        filename=f"my-data-{stamp}.{fmt}",
        fmt=fmt,
        single=True,
    )


@login_required
def my_data(request):
    """Everything held about the signed-in person as JSON (their copy under PIPL), logged."""
    return _my_data_download(request, fmt="json", kind=_("Own personal data (JSON)"))


@login_required
def my_data_xlsx(request):
    """The same copy as a workbook, a sheet per section, logged."""
    return _my_data_download(request, fmt="xlsx", kind=_("Own personal data (XLSX)"))
