"""Charts drawn on the server as SVG: they print, and need no JavaScript.

`trend_svg` draws a metric's monthly trend (percent, or a count) as a polyline with a point and a
value label per month, the month names along the bottom, and the target as a dashed line.
"""

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

WIDTH, HEIGHT = 360, 160
LEFT, RIGHT, TOP, BOTTOM = 34, 10, 14, 24


def _fmt(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def trend_svg(
    points: list[tuple[int, float | None]],
    *,
    target: float | None = None,
    maximum: float | None = None,
    unit: str = "%",
    title: str = "",
) -> SafeString:
    """An SVG line chart of (month, value) points; None values leave a gap."""
    values = [v for _m, v in points if v is not None]
    top_value = maximum or max([*values, target or 0, 1])
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(month: int) -> float:
        return LEFT + plot_w * (month - 1) / 11

    def y(value: float) -> float:
        return TOP + plot_h * (1 - min(value, top_value) / top_value)

    parts = [
        format_html(
            '<line x1="{}" y1="{}" x2="{}" y2="{}" class="axis" stroke="#999"/>',
            LEFT,
            TOP + plot_h,
            LEFT + plot_w,
            TOP + plot_h,
        ),
        format_html(
            '<text x="{}" y="{}" font-size="9" text-anchor="end">{}{}</text>',
            LEFT - 3,
            TOP + 3,
            _fmt(top_value),
            unit,
        ),
        format_html(
            '<text x="{}" y="{}" font-size="9" text-anchor="end">0</text>', LEFT - 3, TOP + plot_h
        ),
        format_html_join(
            "",
            '<text x="{}" y="{}" font-size="9" text-anchor="middle">{}</text>',
            ((_fmt(x(m)), HEIGHT - 8, f"{m}月") for m in range(1, 13)),
        ),
    ]
    if target is not None:
        parts.append(
            format_html(
                '<line x1="{}" y1="{}" x2="{}" y2="{}" class="target" stroke="#c00" '
                'stroke-dasharray="4 3"/><text x="{}" y="{}" font-size="9" fill="#c00" '
                'text-anchor="end">{}{}</text>',
                LEFT,
                _fmt(y(target)),
                LEFT + plot_w,
                _fmt(y(target)),
                LEFT + plot_w,
                _fmt(y(target) - 3),
                _fmt(target),
                unit,
            )
        )
    drawn = [(m, v) for m, v in points if v is not None]
    if drawn:
        coords = " ".join(f"{_fmt(x(m))},{_fmt(y(v))}" for m, v in drawn)
        parts.append(
            format_html(
                '<polyline points="{}" class="trend" fill="none" stroke="#2a6ebb" '
                'stroke-width="2"/>',
                coords,
            )
        )
        parts.append(
            format_html_join(
                "",
                '<circle cx="{}" cy="{}" r="2.5" fill="#2a6ebb"><title>{}月 {}{}</title></circle>',
                ((_fmt(x(m)), _fmt(y(v)), m, _fmt(v), unit) for m, v in drawn),
            )
        )
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" width="{}" height="{}" '
        'role="img" aria-label="{}" class="trend-chart"><title>{}</title>{}</svg>',
        WIDTH,
        HEIGHT,
        WIDTH,
        HEIGHT,
        title,
        title,
        format_html_join("", "{}", ((part,) for part in parts)),
    )


def metric_trend_svg(figures) -> SafeString:
    """The trend chart of a dashboard's MetricFigures (reports.selectors.coverage)."""
    from reports.metrics import Kind

    if not figures.has_data:
        return SafeString("")
    if figures.metric.kind == Kind.COUNT:
        points = [(m, float(x.numerator)) for m, x in figures.trend]
        target = figures.target.target_count if figures.target else None
        return trend_svg(points, target=target, unit="", title=str(figures.metric.label))
    points = [(m, x.percent) for m, x in figures.trend]
    target = figures.target.target_percent if figures.target else None
    return trend_svg(points, target=target, maximum=100, title=str(figures.metric.label))
