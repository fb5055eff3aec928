"""一人一档 on paper, as an inspector files it: every section of the page with its source, the
enterprise and the printing date on every page, 第 x 页 共 y 页, and signature lines."""

import io
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from config.pdf import PagedCanvas, cjk_font, paragraph_style, pdf_canvas
from dossiers.person.selectors import PersonDossier

MARGIN = 18 * mm
WIDTH = A4[0] - 2 * MARGIN


def _lines(*, header: bool) -> TableStyle:
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


def _date(value) -> str:
    if not value:
        return "—"
    if hasattr(value, "tzinfo"):
        value = timezone.localtime(value)
        return f"{date_format(value, 'DATE_FORMAT')} {value:%H:%M}"
    return date_format(value, "DATE_FORMAT")


def _day(value) -> str:
    return date_format(timezone.localdate(value), "DATE_FORMAT") if value else "—"


class _Story:
    """The flowables of the document, section by section."""

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

    def table(self, headers: list, rows: list[list], widths: list[float], empty: str = ""):
        if not rows:
            self.p(empty)
            return
        data = [[Paragraph(escape(str(c)), self.cell) for c in row] for row in [headers, *rows]]
        table = Table(data, colWidths=[w * WIDTH for w in widths], repeatRows=1)
        table.setStyle(_lines(header=True))
        self.items.append(table)


def _identity(story: _Story, d: PersonDossier):
    person = d.person
    post = " · ".join(
        x for x in (person.work_post.name if person.work_post else "", person.post) if x
    )
    facts = [
        (_("Person name"), person.name),
        (_("ID number"), d.id_number),
        (_("Sex"), person.get_sex_display() or "—"),
        (_("Birth date"), _date(person.birth_date)),
        (_("Phone"), d.phone or "—"),
        (_("Roles"), "、".join(person.role_labels) or "—"),
        (_("Employer"), d.unit_name or "—"),
        (_("Post"), post or "—"),
        (_("Employment type"), person.get_employment_type_display()),
        (_("Hire date"), _date(person.hire_date)),
        (_("In the current post since"), _date(person.post_since)),
        (_("Status"), person.get_status_display()),
    ]
    rows = [
        [*facts[i], *(facts[i + 1] if i + 1 < len(facts) else ("", ""))]
        for i in range(0, len(facts), 2)
    ]
    story.heading(_("Identity"), _("Source: the registry"))
    data = [[Paragraph(escape(str(c)), story.cell) for c in row] for row in rows]
    table = Table(data, colWidths=[w * WIDTH for w in (0.17, 0.33, 0.17, 0.33)])
    table.setStyle(_lines(header=False))
    story.items.append(table)


def _sections(story: _Story, d: PersonDossier):
    story.heading(_("Employment history"), _("Source: the registry change log"))
    story.table(
        [_("Date"), _("Change"), _("Before"), _("After"), _("Recorded through")],
        [
            [_day(m["timestamp"]), m["label"], m["from"] or "—", m["to"] or "—", m["source"]]
            for m in d.employment
        ],
        [0.16, 0.16, 0.26, 0.26, 0.16],
        _("No change of employer recorded."),
    )
    story.heading(
        _("Training requirements by year"),
        _("Source: the training-hours requirements and the study-hours ledger"),
    )
    story.table(
        [_("Year"), _("Requirement"), _("Required"), _("Credited"), _("Met?")],
        [
            [r.year, r.kind_label or "—", r.required, r.credited, r.status_label]
            for r in d.requirements
        ],
        [0.12, 0.3, 0.14, 0.14, 0.3],
    )
    if d.retraining_label:
        story.p(d.retraining_label)
    story.heading(
        _("Study-hours record"),
        _(
            "Source: the study-hours ledger (online lessons, offline sessions, exams, "
            "imported history)"
        ),
    )
    story.table(
        [_("Date"), _("Training"), _("Source"), _("study hours")],
        [
            [_date(e.date), " ".join(x for x in (e.title, e.organisation) if x)]
            + [e.get_source_display(), e.hours]
            for _year, _total, entries in d.ledger
            for e in entries
        ],
        [0.18, 0.5, 0.18, 0.14],
        _("No study hours recorded yet."),
    )
    if d.ledger:
        story.p(
            "；".join(
                _("%(year)s: %(total)s study hours") % {"year": y, "total": t}
                for y, t, _e in d.ledger
            ),
            story.source,
        )
    story.heading(_("Three-level training"), _("Source: ledger entries with a training level"))
    story.table(
        [_("Date"), _("Training level"), _("Training"), _("study hours")],
        [[_date(e.date), e.get_level_display(), e.title, e.hours] for e in d.three_level],
        [0.18, 0.18, 0.5, 0.14],
        _("No three-level training recorded."),
    )


def _records(story: _Story, d: PersonDossier):
    story.heading(_("Offline sessions attended"), _("Source: session attendance"))
    story.table(
        [_("Date"), _("Session"), _("Signed in"), _("Signed in by"), _("Status")],
        [
            [
                _day(a.session.starts_at),
                " ".join(x for x in (a.session.title, a.session.place) if x),
                _date(a.signed_in_at),
                a.get_method_display() or "—",
                a.get_status_display(),
            ]
            for a in d.attendances
        ],
        [0.16, 0.36, 0.2, 0.16, 0.12],
        _("No offline session attended."),
    )
    story.heading(
        _("Drills taken part in"), _("Source: drill records that list their participants")
    )
    story.table(
        [_("Date"), _("Drill"), _("Enterprise"), _("Duties met")]
        + [_("Role or remark"), _("Recorded through")],
        [
            [
                _date(p.record.date),
                f"{p.record.get_scenario_display()} {p.record.get_plan_type_display()}",
                p.record.enterprise.name,
                p.record.duty_labels,
                p.remark or "—",
                p.get_source_display(),
            ]
            for p in d.drills
        ],
        [0.14, 0.22, 0.2, 0.2, 0.12, 0.12],
        _("No drill taken part in recorded."),
    )
    story.heading(_("Exams and assessments"), _("Source: exam attempts"))
    results = {True: _("Passed"), False: _("Not passed"), None: "—"}
    story.table(
        [_("Date"), _("Exam"), _("Score"), _("Result")],
        [
            [
                _day(t.submitted_at or t.started_at),
                f"{t.exam.title} {t.exam.paper.name}",
                f"{t.score if t.score is not None else '—'} / {t.max_score}",
                results[t.passed],
            ]
            for t in d.attempts
        ],
        [0.18, 0.5, 0.16, 0.16],
        _("No exam taken."),
    )
    story.heading(_("Registered certificates"), _("Source: the certificate registry"))
    story.table(
        [_("Certificate type"), _("Certificate number"), _("First issued on")]
        + [_("Reviews"), _("Status today")],
        [
            [
                " ".join(x for x in (c.certificate_type.name, c.work_label) if x),
                f"{c.number} {c.issuing_authority}",
                _date(c.first_issued_on),
                "；".join(
                    f"{_date(r.reviewed_on)} {r.get_result_display()}" for r in c.reviews.all()
                )
                or "—",
                c.status_label,
            ]
            for c in d.certificates
        ],
        [0.26, 0.22, 0.16, 0.22, 0.14],
        _("No certificate registered."),
    )
    story.heading(
        _("Certificates issued by the platform"), _("Source: certificates issued on this platform")
    )
    story.table(
        [_("Date issued"), _("Certificate"), _("Certificate number")]
        + [_("Status"), _("Verification code")],
        [
            [
                _date(c.issued_on),
                f"{c.title} {c.get_kind_display()}",
                c.number,
                c.get_status_display(),
                c.code,
            ]
            for c in d.issued
        ],
        [0.15, 0.3, 0.15, 0.1, 0.3],
        _("No certificate issued."),
    )


def _signatures(story: _Story, d: PersonDossier):
    line = "____________________"
    story.items.append(
        KeepTogether(
            [
                Spacer(1, 10 * mm),
                Paragraph(
                    escape(f"{_('Signature of the person')}：{line}    {_('Date')}：{line}"),
                    story.body,
                ),
                Spacer(1, 8 * mm),
                Paragraph(
                    escape(
                        f"{_('Signature of the enterprise safety manager')}：{line}    "
                        f"{_('Date')}：{line}"
                    ),
                    story.body,
                ),
            ]
        )
    )


def person_dossier_pdf(dossier: PersonDossier) -> bytes:
    """The PDF of `dossiers.person.selectors.person_dossier(...)`."""
    title = _("Personal training file")
    unit = dossier.unit_name or "—"
    if dossier.until is not None:
        printed = _("Yearly archive: the file as it stood on %(date)s") % {
            "date": _date(dossier.until)
        }
    else:
        printed = _("Printed on %(date)s") % {"date": _date(dossier.today)}

    def decorate(canvas, page: int, total: int):
        width, height = A4
        canvas.saveState()
        canvas.setFont(cjk_font(), 8)
        canvas.drawString(MARGIN, height - 10 * mm, unit)
        canvas.drawRightString(width - MARGIN, height - 10 * mm, f"{title} · {dossier.person.name}")
        canvas.drawString(MARGIN, 10 * mm, printed)
        canvas.drawRightString(
            width - MARGIN,
            10 * mm,
            _("Page %(page)s of %(total)s") % {"page": page, "total": total},
        )
        canvas.restoreState()

    def canvasmaker(filename, **kwargs):
        canvas = pdf_canvas(
            filename, title=f"{title} {dossier.person.name}", canvas_class=PagedCanvas
        )
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
    story = _Story()
    story.p(f"{title} · {dossier.person.name}", paragraph_style("title", size=16))
    story.p(f"{_('Employer')}：{unit}    {printed}", story.source)
    _identity(story, dossier)
    _sections(story, dossier)
    _records(story, dossier)
    _signatures(story, dossier)
    doc.build(story.items, canvasmaker=canvasmaker)
    return buffer.getvalue()
