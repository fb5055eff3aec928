"""签到表: the printable sign-in sheet of a session, for paper fallback (import it back after)."""

import io

from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm

from config.pdf import pdf_canvas

MARGIN = 15 * mm
ROW = 9 * mm
# Column widths: no., name, ID number, employer, sign-in, sign-out, signature / remark.
WIDTHS = (10 * mm, 22 * mm, 42 * mm, 40 * mm, 18 * mm, 18 * mm, 30 * mm)


def _fit(canvas, text: str, width: float, size: float) -> str:
    """Cut text to the cell's width (names of enterprises can be long)."""
    while text and canvas.stringWidth(text, canvas._fontname, size) > width - 2 * mm:
        text = text[:-1]
    return text


def sign_in_sheet_pdf(*, session, rows: list[tuple[str, str, str]]) -> bytes:
    """One line per (name, ID number as the viewer may see it, employer), blank cells to fill in."""
    buffer = io.BytesIO()
    title = _("Sign-in sheet")
    canvas = pdf_canvas(buffer, title=f"{title} {session.title}")
    width, height = A4
    headers = [
        _("No."),
        _("Person name"),
        _("ID number"),
        _("Employer"),
        _("Sign-in time"),
        _("Sign-out time"),
        _("Signature / remark"),
    ]
    labels = {
        "time": _("Time"),
        "place": _("Place"),
        "organiser": _("Organiser"),
        "lecturer": _("Lecturer"),
        "hours": _("Study hours"),
        "kind": _("Kind"),
    }
    facts = [
        f"{labels['time']}：{session.span}",
        f"{labels['place']}：{session.place or session.get_mode_display()}",
        f"{labels['organiser']}：{session.organiser_label}  {labels['lecturer']}：{session.lecturer or '—'}",
        f"{labels['hours']}：{session.hours}  {labels['kind']}：{session.get_kind_display()}",
    ]
    page = 0
    lines = [(str(n), *row) for n, row in enumerate(rows, start=1)] or [("", "", "", "")]

    def new_page() -> float:
        nonlocal page
        if page:
            canvas.showPage()
        page += 1
        y = height - MARGIN
        canvas.setFont(canvas._fontname, 16)
        canvas.drawCentredString(width / 2, y - 6 * mm, f"{session.title} {title}")
        y -= 14 * mm
        canvas.setFont(canvas._fontname, 9)
        for fact in facts:
            canvas.drawString(MARGIN, y, fact)
            y -= 5 * mm
        canvas.drawRightString(width - MARGIN, MARGIN / 2, f"{title} · {page}")
        return draw_row(y - 2 * mm, headers, bold=True)

    def draw_row(y: float, cells, bold: bool = False) -> float:
        x = MARGIN
        size = 9 if bold else 8.5
        canvas.setFont(canvas._fontname, size)
        for cell_width, cell in zip(WIDTHS, list(cells) + [""] * 7, strict=False):
            canvas.rect(x, y - ROW, cell_width, ROW)
            canvas.drawString(
                x + 1 * mm, y - ROW + 3 * mm, _fit(canvas, str(cell), cell_width, size)
            )
            x += cell_width
        return y - ROW

    y = new_page()
    for line in lines:
        if y - ROW < MARGIN:
            y = new_page()
        y = draw_row(y, line)
    canvas.save()
    return buffer.getvalue()
