"""The printable drill record: one PDF in the embedded CJK font (config.pdf)."""

import io
from xml.sax.saxutils import escape

from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import Frame, Image, Paragraph, Spacer, Table, TableStyle

from config.pdf import cjk_font, paragraph_style, pdf_canvas
from training.drills.models.entry import DrillSignature
from training.drills.models.records import DrillRecord

MARGIN = 18 * mm


def _p(text, style) -> Paragraph:
    return Paragraph(escape(str(text)).replace("\n", "<br/>"), style)


def _table(rows, widths, body) -> Table:
    table = Table([[_p(cell, body) for cell in row] for row in rows], colWidths=widths)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), cjk_font()),
                ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def _when(moment) -> str:
    return date_format(localtime(moment), "DATETIME_FORMAT") if moment else "—"


def _story(record: DrillRecord, width: float) -> list:
    title = paragraph_style("title", size=16, alignment=1)
    heading = paragraph_style("heading", size=12, spaceBefore=8, spaceAfter=4)
    body = paragraph_style("body", size=10)
    rate = record.participation_rate
    facts = [
        (_("Enterprise"), record.enterprise.name),
        (_("Date"), date_format(record.date, "DATE_FORMAT")),
        (_("Scenario"), record.get_scenario_display()),
        (_("Plan type"), record.get_plan_type_display()),
        (_("Alarm time"), record.alarm_time.strftime("%H:%M:%S")),
        (_("All-clear time"), record.all_clear_time.strftime("%H:%M:%S")),
        (_("Evacuation duration"), str(record.evacuation_duration)),
        (_("Evacuated / on site"), f"{record.evacuated} / {record.headcount}"),
        (_("Participation rate"), f"{rate:.0%}" if rate is not None else "—"),
        (_("Duties met"), record.duty_labels),
        (_("Observers"), record.observers or "—"),
        (_("Problems found"), record.problems_found or "—"),
        (_("Evaluation"), record.evaluation or "—"),
        (_("Review status"), record.get_review_status_display()),
        (_("Comment"), record.review_note or "—"),
    ]
    story = [_p(_("Emergency drill record"), title), Spacer(1, 6 * mm)]
    story.append(_table(facts, [40 * mm, width - 40 * mm], body))
    groups = [(g.name, g.headcount, g.evacuated) for g in record.group_rows.all()]
    if groups:
        story.append(_p(_("Buildings or groups"), heading))
        header = (_("Building or group"), _("Headcount on site"), _("Number evacuated"))
        story.append(_table([header, *groups], [width / 2, width / 4, width / 4], body))
    listed = [
        (p.person.name, p.remark or "—", p.get_source_display())
        for p in record.participants.select_related("person").order_by("person__name", "pk")
    ]
    if listed:
        story.append(_p(pgettext("drill list", "Participants"), heading))
        story.append(
            _p(
                _("List %(listed)s people / on site %(headcount)s")
                % {"listed": len(listed), "headcount": record.headcount},
                body,
            )
        )
        header = (_("Person name"), _("Role or remark"), _("Recorded through"))
        story.append(_table([header, *listed], [width / 3, width / 3, width / 3], body))
    evidence = [
        (e.original_name, e.get_kind_display(), _when(e.captured_at)) for e in record.evidence.all()
    ]
    if evidence:
        story.append(_p(_("Evidence"), heading))
        header = (_("File"), _("kind"), _("Captured at"))
        story.append(_table([header, *evidence], [width / 2, width / 6, width / 3], body))
    actions = [
        (a.problem, a.owner, date_format(a.due_date, "DATE_FORMAT"), a.get_status_display())
        for a in record.corrective_actions.all()
    ]
    if actions:
        story.append(_p(_("Corrective actions"), heading))
        header = (_("problem"), _("owner"), _("due date"), _("status"))
        story.append(
            _table([header, *actions], [width * 0.45, width * 0.15, width * 0.2, width * 0.2], body)
        )
    observations = [
        (o.observer_name, _when(o.observed_at), o.note) for o in record.observations.all()
    ]
    if observations:
        story.append(_p(_("On-site observations"), heading))
        header = (_("observer"), _("observed at"), _("observation"))
        story.append(_table([header, *observations], [width / 5, width / 4, width * 0.55], body))
    signed = DrillSignature.objects.filter(record=record).first()
    if signed:
        story.append(
            _p(
                _("Responsible person") + f"：{signed.signer_name}  {_when(signed.signed_at)}",
                heading,
            )
        )
        with signed.image.open("rb") as handle:
            png = io.BytesIO(handle.read())
        w, h = ImageReader(png).getSize()
        png.seek(0)
        story.append(Image(png, width=60 * mm, height=60 * mm * h / w))
    return story


def drill_record_pdf(record: DrillRecord) -> bytes:
    buffer = io.BytesIO()
    canvas = pdf_canvas(buffer, title=_("Emergency drill record"), author=record.enterprise.name)
    page_width, page_height = canvas._pagesize
    width = page_width - 2 * MARGIN
    story = _story(record, width)
    while story:
        left = len(story)
        frame = Frame(MARGIN, MARGIN, width, page_height - 2 * MARGIN, showBoundary=0)
        frame.addFromList(story, canvas)
        canvas.showPage()
        if len(story) == left:  # a flowable taller than a page: drop it rather than loop
            story.pop(0)
    canvas.save()
    return buffer.getvalue()
