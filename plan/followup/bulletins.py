"""The monthly bulletin's content and its PDF: each unit's tasks with the month's progress, and
the units praised and lagging by one stated rule (docs/plan.md, "Bulletins").

A unit is praised when it sent the month's report by the 25th, has at least one task and none of
its tasks is overdue at the end of the month. It is lagging when it has not sent the month's report
or one of its tasks is overdue. Every other unit is named in the table only.
"""

import calendar
import datetime
import io
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from config.pdf import cjk_font, paragraph_style, pdf_canvas
from directory.constants import TOWN_OFFICE_NAME
from directory.messages import date_text
from plan.tasklist.models import Task, TaskProgress, TaskStatus, TaskUnit, TaskUnitRole
from plan.tasklist.selectors import tasks_with_status
from reports.models import SENT_STATUSES
from reports.selectors.monthly import ReportingUnit, due_date, month_statuses


@dataclass
class TaskLine:
    key: str
    title: str
    role: str
    status: str
    status_label: str
    percent: int | None = None
    progress: str = ""
    problems: str = ""


@dataclass
class UnitLine:
    unit: ReportingUnit
    sent: bool
    on_time: bool
    tasks: list[TaskLine] = field(default_factory=list)

    @property
    def overdue(self) -> list[TaskLine]:
        return [t for t in self.tasks if t.status == TaskStatus.OVERDUE]

    @property
    def praised(self) -> bool:
        return self.sent and self.on_time and bool(self.tasks) and not self.overdue

    @property
    def lagging(self) -> bool:
        return not self.sent or bool(self.overdue)

    def lagging_reasons(self) -> str:
        reasons = []
        if not self.sent:
            reasons.append(_("monthly report not sent"))
        if self.overdue:
            reasons.append(
                _("overdue tasks: %(tasks)s") % {"tasks": "、".join(t.title for t in self.overdue)}
            )
        return "；".join(reasons)


@dataclass
class BulletinData:
    year: int
    month: int
    as_of: datetime.date
    units: list[UnitLine]

    @property
    def praised(self) -> list[UnitLine]:
        return [u for u in self.units if u.praised]

    @property
    def lagging(self) -> list[UnitLine]:
        return [u for u in self.units if u.lagging]


def month_end(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def bulletin_data(*, year: int, month: int, today: datetime.date | None = None) -> BulletinData:
    """Every reporting unit with its tasks as of the month's end (or today, within the month)
    and the progress of its report when sent; a fixed number of queries whatever the size."""
    today = today or timezone.localdate()
    as_of = min(today, month_end(year, month))
    tasks = {t.pk: t for t in tasks_with_status(Task.objects.all(), today=as_of)}
    labels = dict(TaskStatus.choices)
    progress = {}
    rows = TaskProgress.objects.filter(
        report__year=year, report__month=month, report__status__in=SENT_STATUSES
    ).values(
        "task_id", "report__department_id", "report__village_id", "percent", "progress", "problems"
    )
    for row in rows:
        kind = "department" if row["report__department_id"] else "village"
        unit_pk = row["report__department_id"] or row["report__village_id"]
        progress[kind, unit_pk, row["task_id"]] = row
    parts = defaultdict(list)
    for part in TaskUnit.objects.values("task_id", "department_id", "village_id", "role"):
        kind = "department" if part["department_id"] else "village"
        parts[kind, part["department_id"] or part["village_id"]].append(part)
    due = due_date(year, month)
    units = []
    for status in month_statuses(year, month):
        unit = status.unit
        report = status.report
        sent = status.sent
        on_time = bool(
            sent and report.submitted_at and timezone.localdate(report.submitted_at) <= due
        )
        line = UnitLine(unit, sent, on_time)
        for part in parts.get((unit.kind, unit.pk), []):
            task = tasks[part["task_id"]]
            done = progress.get((unit.kind, unit.pk, task.pk), {})
            line.tasks.append(
                TaskLine(
                    key=task.key,
                    title=task.title,
                    role=str(TaskUnitRole(part["role"]).label),
                    status=task.current_status,
                    status_label=str(labels[task.current_status]),
                    percent=done.get("percent"),
                    progress=done.get("progress", ""),
                    problems=done.get("problems", ""),
                )
            )
        line.tasks.sort(key=lambda t: t.key)
        units.append(line)
    return BulletinData(year, month, as_of, units)


# --- PDF ------------------------------------------------------------------------------------


def _cell(text, size=8.5) -> Paragraph:
    escaped = str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return Paragraph(escaped, paragraph_style(size=size, leading=size * 1.3))


def _table(header: list, rows: list[list], widths: list[float]) -> Table:
    table = Table(
        [[_cell(c) for c in header]] + [[_cell(c) for c in r] for r in rows],
        colWidths=widths,
        repeatRows=1,
    )
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), cjk_font()),
                ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef7")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def bulletin_pdf(data: BulletinData, *, number: str, issued_on: datetime.date) -> bytes:
    buffer = io.BytesIO()
    period = f"{data.year}年{data.month}月"
    title = _("Bulletin on the task list in %(month)s") % {"month": period}

    def canvasmaker(filename, **kwargs):
        return pdf_canvas(filename, pagesize=A4, title=f"{number} {title}")

    doc = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=16 * mm, rightMargin=16 * mm, topMargin=16 * mm
    )
    heading = paragraph_style("heading", size=16, alignment=1)
    section = paragraph_style("section", size=12, spaceBefore=8, spaceAfter=4)
    body = paragraph_style(size=10)
    story = [
        Paragraph(_("Xujing town work-safety bulletin"), heading),
        Paragraph(number, paragraph_style("number", size=11, alignment=1, spaceAfter=6)),
        Paragraph(title, paragraph_style("title", size=13, alignment=1, spaceAfter=8)),
        Paragraph(
            _(
                "Tasks are read as of %(as_of)s. Praised: the monthly report sent by the 25th, "
                "at least one task and none overdue. Lagging: the monthly report not sent, or a "
                "task overdue."
            )
            % {"as_of": date_text(data.as_of)},
            body,
        ),
        Paragraph(_("1. Units praised"), section),
        Paragraph("、".join(u.unit.name for u in data.praised) or _("None this month."), body),
        Paragraph(_("2. Units lagging"), section),
    ]
    lagging = [[u.unit.name, u.lagging_reasons()] for u in data.lagging]
    if lagging:
        story.append(_table([_("Responsible unit"), _("Reason")], lagging, [40 * mm, 138 * mm]))
    else:
        story.append(Paragraph(_("None this month."), body))
    story.append(Paragraph(_("3. Progress per unit and task"), section))
    rows = []
    for unit in data.units:
        sent = _("sent") if unit.sent else _("not sent")
        if not unit.tasks:
            rows.append([f"{unit.unit.name}（{sent}）", _("No tasks."), "", "", ""])
        for task in unit.tasks:
            percent = "" if task.percent is None else f"{task.percent}%"
            progress = task.progress + (
                f"（{_('Problems')}：{task.problems}）" if task.problems else ""
            )
            rows.append(
                [
                    f"{unit.unit.name}（{sent}）",
                    f"{task.key} {task.title}（{task.role}）",
                    task.status_label,
                    percent,
                    progress,
                ]
            )
    story.append(
        _table(
            [
                _("Responsible unit"),
                _("Task"),
                _("Status"),
                _("Percent complete"),
                _("Progress this month"),
            ],
            rows,
            [32 * mm, 52 * mm, 18 * mm, 16 * mm, 60 * mm],
        )
    )
    story += [
        Spacer(1, 10 * mm),
        Paragraph(TOWN_OFFICE_NAME, paragraph_style("sign", size=11, alignment=2)),
        Paragraph(date_text(issued_on), paragraph_style("date", size=11, alignment=2)),
    ]
    doc.build(story, canvasmaker=canvasmaker)
    return buffer.getvalue()
