"""Template helpers of the coverage dashboards: the SVG trend chart and percent display."""

from django import template

from reports.charts import metric_trend_svg

register = template.Library()


@register.simple_tag
def trend_chart(figures):
    return metric_trend_svg(figures)


@register.filter
def percent(value):
    """A percentage with one decimal, or an em dash when there is none."""
    if value is None:
        return "—"
    return f"{value:.1f}%"
