"""The yearly 通报 of principals' performance: per lead department, each principal in post with
the year's 五带头 checklist status and the quarters in which the principal led a self-inspection,
and the department's totals. One PDF in the embedded CJK font (config.pdf); three queries."""

import io
from collections import defaultdict
from xml.sax.saxutils import escape

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Frame, Paragraph, Spacer, Table, TableStyle

from config.pdf import cjk_font, paragraph_style, pdf_canvas
from directory.constants import EnterpriseStatus, PersonStatus
from directory.models import Person
from training.duties.models import ChecklistStatus, PrincipalChecklist, SelfInspection
from training.duties.rules import quarter_of

MARGIN = 18 * mm


def _p(text, style) -> Paragraph:
    return Paragraph(escape(str(text)), style)


def _table(rows, widths, body) -> Table:
    table = Table(
        [[_p(cell, body) for cell in row] for row in rows], colWidths=widths, repeatRows=1
    )
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), cjk_font()),
                ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def bulletin_rows(enterprises: QuerySet, year: int) -> dict[str, list[tuple]]:
    """{department name: [(enterprise, principal, checklist status, quarters, all four?)]}."""
    principals = list(
        Person.objects.filter(
            is_principal=True,
            status=PersonStatus.ACTIVE,
            employer__in=enterprises.filter(status=EnterpriseStatus.ACTIVE),
        )
        .select_related("employer__lead_department")
        .order_by("employer__lead_department__name", "employer__name", "name", "pk")
    )
    statuses = {
        (c.principal_id, c.enterprise_id): c
        for c in PrincipalChecklist.objects.filter(
            year=year, principal__in=[p.pk for p in principals]
        )
    }
    quarters: dict[int, set[int]] = defaultdict(set)
    for enterprise_id, date in SelfInspection.objects.filter(
        enterprise__in={p.employer_id for p in principals}, date__year=year
    ).values_list("enterprise_id", "date"):
        quarters[enterprise_id].add(quarter_of(date))
    grouped: dict[str, list[tuple]] = defaultdict(list)
    for person in principals:
        checklist = statuses.get((person.pk, person.employer_id))
        done = sorted(quarters[person.employer_id])
        grouped[person.employer.lead_department.name].append(
            (
                person.employer.name,
                person.name,
                checklist.get_status_display() if checklist else _("Not started"),
                "、".join(str(q) for q in done) or "—",
                checklist is not None and checklist.status == ChecklistStatus.ACCEPTED,
                len(done) == 4,
            )
        )
    return dict(grouped)


def duties_bulletin_pdf(enterprises: QuerySet, year: int) -> bytes:
    title_text = _("Bulletin on principals' duties, %(year)s") % {"year": year}
    title = paragraph_style("title", size=16, alignment=1)
    heading = paragraph_style("heading", size=12, spaceBefore=8, spaceAfter=4)
    body = paragraph_style("body", size=9)
    buffer = io.BytesIO()
    canvas = pdf_canvas(buffer, title=title_text, author=_("Town safety office"))
    page_width, page_height = canvas._pagesize
    width = page_width - 2 * MARGIN
    story = [_p(title_text, title), Spacer(1, 4 * mm)]
    grouped = bulletin_rows(enterprises, year)
    if not grouped:
        story.append(_p(_("No principal in the registry."), body))
    header = (
        _("Enterprise"),
        _("Principal"),
        _("五带头 checklist"),
        _("Quarters with a principal-led self-inspection"),
    )
    for department, rows in grouped.items():
        accepted = sum(r[4] for r in rows)
        all_quarters = len({r[0] for r in rows if r[5]})
        enterprises_count = len({r[0] for r in rows})
        story.append(_p(department, heading))
        story.append(
            _p(
                _(
                    "Checklists accepted: %(accepted)s of %(principals)s principals; "
                    "self-inspections in all four quarters: %(full)s of %(enterprises)s enterprises."
                )
                % {
                    "accepted": accepted,
                    "principals": len(rows),
                    "full": all_quarters,
                    "enterprises": enterprises_count,
                },
                body,
            )
        )
        story.append(
            _table(
                [header, *(r[:4] for r in rows)],
                [width * 0.35, width * 0.15, width * 0.2, width * 0.3],
                body,
            )
        )
    while story:
        left = len(story)
        frame = Frame(MARGIN, MARGIN, width, page_height - 2 * MARGIN, showBoundary=0)
        frame.addFromList(story, canvas)
        canvas.showPage()
        if len(story) == left:
            story.pop(0)
    canvas.save()
    return buffer.getvalue()
