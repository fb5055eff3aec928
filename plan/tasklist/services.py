"""Writes of the task list: a task with its units and yearly goals, and the plan's seed file.

The seed (plan/seed/plan_tasks.xlsx) is the import template of `import_data tasks` on its first
sheet (任务清单) and the plan's items on its second (方案条目). Loading it creates what is
missing and leaves what the town office has since edited alone, so a second run writes nothing.
"""

from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from directory.identifiers import normalize_code, normalize_text
from directory.importing.services import ImportReport, import_file
from directory.importing.vocabulary import YES_WORDS
from plan.tasklist.models import PlanItem, Task, TaskUnit, TaskYearGoal
from reports.plan import PLAN_YEARS

__all__ = [
    "PLAN_YEARS",
    "SEED_FILE",
    "PlanSeedError",
    "plan_items_load",
    "plan_tasks_load",
    "task_goals_set",
    "task_save",
    "task_units_set",
]

SEED_FILE = Path(__file__).resolve().parent.parent / "seed" / "plan_tasks.xlsx"
ITEMS_SHEET = "方案条目"
ITEM_COLUMNS = ("条目", "部分", "章节", "序号", "内容", "原文已核对")


class PlanSeedError(ValueError):
    """The seed file could not be loaded; the message lists every problem."""


# --- a task's units and goals --------------------------------------------------------------


def task_units_set(*, task: Task, units: list[tuple[str, int, str]]) -> None:
    """Make the task's units exactly `units`: (“department” | “village”, id, role) each."""
    wanted = {(kind, pk): role for kind, pk, role in units}
    stored = {
        (
            "department" if unit.department_id else "village",
            unit.department_id or unit.village_id,
        ): unit
        for unit in task.units.all()
    }
    gone = [unit.pk for key, unit in stored.items() if key not in wanted]
    if gone:
        TaskUnit.objects.filter(pk__in=gone).delete()
    for key, unit in stored.items():
        if key in wanted and unit.role != wanted[key]:
            unit.role = wanted[key]
            unit.save(update_fields=["role"])
    TaskUnit.objects.bulk_create(
        TaskUnit(task=task, role=role, **{f"{kind}_id": pk})
        for (kind, pk), role in wanted.items()
        if (kind, pk) not in stored
    )


def task_goals_set(*, task: Task, goals: dict[int, str]) -> None:
    """The goal of each plan year in words; an empty goal removes that year's."""
    stored = {goal.year: goal for goal in task.year_goals.all()}
    for year, text in goals.items():
        text = (text or "").strip()
        goal = stored.get(year)
        if not text:
            if goal is not None:
                goal.delete()
        elif goal is None:
            TaskYearGoal.objects.create(task=task, year=year, goal=text)
        elif goal.goal != text:
            goal.goal = text
            goal.save(update_fields=["goal"])


@transaction.atomic
def task_save(
    *,
    task: Task,
    units: list[tuple[str, int, str]],
    goals: dict[int, str],
) -> Task:
    """Create or update a task from the back office with its units and yearly goals."""
    task.full_clean()
    task.save()
    task_units_set(task=task, units=units)
    task_goals_set(task=task, goals=goals)
    return task


# --- the seed file -------------------------------------------------------------------------


def plan_items_read(path: Path) -> list[dict]:
    """The rows of the seed's 方案条目 sheet, in the plan's order."""
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        if ITEMS_SHEET not in workbook.sheetnames:
            raise PlanSeedError(_("The file has no sheet “%(sheet)s”.") % {"sheet": ITEMS_SHEET})
        rows = workbook[ITEMS_SHEET].iter_rows(values_only=True)
        headers = [normalize_text(cell) for cell in next(rows, ())]
        missing = [name for name in ITEM_COLUMNS if name not in headers]
        if missing:
            raise PlanSeedError(
                _("The file lacks the column(s): %(columns)s. Download the template to see them.")
                % {"columns": "、".join(missing)}
            )
        index = {name: headers.index(name) for name in ITEM_COLUMNS}
        items = []
        for number, cells in enumerate(rows, start=2):
            if not any(cells):
                continue
            code = normalize_code(cells[index["条目"]])
            text = normalize_text(cells[index["内容"]])
            if not code or not text:
                raise PlanSeedError(
                    _("Sheet %(sheet)s, row %(row)s: the item and its text must not be empty.")
                    % {"sheet": ITEMS_SHEET, "row": number}
                )
            item_number = cells[index["序号"]]
            items.append(
                {
                    "code": code,
                    "part": normalize_text(cells[index["部分"]]),
                    "section": normalize_text(cells[index["章节"]]),
                    "number": int(item_number) if item_number not in (None, "") else None,
                    "text": text,
                    "confirmed": normalize_code(cells[index["原文已核对"]]) in YES_WORDS,
                }
            )
        return items
    finally:
        workbook.close()


def plan_items_load(items: list[dict]) -> int:
    """Create the plan items that are missing (in the file's order); returns how many."""
    stored = set(PlanItem.objects.values_list("code", flat=True))
    new = [
        PlanItem(sort_key=(order + 1) * 10, **item)
        for order, item in enumerate(items)
        if item["code"] not in stored
    ]
    PlanItem.objects.bulk_create(new)
    return len(new)


@dataclass
class PlanSeedResult:
    items_created: int
    report: ImportReport

    @property
    def tasks_created(self) -> int:
        return self.report.counts["new"]


def plan_tasks_load(*, path: Path = SEED_FILE) -> PlanSeedResult:
    """Load the plan's items and tasks from the seed file: what is missing is created, what is
    stored is left as it is. All or nothing: with any bad row, PlanSeedError and no write."""
    with transaction.atomic():
        created = plan_items_load(plan_items_read(path))
        report = import_file(
            kind="tasks", path=path, dry_run=False, options={"keep_existing": True}
        )
        if not report.ok:
            raise PlanSeedError("\n".join(report.lines()))
    return PlanSeedResult(items_created=created, report=report)
