"""Sections that apps above reports add to a unit's monthly report (the plan's task progress).

reports imports none of those apps: each registers its section from its AppConfig.ready(). A
section is shown on the report's screen, edited in the same form as the narrative (saved in the
same transaction by `reports.services.monthly`), and frozen when the report is submitted; the
task counts the report carries (`tasks_total`, `tasks_done`) are what the sections' freezing
returns, never typed.
"""

from dataclasses import dataclass
from typing import Any, Protocol

from directory.models import User


@dataclass(frozen=True)
class TaskCounts:
    """The unit's tasks at submission and how many of them were completed."""

    total: int = 0
    done: int = 0

    def __add__(self, other: "TaskCounts") -> "TaskCounts":
        return TaskCounts(self.total + other.total, self.done + other.done)


class ReportSection(Protocol):
    key: str
    # Rendered with the context of `context()` (plus `editable`) inside the report's page.
    template_name: str

    def form(self, *, user: User, report, data=None, files=None) -> Any:
        """What the unit edits: an object with is_valid() and a `payload` for `save()` once
        valid (None for a section that nothing edits)."""

    def context(self, *, user: User, report, form, editable: bool) -> dict: ...

    def save(self, *, user: User, report, payload) -> None:
        """Write the unit's edits; called inside the report's save, after its state checks."""

    def freeze(self, *, user: User | None, report, today, cache: dict | None = None) -> TaskCounts:
        """Fix the section's figures at submission; called inside the report's submission.
        `cache` lets a caller freezing many reports (the demo) share what it reads."""


_SECTIONS: dict[str, ReportSection] = {}


def report_section_register(section: ReportSection) -> None:
    """Add a section to every unit's monthly report; registering the same key again replaces it."""
    _SECTIONS[section.key] = section


def report_sections() -> list[ReportSection]:
    return list(_SECTIONS.values())


def report_section(key: str) -> ReportSection:
    return _SECTIONS[key]
