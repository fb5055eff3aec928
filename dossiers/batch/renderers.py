"""What each kind of file in a batch is rendered by: a small table of item kind → render
function. A render function takes the batch's items of its kind (in print order) and the
requester, and yields one PDF per item; adding a kind of file is one entry here."""

import datetime
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.utils.translation import gettext as _

from directory.exports import Masking
from directory.models import Enterprise, Person, User
from dossiers.enterprise.pdf import enterprise_dossier_pdf
from dossiers.enterprise.selectors import enterprise_dossier
from dossiers.models import DossierBatchItem, DossierItemKind
from dossiers.person.pdf import person_dossier_pdf
from dossiers.person.selectors import person_dossier

# Characters no file system or ZIP tool takes in a name, and control characters.
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')
NAME_MAX = 60


def safe_file_stem(text: str) -> str:
    """A file name stem from a person's or unit's name: unsafe characters become "_", no dot
    or space at either end (no hidden file, no "..", no path), at most NAME_MAX characters."""
    text = unicodedata.normalize("NFC", text)
    text = _UNSAFE.sub("_", text)
    text = re.sub(r"\s+", " ", text).strip(" .")
    return text[:NAME_MAX] or "_"


@dataclass(frozen=True)
class Rendered:
    """One file of a batch: its name inside a ZIP (without ".pdf") and its PDF."""

    stem: str
    content: bytes


class RequestedMasking(Masking):
    """The numbers as the requester saw them when asking for the batch (recorded per item), so a
    batch rendered later masks as the page did then."""

    def __init__(self, viewer: User, *, whole: bool):
        super().__init__(viewer)
        self.allowed = whole

    def sees(self, person) -> bool:
        self.whole |= self.allowed
        return self.allowed


def person_files(
    items: list[DossierBatchItem], *, viewer: User, today: datetime.date
) -> Iterator[Rendered]:
    """一人一档 of each person, named "<姓名>-<id>"."""
    people = (
        Person.objects.select_related("employer__industry", "employer__village", "department")
        .select_related("work_post")
        .in_bulk([item.object_id for item in items])
    )
    for item in items:
        person = people.get(item.object_id)
        if person is None:  # deleted from the registry since the batch was asked for
            raise ValueError(
                _("Person %(id)s is no longer in the registry; ask for the batch again.")
                % {"id": item.object_id}
            )
        dossier = person_dossier(
            person=person,
            viewer=viewer,
            today=today,
            masking=RequestedMasking(viewer, whole=item.whole),
        )
        yield Rendered(f"{safe_file_stem(person.name)}-{person.pk}", person_dossier_pdf(dossier))


def enterprise_files(
    items: list[DossierBatchItem], *, viewer: User, today: datetime.date
) -> Iterator[Rendered]:
    """一企一档 of the batch's year, the whole roster, named "<企业>-<year>"."""
    enterprises = Enterprise.objects.select_related(
        "village", "industry", "lead_department", "principal"
    ).in_bulk([item.object_id for item in items])
    for item in items:
        enterprise = enterprises.get(item.object_id)
        if enterprise is None:
            raise ValueError(
                _("Enterprise %(id)s is no longer in the registry; ask for the batch again.")
                % {"id": item.object_id}
            )
        year = item.batch.year
        dossier = enterprise_dossier(
            enterprise=enterprise,
            viewer=viewer,
            year=year,
            today=today,
            masking=RequestedMasking(viewer, whole=item.whole),
        )
        yield Rendered(f"{safe_file_stem(enterprise.name)}-{year}", enterprise_dossier_pdf(dossier))


Renderer = Callable[..., Iterator[Rendered]]

RENDERERS: dict[str, Renderer] = {
    DossierItemKind.PERSON: person_files,
    DossierItemKind.ENTERPRISE: enterprise_files,
}


def items_render(
    items: list[DossierBatchItem], *, viewer: User, today: datetime.date
) -> Iterator[Rendered]:
    """The files of `items` in their order, each kind by its renderer (runs of one kind together)."""
    run: list[DossierBatchItem] = []
    for item in items:
        if run and run[-1].kind != item.kind:
            yield from RENDERERS[run[0].kind](run, viewer=viewer, today=today)
            run = []
        run.append(item)
    if run:
        yield from RENDERERS[run[0].kind](run, viewer=viewer, today=today)
