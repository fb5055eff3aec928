"""一人一档 on paper, as an inspector files it: every section of the page with its source, the
enterprise and the printing date on every page, 第 x 页 共 y 页, and signature lines."""

from django.utils.translation import gettext as _

from dossiers.pdf import Story, document_pdf
from dossiers.pdf import pdf_date as _date
from dossiers.pdf import pdf_day as _day
from dossiers.person.selectors import PersonDossier


def _identity(story: Story, d: PersonDossier):
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
    story.heading(_("Identity"), _("Source: the registry"))
    story.facts(facts)


def _sections(story: Story, d: PersonDossier):
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


def _records(story: Story, d: PersonDossier):
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


def person_dossier_pdf(dossier: PersonDossier) -> bytes:
    """The PDF of `dossiers.person.selectors.person_dossier(...)`."""
    printed = None
    if dossier.until is not None:
        printed = _("Yearly archive: the file as it stood on %(date)s") % {
            "date": _date(dossier.until)
        }

    def fill(story: Story):
        _identity(story, dossier)
        _sections(story, dossier)
        _records(story, dossier)
        story.signatures(
            [_("Signature of the person"), _("Signature of the enterprise safety manager")]
        )

    return document_pdf(
        title=_("Personal training file"),
        subject=dossier.person.name,
        unit=dossier.unit_name or "—",
        today=dossier.today,
        fill=fill,
        printed=printed,
    )
