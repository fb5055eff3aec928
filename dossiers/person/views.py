"""一人一档 in the front office: the page, the printable PDF (through the one export path), and
"my file" for a learner."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from directory.exports import export_response
from directory.files import private_page
from directory.selectors import person_for_user
from dossiers.archive.models import ArchivedFile
from dossiers.archive.selectors import archived_years
from dossiers.person.pdf import person_dossier_pdf
from dossiers.person.selectors import dossier_people_visible_to, person_dossier


@login_required
def mine(request):
    person = person_for_user(request.user)
    if person is None:
        raise Http404
    return redirect("dossiers:person", pk=person.pk)


@login_required
@private_page
def person_file(request, pk: int):
    person = get_object_or_404(dossier_people_visible_to(request.user), pk=pk)
    dossier = person_dossier(person=person, viewer=request.user, today=timezone.localdate())
    return render(
        request,
        "dossiers/person.html",
        {
            "dossier": dossier,
            "person": person,
            "archived_years": archived_years(kind=ArchivedFile.Kind.PERSON, subject=person),
        },
    )


@login_required
def person_file_pdf(request, pk: int):
    def build(people, masking):
        dossier = person_dossier(
            person=people.get(),
            viewer=request.user,
            today=timezone.localdate(),
            masking=masking,
        )
        return person_dossier_pdf(dossier)

    return export_response(
        request,
        kind=_("Personal training record (PDF)"),
        records=dossier_people_visible_to(request.user).filter(pk=pk),
        build=build,
        filename=f"person-file-{pk}.pdf",
        fmt="pdf",
        single=True,
    )
