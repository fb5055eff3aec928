"""What the files on paper share (一人一档, 一企一档): the A4 frame with the unit, the title and
the printing date on every page and "第 x 页 共 y 页" (config.pdf.PagedCanvas), tables in the
embedded CJK font that repeat their header row across pages, section headings naming their
source, and signature lines."""

import io
from collections.abc import Callable
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from config.pdf import PagedCanvas, cjk_font, paragraph_style, pdf_canvas

MARGIN = 18 * mm
WIDTH = A4[0] - 2 * MARGIN
SIGNATURE_LINE = "____________________"


def lines(*, header: bool) -> TableStyle:
    commands = [
        # Cells set reportlab's Helvetica (unembedded) unless told otherwise.
        ("FONTNAME", (0, 0), (-1, -1), cjk_font()),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]
    if header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef2f6")))
    return TableStyle(commands)


def pdf_date(value) -> str:
    """A date (or a moment, in local time with its hour) as the paper says it; "—" for none."""
    if not value:
        return "—"
    if hasattr(value, "tzinfo"):
        value = timezone.localtime(value)
        return f"{date_format(value, 'DATE_FORMAT')} {value:%H:%M}"
    return date_format(value, "DATE_FORMAT")


def pdf_day(value) -> str:
    """The local day of a moment; "—" for none."""
    return date_format(timezone.localdate(value), "DATE_FORMAT") if value else "—"


class Story:
    """The flowables of a document, section by section."""

    def __init__(self):
        self.items = []
        self.cell = paragraph_style("cell", size=8.5, leading=11)
        self.section = paragraph_style("section", size=12, spaceBefore=8, spaceAfter=2)
        self.source = paragraph_style("source", size=8, textColor=colors.HexColor("#52606d"))
        self.body = paragraph_style("body", size=10)

    def p(self, text: str, style=None):
        self.items.append(Paragraph(escape(str(text)), style or self.body))

    def heading(self, title: str, source: str):
        self.p(title, self.section)
        self.p(source, self.source)
        self.items.append(Spacer(1, 1.5 * mm))

    def table(
        self,
        headers: list,
        rows: list[list],
        widths: list[float],
        empty: str = "",
        wrap: set[int] | None = None,
    ):
        """A table over the page's width (`widths`: fractions), its header row on every page;
        `empty` instead when there are no rows. Cells wrap as paragraphs, or, given `wrap`, only
        in those columns: the others are short text drawn as is (several times faster for a
        table of thousands of rows)."""
        if not rows:
            self.p(empty)
            return
        style = self.cell

        def cell(column: int, value):
            if wrap is None or column in wrap:
                return Paragraph(escape(str(value)), style)
            return str(value)

        data = [[Paragraph(escape(str(c)), style) for c in headers]]
        data += [[cell(i, c) for i, c in enumerate(row)] for row in rows]
        table = Table(data, colWidths=[w * WIDTH for w in widths], repeatRows=1)
        table.setStyle(lines(header=True))
        if wrap is not None:
            table.setStyle(
                TableStyle(
                    [
                        ("FONTSIZE", (0, 1), (-1, -1), style.fontSize),
                        ("LEADING", (0, 1), (-1, -1), style.leading),
                    ]
                )
            )
        self.items.append(table)

    def facts(self, facts: list[tuple[str, str]]):
        """Label / value pairs, two pairs a row, no header."""
        rows = [
            [*facts[i], *(facts[i + 1] if i + 1 < len(facts) else ("", ""))]
            for i in range(0, len(facts), 2)
        ]
        data = [[Paragraph(escape(str(c)), self.cell) for c in row] for row in rows]
        table = Table(data, colWidths=[w * WIDTH for w in (0.17, 0.33, 0.17, 0.33)])
        table.setStyle(lines(header=False))
        self.items.append(table)

    def signatures(self, signers: list[str]):
        """One line per signer, each with a date, kept together on the last page."""
        items = []
        for signer in signers:
            items.append(Spacer(1, 9 * mm))
            items.append(
                Paragraph(
                    escape(f"{signer}：{SIGNATURE_LINE}    {_('Date')}：{SIGNATURE_LINE}"),
                    self.body,
                )
            )
        self.items.append(KeepTogether(items))


def printed_on(day) -> str:
    return _("Printed on %(date)s") % {"date": pdf_date(day)}


def document_pdf(
    *,
    title: str,
    subject: str,
    unit: str,
    today,
    fill: Callable[[Story], None],
    subtitle: str | None = None,
    printed: str | None = None,
) -> bytes:
    """An A4 file: `unit` and "`title` · `subject`" at the top of every page, the printing date
    and 第 x 页 共 y 页 at the bottom; under the title `subtitle` (default: the employer and the
    printing date), then `fill(story)` adds the sections. `printed` replaces the printing date
    (a year's archived file says which day it stands as of)."""
    printed = printed or printed_on(today)
    if subtitle is None:
        subtitle = f"{_('Employer')}：{unit}    {printed}"

    def decorate(canvas, page: int, total: int):
        width, height = A4
        canvas.saveState()
        canvas.setFont(cjk_font(), 8)
        canvas.drawString(MARGIN, height - 10 * mm, unit)
        canvas.drawRightString(width - MARGIN, height - 10 * mm, f"{title} · {subject}")
        canvas.drawString(MARGIN, 10 * mm, printed)
        canvas.drawRightString(
            width - MARGIN,
            10 * mm,
            _("Page %(page)s of %(total)s") % {"page": page, "total": total},
        )
        canvas.restoreState()

    def canvasmaker(filename, **kwargs):
        canvas = pdf_canvas(filename, title=f"{title} {subject}", canvas_class=PagedCanvas)
        canvas.decorate = decorate
        return canvas

    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
    )
    story = Story()
    story.p(f"{title} · {subject}", paragraph_style("title", size=16))
    story.p(subtitle, story.source)
    fill(story)
    doc.build(story.items, canvasmaker=canvasmaker)
    return buffer.getvalue()
