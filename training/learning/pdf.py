"""一人一档 as a printable PDF: identity, this year's requirement, every credited hour, signatures."""

import io

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm

from config.pdf import pdf_canvas

MARGIN = 18 * mm
LINE = 6 * mm
# Columns of the ledger table: date, training, source, hours (x offsets from the margin).
COLUMNS = (0, 30 * mm, 120 * mm, 160 * mm)


class _Writer:
    """Lines down the page, a new page when the bottom is reached."""

    def __init__(self, canvas, title: str):
        self.canvas = canvas
        self.title = title
        self.width, self.height = A4
        self.page = 0
        self._new_page()

    def _new_page(self):
        if self.page:
            self.canvas.showPage()
        self.page += 1
        self.y = self.height - MARGIN
        self.canvas.setFont(self.canvas._fontname, 8)
        self.canvas.drawRightString(self.width - MARGIN, MARGIN / 2, f"{self.title} · {self.page}")

    def need(self, lines: int = 1):
        if self.y - lines * LINE < MARGIN:
            self._new_page()

    def text(self, value: str, *, size: float = 10, x: float = 0, gap: float = LINE):
        self.need()
        self.canvas.setFont(self.canvas._fontname, size)
        self.canvas.drawString(MARGIN + x, self.y, value)
        self.y -= gap

    def row(self, cells: list[str], *, size: float = 9):
        self.need()
        self.canvas.setFont(self.canvas._fontname, size)
        for offset, cell in zip(COLUMNS, cells, strict=False):
            self.canvas.drawString(MARGIN + offset, self.y, cell)
        self.y -= LINE * 0.9

    def rule(self):
        self.canvas.line(MARGIN, self.y + LINE * 0.6, self.width - MARGIN, self.y + LINE * 0.6)


def _date(value) -> str:
    return date_format(value, "DATE_FORMAT") if value else "—"


def person_record_pdf(*, record: dict) -> bytes:
    """The PDF of `training.learning.selectors.records.person_record(...)`."""
    person = record["person"]
    title = _("Safety training record")
    buffer = io.BytesIO()
    canvas = pdf_canvas(buffer, title=f"{title} {person.name}")
    w = _Writer(canvas, title)
    w.text(title + "（一人一档）", size=16, gap=LINE * 1.6)
    facts = [
        (_("Person name"), person.name),
        (_("ID number"), record["id_number"]),
        (_("Roles"), "、".join(person.role_labels) or "—"),
        (_("Employer"), person.employer.name if person.employer else "—"),
        (_("Employment type"), person.get_employment_type_display()),
        (_("Hire date"), _date(person.hire_date)),
    ]
    for label, value in facts:
        w.text(f"{label}：{value}")
    status = record["requirement"]
    w.y -= LINE / 2
    w.text(
        _("%(year)s requirement: %(required)s study hours; credited %(credited)s; %(status)s")
        % {
            "year": status.year,
            "required": status.required,
            "credited": status.credited,
            "status": status.status_label,
        },
        size=11,
    )
    w.y -= LINE / 2
    employment = record.get("employment") or []
    if employment:
        w.need(3)
        w.text(_("Employment history"), size=11)
        w.row([_("Date"), _("Previous employer"), _("New employer"), _("Recorded through")])
        w.rule()
        for move in employment:
            w.row(
                [
                    _date(timezone.localdate(move["timestamp"])),
                    (move["from"] or "—")[:30],
                    (move["to"] or "—")[:30],
                    str(move["source"]),
                ]
            )
        w.y -= LINE / 2
    for year, total, entries in record["history"]:
        w.need(3)
        w.text(_("%(year)s: %(total)s study hours") % {"year": year, "total": total}, size=11)
        w.row([_("Date"), _("Training"), _("Source"), _("Study hours")])
        w.rule()
        for entry in entries:
            w.row(
                [
                    _date(entry.date),
                    entry.title[:40],
                    str(entry.get_source_display()),
                    str(entry.hours),
                ]
            )
        w.y -= LINE / 2
    if not record["history"]:
        w.text(_("No study hours recorded yet."))
    w.need(4)
    w.y -= LINE
    w.text(_("Printed on %(date)s") % {"date": _date(timezone.localdate())}, size=9, gap=LINE * 2)
    w.text(_("Signature of the person: ____________    Date: ____________"), gap=LINE * 2)
    w.text(_("Signature of the enterprise: ____________    Date: ____________"))
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
