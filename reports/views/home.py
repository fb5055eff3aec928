"""The back-office home: a role's "to do" panel (reports.selectors.home) on Wagtail's dashboard."""

from django.utils import timezone
from wagtail.admin.ui.components import Component

from reports.selectors.home import TodoLine, todo_lines


class TodoPanel(Component):
    name = "todo"
    template_name = "reports/home/todo_panel.html"
    order = 10

    def __init__(self, lines: list[TodoLine]):
        self.lines = lines

    def get_context_data(self, parent_context):
        return {"lines": self.lines}


def todo_panel_for(request) -> TodoPanel | None:
    lines = todo_lines(request.user, today=timezone.localdate(), now=timezone.now())
    return TodoPanel(lines) if lines else None
