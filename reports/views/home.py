"""The back-office home: a role's "to do" panel and this month's figures (reports.selectors.home)
on Wagtail's dashboard."""

from django.utils import timezone
from wagtail.admin.ui.components import Component

from reports.selectors.home import FigureLine, TodoLine, home_lines


class TodoPanel(Component):
    name = "todo"
    template_name = "reports/home/todo_panel.html"
    order = 10

    def __init__(self, lines: list[TodoLine]):
        self.lines = lines

    def get_context_data(self, parent_context):
        return {"lines": self.lines}


class FiguresPanel(Component):
    name = "figures"
    template_name = "reports/home/figures_panel.html"
    order = 20

    def __init__(self, lines: list[FigureLine]):
        self.lines = lines

    def get_context_data(self, parent_context):
        return {"lines": self.lines}


def home_panels_for(request) -> list[Component]:
    """The role's panels: what to do, then this month's figures (none for a learner)."""
    lines, figures = home_lines(request.user, today=timezone.localdate(), now=timezone.now())
    panels: list[Component] = []
    if lines:
        panels.append(TodoPanel(lines))
    if figures:
        panels.append(FiguresPanel(figures))
    return panels
