"""The town's compiled monthly report: the town's figures against targets, the trend of each
metric, the ranking of departments and villages, and who has sent the month's report — as a PDF
(reportlab, embedded CJK font, tables and line charts) and an XLSX workbook."""

import datetime
import io
from dataclasses import dataclass

from django.utils.translation import gettext as _
from reportlab.graphics.shapes import Drawing, Line, PolyLine, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from config.pdf import cjk_font, paragraph_style, pdf_canvas
from directory.exports import Sheet, xlsx_bytes
from reports.metrics import Kind, Scope
from reports.selectors.coverage import MetricFigures, dashboard_figures
from reports.selectors.monthly import UnitStatus, month_statuses


@dataclass
class TownReportData:
    year: int
    month: int
    today: datetime.date
    figures: list[MetricFigures]
    statuses: list[UnitStatus]


def town_report_data(*, year: int, month: int, today: datetime.date) -> TownReportData:
    figures = dashboard_figures(scope=Scope(), year=year, month=month, today=today)
    return TownReportData(year, month, today, figures, month_statuses(year, month))


def _value(fig: MetricFigures) -> str:
    if not fig.has_data:
        return _("No data yet")
    if fig.metric.kind == Kind.COUNT:
        return str(fig.measure.numerator)
    percent = fig.measure.percent
    return "—" if percent is None else f"{percent:.1f}%"


def _counts(fig: MetricFigures) -> str:
    if not fig.has_data or fig.measure.denominator is None:
        return ""
    return f"{fig.measure.numerator} / {fig.measure.denominator}"


def _target(fig: MetricFigures) -> tuple[str, str]:
    if fig.target is None:
        return "", ""
    value = fig.target.value
    unit = "%" if fig.target.target_percent is not None else ""
    if fig.target_per_department:
        unit = _("per department")
    return f"{value}{unit}", f"{fig.target.deadline:%Y-%m-%d}"


def _gap(gap) -> str:
    if gap is None:
        return ""
    return f"{gap:.1f}" if isinstance(gap, float) else str(gap)


def metric_rows(data: TownReportData) -> list[list]:
    rows = []
    for fig in data.figures:
        target, deadline = _target(fig)
        rows.append(
            [str(fig.metric.label), _counts(fig), _value(fig), target, deadline, _gap(fig.gap)]
        )
    return rows


def ranking_rows(data: TownReportData, by: str) -> list[list]:
    rows = []
    for fig in data.figures:
        for rank, row in enumerate(fig.rankings.get(by, []), start=1):
            value = (
                f"{row.measure.percent:.1f}%"
                if fig.metric.kind == Kind.RATE and row.measure.percent is not None
                else str(row.measure.numerator)
            )
            rows.append([str(fig.metric.label), rank, row.name, value, _gap(row.gap)])
    return rows


def status_rows(data: TownReportData) -> list[list]:
    rows = []
    for status in data.statuses:
        report = status.report
        rows.append(
            [
                status.unit.name,
                report.get_status_display() if report else _("Not started"),
                f"{report.submitted_at:%Y-%m-%d}" if report and report.submitted_at else "",
                # Counted from the task list when the report was submitted (none before).
                f"{report.tasks_done}/{report.tasks_total}" if report and report.sent else "",
            ]
        )
    return rows


def _headers():
    return {
        "metrics": [_("Metric"), _("Covered"), _("Actual"), _("Target"), _("Deadline"), _("Gap")],
        "ranking": [_("Metric"), _("Rank"), _("Unit"), _("Actual"), _("Gap")],
        "status": [_("Unit"), _("Status"), _("Submitted"), _("Tasks done")],
    }


# --- PDF ------------------------------------------------------------------------------------


def _table(header: list, rows: list[list], widths: list[float]) -> Table:
    body = [[Paragraph(str(c), paragraph_style(size=8.5, leading=11)) for c in header]]
    body += [[Paragraph(str(c), paragraph_style(size=8.5, leading=11)) for c in r] for r in rows]
    table = Table(body, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                # Cells without a Paragraph would otherwise set reportlab's Helvetica.
                ("FONTNAME", (0, 0), (-1, -1), cjk_font()),
                ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef7")),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    return table


def trend_drawing(fig: MetricFigures, width: float = 170 * mm, height: float = 45 * mm) -> Drawing:
    """The metric's monthly trend as reportlab shapes: the same chart as the dashboard's SVG."""
    font = cjk_font()
    left, bottom, right, top = 30, 18, 10, 16
    plot_w, plot_h = width - left - right, height - bottom - top
    is_rate = fig.metric.kind == Kind.RATE
    values = [(m, x.percent if is_rate else x.numerator) for m, x in fig.trend]
    target = fig.target.value if fig.target else None
    top_value = 100 if is_rate else max([v or 0 for _m, v in values] + [target or 0, 1])
    drawing = Drawing(width, height, initialFontName=font, initialFontSize=8)

    def x(month):
        return left + plot_w * (month - 1) / 11

    def y(value):
        return bottom + plot_h * min(value, top_value) / top_value

    drawing.add(String(0, height - 10, str(fig.metric.label), fontName=font, fontSize=9))
    drawing.add(Line(left, bottom, left + plot_w, bottom, strokeColor=colors.grey))
    drawing.add(Line(left, bottom, left, bottom + plot_h, strokeColor=colors.grey))
    unit = "%" if is_rate else ""
    drawing.add(String(2, bottom + plot_h - 3, f"{top_value:g}{unit}", fontName=font, fontSize=7))
    for m in range(1, 13):
        drawing.add(String(x(m) - 5, 4, f"{m}月", fontName=font, fontSize=7))
    if target is not None:
        drawing.add(
            Line(
                left,
                y(target),
                left + plot_w,
                y(target),
                strokeColor=colors.red,
                strokeDashArray=[4, 3],
            )
        )
    points = [(x(m), y(v)) for m, v in values if v is not None]
    if points:
        flat = [c for p in points for c in p]
        drawing.add(PolyLine(flat, strokeColor=colors.HexColor("#2a6ebb"), strokeWidth=1.5))
    return drawing


def town_report_pdf(data: TownReportData) -> bytes:
    buffer = io.BytesIO()
    title = _("Xujing work-safety training monthly report, %(year)s-%(month)s") % {
        "year": data.year,
        "month": data.month,
    }

    def canvasmaker(filename, **kwargs):
        return pdf_canvas(filename, pagesize=kwargs.get("pagesize", A4), title=title)

    doc = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=16 * mm
    )
    heading = paragraph_style("heading", size=15)
    section = paragraph_style("section", size=12, spaceBefore=8, spaceAfter=4)
    headers = _headers()
    story = [
        Paragraph(title, heading),
        Paragraph(
            _("Figures at the end of %(year)s-%(month)s.")
            % {"year": data.year, "month": data.month}
            + f" {data.today:%Y-%m-%d}",
            paragraph_style(size=9),
        ),
        Spacer(1, 4 * mm),
        Paragraph(_("Metrics against targets"), section),
        _table(
            headers["metrics"],
            metric_rows(data),
            [52 * mm, 24 * mm, 22 * mm, 18 * mm, 24 * mm, 20 * mm],
        ),
        Paragraph(_("Trend by month"), section),
    ]
    for fig in data.figures:
        if fig.has_data:
            story += [trend_drawing(fig), Spacer(1, 3 * mm)]
    for by, label in (
        ("department", _("Ranking of departments")),
        ("village", _("Ranking of villages")),
    ):
        rows = ranking_rows(data, by)
        if rows:
            story += [
                Paragraph(label, section),
                _table(headers["ranking"], rows, [52 * mm, 14 * mm, 50 * mm, 24 * mm, 20 * mm]),
            ]
    story += [
        Paragraph(_("Monthly reports of the units"), section),
        _table(headers["status"], status_rows(data), [60 * mm, 40 * mm, 34 * mm, 26 * mm]),
    ]
    doc.build(story, canvasmaker=canvasmaker)
    return buffer.getvalue()


def town_report_xlsx(data: TownReportData) -> bytes:
    headers = _headers()
    content, _rows = xlsx_bytes(
        [
            Sheet(_("Metrics against targets"), headers["metrics"], metric_rows(data)),
            Sheet(
                _("Ranking of departments"), headers["ranking"], ranking_rows(data, "department")
            ),
            Sheet(_("Ranking of villages"), headers["ranking"], ranking_rows(data, "village")),
            Sheet(_("Monthly reports of the units"), headers["status"], status_rows(data)),
        ]
    )
    return content
