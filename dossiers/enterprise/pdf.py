"""一企一档 on paper: every section of the page with its source and the whole roster, the
enterprise, the year and the printing date on every page, 第 x 页 共 y 页, and signature lines for
the principal and the safety manager. Pure: a dossier in, bytes out (a background job may call it).
"""

from django.utils.translation import gettext as _

from dossiers.enterprise.selectors import EnterpriseDossier
from dossiers.pdf import Story, document_pdf, pdf_date, pdf_day, printed_on

NAMES_PER_ROW = 60


def _yes(value: bool) -> str:
    return _("Yes") if value else _("No")


def _registry(story: Story, d: EnterpriseDossier):
    e = d.enterprise
    principal = e.principal
    industry = e.industry
    story.heading(_("Registry data"), _("Source: the registry"))
    story.facts(
        [
            (_("Enterprise name"), e.name),
            (_("Unified social credit code"), e.credit_code),
            (_("Address"), e.address or "—"),
            (_("Village or community"), e.village.name),
            (_("Industry"), f"{industry.name}（{industry.get_risk_class_display()}）"),
            (_("Lead department"), e.lead_department.name),
            (_("Principal"), principal.name if principal else "—"),
            (_("Principal's ID number"), d.principal_id_number or "—"),
            (_("Principal's phone"), d.principal_phone or "—"),
            (_("Headcount"), e.headcount),
            (_("People in post in the registry"), len(d.roster)),
            (_("Status"), e.get_status_display()),
            (_("Fire-safety key unit"), _yes(e.is_fire_key_unit)),
            (_("Handles hazardous chemicals"), _yes(e.handles_hazardous_chemicals)),
            (_("Crowded place"), _yes(e.is_crowded_place)),
        ]
    )


def _managers(story: Story, d: EnterpriseDossier):
    story.heading(
        _("Principal and safety managers"),
        _(
            "Source: the registry, the training-hours requirements, the study-hours ledger, "
            "session attendance, exam attempts and the certificate registry"
        ),
    )
    story.table(
        [_("Person name"), _("Roles"), _("ID number"), _("Phone")]
        + [_("Study hours this year"), _("Initial training"), _("Principals' special training")]
        + [_("Assessment and certificate")],
        [
            [m.person.name, m.roles, m.id_number, m.phone or "—", m.requirement_label]
            + [m.initial_label, m.principal_training_label, m.assessment_label]
            for m in d.managers
        ],
        [0.09, 0.1, 0.15, 0.11, 0.13, 0.13, 0.12, 0.17],
        _("No principal or safety manager in the registry."),
    )


def _roster(story: Story, d: EnterpriseDossier):
    story.heading(
        _("People in post and their study hours"),
        _("Source: the training-hours requirements and the study-hours ledger"),
    )
    story.p(
        "；".join(f"{label} {count}" for _status, label, count in d.roster_counts),
        story.source,
    )
    story.table(
        [_("Person name"), _("Requirement"), _("Required"), _("Credited"), _("Met?")],
        [
            [r.name, r.kind_label or "—", r.required, r.credited]
            + [" ".join(x for x in (r.status_label, r.retraining_label) if x)]
            for r in d.roster
        ],
        [0.2, 0.24, 0.12, 0.12, 0.32],
        _("No employees in post."),
        wrap={4},
    )


def _certification(story: Story, d: EnterpriseDossier):
    story.heading(
        _("Working with a valid certificate"),
        _("Source: the certificate registry and the certificates each post requires"),
    )
    story.table(
        [_("Person name"), _("Certificate needed"), _("Certificates held"), _("Certification gap")],
        [
            [
                row.person.name,
                "、".join(row.needs) or "—",
                "；".join(
                    f"{c.certificate_type.name} {c.work_label} {c.number} {c.status_label}".replace(
                        "  ", " "
                    )
                    for c in row.certificates
                )
                or "—",
                "；".join(f"{g.needs_label}：{g.state_label}" for g in row.gaps)
                or _("Holds what the post needs"),
            ]
            for row in d.certification
        ],
        [0.14, 0.26, 0.34, 0.26],
        _("Nobody in post needs a certificate."),
    )


def _drills(story: Story, d: EnterpriseDossier):
    story.heading(
        _("Drill duties of the year"),
        _("Source: the drill duties and the drill records (submitted or accepted)"),
    )
    story.table(
        [_("Duty"), _("How often"), _("January–June"), _("July–December")]
        + [_("Drills meeting it"), _("State")],
        [
            [
                row.state.label,
                " ".join([row.how_often, *row.state.reasons]),
                row.state.done_first_half,
                row.state.done_second_half,
                "、".join(pdf_date(day) for day in row.dates) or "—",
                " ".join(
                    x for x in (row.state.status_label, pdf_date(row.state.due_date)) if x != "—"
                ),
            ]
            for row in d.duties
        ],
        [0.2, 0.26, 0.09, 0.09, 0.2, 0.16],
    )
    story.heading(_("Drill records and corrective actions"), _("Source: the drill records"))
    story.table(
        [_("Date"), _("Scenario"), _("Duties met"), _("Evacuated")]
        + [_("Review status"), _("Corrective actions")],
        [
            [
                pdf_date(r.date),
                f"{r.get_scenario_display()} {r.get_plan_type_display()}",
                r.duty_labels,
                f"{r.evacuated} / {r.headcount}",
                r.get_review_status_display(),
                "；".join(
                    f"{a.problem} → {a.measure or '—'}（{a.owner}，{pdf_date(a.due_date)}，"
                    f"{a.get_status_display()}）"
                    for a in r.corrective_actions.all()
                )
                or "—",
            ]
            for r in d.drills
        ],
        [0.13, 0.2, 0.17, 0.1, 0.1, 0.3],
        _("No drill recorded this year."),
    )


def _records(story: Story, d: EnterpriseDossier):
    story.heading(_("Offline sessions attended"), _("Source: session attendance"))
    rows = []
    for s in d.sessions:
        # A table cell cannot run over a page: the names go 60 a row under the session's.
        chunks = [s.names[i : i + NAMES_PER_ROW] for i in range(0, len(s.names), NAMES_PER_ROW)]
        rows.append(
            [
                pdf_day(s.starts_at),
                " ".join(x for x in (s.title, s.place) if x),
                s.kind_label,
                len(s.names),
                "、".join(chunks[0]),
            ]
        )
        rows.extend(["", "", "", "", "、".join(chunk)] for chunk in chunks[1:])
    story.table(
        [_("Date"), _("Session"), _("Kind"), _("Number attending"), _("People who attended")],
        rows,
        [0.13, 0.27, 0.14, 0.08, 0.38],
        _("No offline session attended."),
    )
    story.heading(
        _("Certificates issued by the platform"), _("Source: certificates issued on this platform")
    )
    story.table(
        [_("Date issued"), _("Person name"), _("Certificate"), _("Certificate number")]
        + [_("Status")],
        [
            [
                pdf_date(c.issued_on),
                c.holder.name,
                f"{c.title} {c.get_kind_display()}",
                c.number,
                c.get_status_display(),
            ]
            for c in d.issued
        ],
        [0.15, 0.13, 0.4, 0.18, 0.14],
        _("No certificate issued."),
    )
    story.heading(
        _("Reminders received"),
        _("Source: the platform's messages to the enterprise's accounts"),
    )
    story.table(
        [_("First sent"), _("Reminder"), _("Recipients"), _("Read by")],
        [
            [
                pdf_day(r.first_sent),
                r.title,
                r.recipients_label,
                f"{r.read} / {len(r.recipients)}",
            ]
            for r in d.reminders
        ],
        [0.14, 0.4, 0.36, 0.1],
        _("No reminder received this year."),
    )


def enterprise_dossier_pdf(dossier: EnterpriseDossier, *, as_of=None) -> bytes:
    """The PDF of `dossiers.enterprise.selectors.enterprise_dossier(...)`, the whole roster;
    `as_of`: a year's archived file, saying the day it stands as of instead of the printing day."""
    year = _("Year %(year)s") % {"year": dossier.year}
    printed = printed_on(dossier.today)
    if as_of is not None:
        printed = _("Yearly archive: the file as it stood on %(date)s") % {"date": pdf_date(as_of)}

    def fill(story: Story):
        _registry(story, dossier)
        _managers(story, dossier)
        _roster(story, dossier)
        _certification(story, dossier)
        _drills(story, dossier)
        _records(story, dossier)
        story.signatures([_("Signature of the principal"), _("Signature of the safety manager")])

    return document_pdf(
        title=_("Enterprise training file"),
        subject=year,
        unit=dossier.enterprise.name,
        today=dossier.today,
        fill=fill,
        subtitle=f"{dossier.enterprise.name}    {year}    {printed}",
        printed=printed,
    )
