"""Import of the task list, one row per task (`import_data tasks`).

Template columns: 任务编号, 方案条目, 任务名称, 牵头单位, 配合单位, 完成时限, 指标, 指标目标, 工作成果,
2024年目标, 2025年目标, 2026年目标, 状态, 完成日期. A row is known by its 任务编号: importing the
same file twice changes nothing. Units are named as the registry names them, separated by 、;
各成员单位 stands for every member department, 各村居 for every village. A deadline may be a date
or the plan's own words (2024年4月中旬, 2024年5月底前, 2024年底前). A row naming an unknown unit
or plan item, or a bad date, is refused with its row number, and then nothing is written
(directory.importing.services.import_file).
"""

import calendar
import datetime
import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields
from import_export.instance_loaders import BaseInstanceLoader
from import_export.widgets import Widget

from directory.identifiers import normalize_code, normalize_text
from directory.importing.base import RegistryResource
from directory.importing.widgets import DateWidget, LookupWidget, TextWidget, WordWidget
from directory.models import Department, Village
from plan.tasklist.models import PlanItem, Task, TaskStatus, TaskUnitRole
from plan.tasklist.services import PLAN_YEARS, task_goals_set, task_units_set
from reports.metrics.catalogue import CATALOGUE

# The Chinese words of the template (Chinese whatever the interface language).
STATUS_NAMES = {
    TaskStatus.NOT_STARTED: "未开始",
    TaskStatus.IN_PROGRESS: "推进中",
    TaskStatus.DONE: "已完成",
}
STATUS_WORDS = {
    **{name: value for value, name in STATUS_NAMES.items()},
    "进行中": TaskStatus.IN_PROGRESS,
    "完成": TaskStatus.DONE,
}
# Words standing for a group of units.
ALL_DEPARTMENTS = "各成员单位"
ALL_VILLAGES = "各村居"
UNIT_SEPARATORS = re.compile(r"[、,，;；/\s]+")
GOAL_COLUMNS = {year: f"{year}年目标" for year in PLAN_YEARS}

# The plan's way of naming a deadline: 2024年底前, 2024年5月底前, 2024年4月中旬(前).
YEAR_END = re.compile(r"^(\d{4})年(?:年)?底(?:前)?$")
MONTH_END = re.compile(r"^(\d{4})年(\d{1,2})月(?:底|末)(?:前)?$")
MONTH_PART = re.compile(r"^(\d{4})年(\d{1,2})月(上旬|中旬|下旬)(?:前)?$")
# 中旬 → the 15th, as the town office reads "mid-April"; 上旬 the 10th; 下旬 the month's end.
PART_DAYS = {"上旬": 10, "中旬": 15}


def plan_date(text: str) -> datetime.date | None:
    """A deadline in the plan's words, or None when the text is not one."""
    text = normalize_text(text).replace(" ", "")
    if match := YEAR_END.match(text):
        return datetime.date(int(match[1]), 12, 31)
    if match := MONTH_END.match(text):
        year, month = int(match[1]), int(match[2])
        if 1 <= month <= 12:
            return datetime.date(year, month, calendar.monthrange(year, month)[1])
    if match := MONTH_PART.match(text):
        year, month = int(match[1]), int(match[2])
        if 1 <= month <= 12:
            day = PART_DAYS.get(match[3]) or calendar.monthrange(year, month)[1]
            return datetime.date(year, month, day)
    return None


class PlanDateWidget(DateWidget):
    """A deadline: a date, or the plan's words; within the plan's years; required."""

    def clean(self, value, row=None, **kwargs):
        if value is None or normalize_text(value) == "":
            raise ValueError(_("This column must not be empty."))
        day = plan_date(value) if isinstance(value, str) else None
        if day is None:
            try:
                day = super().clean(value, row, **kwargs)
            except ValueError:
                raise ValueError(
                    _(
                        "“%(value)s” is not a date; write it as 2024-05-31, or as the plan does "
                        "(2024年5月底前, 2024年4月中旬, 2024年底前)."
                    )
                    % {"value": normalize_text(value)}
                ) from None
        if day.year not in PLAN_YEARS:
            raise ValueError(
                _("%(date)s is outside the plan's years (%(first)s–%(last)s).")
                % {"date": day.isoformat(), "first": PLAN_YEARS[0], "last": PLAN_YEARS[-1]}
            )
        return day


class UnitsWidget(Widget):
    """Units named by the registry's names, separated by 、; 各成员单位 and 各村居 for groups.

    Cleans to a list of ("department" | "village", id, named): `named` is False for a unit
    that only a group word brought in."""

    def __init__(self, *, required: bool):
        super().__init__()
        self.required = required
        self.departments: dict[str, int] = {}
        self.villages: dict[str, int] = {}
        self.members: list[int] = []

    def clean(self, value, row=None, **kwargs):
        words = [w for w in UNIT_SEPARATORS.split(normalize_text(value)) if w]
        if not words:
            if self.required:
                raise ValueError(_("This column must not be empty."))
            return []
        units, unknown = {}, []
        for word in words:
            if word == ALL_DEPARTMENTS:
                for pk in self.members:
                    units.setdefault(("department", pk), False)
            elif word == ALL_VILLAGES:
                for pk in self.villages.values():
                    units.setdefault(("village", pk), False)
            elif word in self.departments:
                units[("department", self.departments[word])] = True
            elif word in self.villages:
                units[("village", self.villages[word])] = True
            else:
                unknown.append(word)
        if unknown:
            raise ValueError(
                _("No department or village named “%(value)s” is registered.")
                % {"value": "、".join(unknown)}
            )
        return [(kind, pk, named) for (kind, pk), named in units.items()]

    def render(self, value, obj=None, **kwargs):
        return value or ""


class MetricWidget(Widget):
    """指标: a metric of the platform's catalogue, by its code or its Chinese name; or empty."""

    def clean(self, value, row=None, **kwargs):
        text = normalize_text(value)
        if not text:
            return ""
        with translation.override("zh-hans"):
            names = {str(entry.label): entry.code for entry in CATALOGUE}
        codes = {entry.code for entry in CATALOGUE}
        if text in codes:
            return text
        if text in names:
            return names[text]
        raise ValueError(
            _("Unknown indicator “%(value)s”; use one of: %(choices)s.")
            % {"value": text, "choices": "、".join(names)}
        )


class TargetWidget(Widget):
    """指标目标: a number (100, 100%, 2家); empty when the task has no target."""

    def clean(self, value, row=None, **kwargs):
        if value is None or normalize_text(value) == "":
            return None
        text = normalize_text(value).rstrip("%％家人个次")
        try:
            number = Decimal(str(value) if isinstance(value, int | float) else text)
        except InvalidOperation:
            raise ValueError(
                _("“%(value)s” is not a number.") % {"value": normalize_text(value)}
            ) from None
        if number < 0 or number >= Decimal("1000000"):
            raise ValueError(_("“%(value)s” is not a number.") % {"value": normalize_text(value)})
        return number.quantize(Decimal("0.1"))


class TaskLoader(BaseInstanceLoader):
    """The file's tasks with their units and goals, fetched in three queries, keyed by 任务编号."""

    def __init__(self, resource, dataset=None):
        super().__init__(resource, dataset)
        column = resource.fields["key"].column_name
        keys = {normalize_text(value) for value in dataset[column]} - {""}
        tasks = Task.objects.filter(key__in=keys).prefetch_related("units", "year_goals")
        self.instances = {}
        for task in tasks:
            task._import_state = resource.state_of(task)
            self.instances[task.key] = task

    def get_instance(self, row):
        return self.instances.get(normalize_text(row.get(self.resource.fields["key"].column_name)))


class TaskResource(RegistryResource):
    """任务编号, 方案条目, 任务名称, 牵头单位, 配合单位, 完成时限, 指标, 指标目标, 工作成果,
    2024年目标, 2025年目标, 2026年目标, 状态, 完成日期."""

    key_field = "key"
    required_columns = ("任务编号", "方案条目", "任务名称", "牵头单位", "完成时限")

    key = fields.Field(
        attribute="key", column_name="任务编号", widget=TextWidget(required=True, max_length=40)
    )
    plan_item = fields.Field(
        attribute="plan_item",
        column_name="方案条目",
        widget=LookupWidget(
            normalize=normalize_code,
            not_found=gettext_lazy("The plan has no item “%(value)s”."),
        ),
    )
    # Called "name" as the per-row report shows it next to the task number.
    name = fields.Field(
        attribute="title",
        column_name="任务名称",
        widget=TextWidget(required=True, max_length=200),
    )
    lead = fields.Field(
        attribute="import_lead", column_name="牵头单位", widget=UnitsWidget(required=True)
    )
    cooperating = fields.Field(
        attribute="import_cooperating",
        column_name="配合单位",
        widget=UnitsWidget(required=False),
        default=(),
    )
    deadline = fields.Field(attribute="deadline", column_name="完成时限", widget=PlanDateWidget())
    indicator_metric = fields.Field(
        attribute="indicator_metric", column_name="指标", widget=MetricWidget(), default=""
    )
    indicator_target = fields.Field(
        attribute="indicator_target", column_name="指标目标", widget=TargetWidget()
    )
    deliverable = fields.Field(
        attribute="deliverable", column_name="工作成果", widget=TextWidget(max_length=2000)
    )
    goal_2024 = fields.Field(
        attribute="import_goal_2024", column_name="2024年目标", widget=TextWidget(max_length=1000)
    )
    goal_2025 = fields.Field(
        attribute="import_goal_2025", column_name="2025年目标", widget=TextWidget(max_length=1000)
    )
    goal_2026 = fields.Field(
        attribute="import_goal_2026", column_name="2026年目标", widget=TextWidget(max_length=1000)
    )
    status = fields.Field(
        attribute="status",
        column_name="状态",
        widget=WordWidget(words=STATUS_WORDS, names=STATUS_NAMES, default=TaskStatus.NOT_STARTED),
    )
    completed_on = fields.Field(
        attribute="completed_on", column_name="完成日期", widget=DateWidget()
    )

    class Meta:
        model = Task
        fields = (
            "key",
            "plan_item",
            "name",
            "lead",
            "cooperating",
            "deadline",
            "indicator_metric",
            "indicator_target",
            "deliverable",
            "goal_2024",
            "goal_2025",
            "goal_2026",
            "status",
            "completed_on",
        )
        import_id_fields = ("key",)
        instance_loader_class = TaskLoader
        # Each task's units and goals are written after it, so rows are saved one by one.
        use_bulk = False

    def __init__(self, *, viewer=None, keep_existing: bool = False):
        super().__init__(viewer=viewer)
        # The seed loader's mode: tasks already stored are left as the town office edited them.
        self.keep_existing = keep_existing

    # --- comparing: the task's fields, its units and its goals ---------------------------
    TASK_ATTNAMES = (
        "plan_item_id",
        "title",
        "deadline",
        "indicator_metric",
        "indicator_target",
        "deliverable",
        "status",
        "completed_on",
    )

    def compared_attnames(self) -> list[str]:
        return list(self.TASK_ATTNAMES)

    def state_of(self, instance) -> tuple:
        own = tuple(getattr(instance, name) for name in self.TASK_ATTNAMES)
        return (*own, self.units_of(instance), self.goals_of(instance))

    def units_of(self, instance) -> frozenset:
        if hasattr(instance, "import_lead"):
            return frozenset((kind, pk, role) for kind, pk, role in self.desired_units(instance))
        if instance.pk is None:
            return frozenset()
        return frozenset(
            (
                "department" if unit.department_id else "village",
                unit.department_id or unit.village_id,
                unit.role,
            )
            for unit in instance.units.all()
        )

    def goals_of(self, instance) -> tuple:
        if hasattr(instance, "import_goal_2024"):
            return tuple(
                (year, getattr(instance, f"import_goal_{year}"))
                for year in PLAN_YEARS
                if getattr(instance, f"import_goal_{year}")
            )
        if instance.pk is None:
            return ()
        return tuple(sorted((goal.year, goal.goal) for goal in instance.year_goals.all()))

    @staticmethod
    def desired_units(instance) -> list[tuple[str, int, str]]:
        """Lead units, then cooperating ones; a unit a group word adds as cooperating while it
        leads is left out."""
        lead = [(kind, pk, TaskUnitRole.LEAD) for kind, pk, _named in instance.import_lead]
        leading = {(kind, pk) for kind, pk, _role in lead}
        cooperating = [
            (kind, pk, TaskUnitRole.COOPERATING)
            for kind, pk, _named in instance.import_cooperating or ()
            if (kind, pk) not in leading
        ]
        return lead + cooperating

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if import_validation_errors:
            return False
        if self.keep_existing and instance.pk is not None:
            return True
        return super().skip_row(instance, original, row, import_validation_errors)

    # --- batches and rows ----------------------------------------------------------------
    def prefetch(self, dataset):
        column = self.fields["plan_item"].column_name
        codes = {normalize_code(value) for value in dataset[column]} - {""}
        self.fields["plan_item"].widget.cache = {
            item.code: item for item in PlanItem.objects.filter(code__in=codes)
        }
        departments = dict(Department.objects.values_list("name", "pk"))
        members = list(
            Department.objects.filter(is_town_office=False)
            .order_by("sort_order", "name")
            .values_list("pk", flat=True)
        )
        villages = dict(Village.objects.order_by("name").values_list("name", "pk"))
        for name in ("lead", "cooperating"):
            widget = self.fields[name].widget
            widget.departments, widget.members, widget.villages = departments, members, villages

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        self.keep_missing_columns(instance)
        if not {"import_lead", "import_cooperating"} & set(errors):
            named_lead = {(kind, pk) for kind, pk, named in instance.import_lead if named}
            named_cooperating = {
                (kind, pk) for kind, pk, named in instance.import_cooperating or () if named
            }
            if named_lead & named_cooperating:
                errors.setdefault("import_cooperating", []).append(
                    _("A unit cannot both lead and cooperate on a task.")
                )
        if instance.status == TaskStatus.DONE and instance.completed_on is None:
            errors.setdefault("completed_on", []).append(
                _("A completed task needs its completion date.")
            )
        if instance.completed_on and instance.completed_on > timezone.localdate():
            errors.setdefault("completed_on", []).append(_("The date must not be in the future."))
        if not errors:
            try:
                instance.clean()
            except ValidationError as error:
                errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def keep_missing_columns(self, instance) -> None:
        """A file without an optional column (配合单位, a year's goal) leaves what is stored."""
        if not hasattr(instance, "import_cooperating"):
            stored = [
                ("department" if u.department_id else "village", u.department_id or u.village_id)
                for u in (instance.units.all() if instance.pk else ())
                if u.role == TaskUnitRole.COOPERATING
            ]
            instance.import_cooperating = [(kind, pk, False) for kind, pk in stored]
        for year in PLAN_YEARS:
            if not hasattr(instance, f"import_goal_{year}"):
                goals = instance.year_goals.all() if instance.pk else ()
                text = next((g.goal for g in goals if g.year == year), "")
                setattr(instance, f"import_goal_{year}", text)

    def after_save_instance(self, instance, row, **kwargs):
        if instance.pk is None or kwargs.get("dry_run"):
            return
        task_units_set(task=instance, units=self.desired_units(instance))
        task_goals_set(
            task=instance,
            goals={year: getattr(instance, f"import_goal_{year}") for year in PLAN_YEARS},
        )

    # --- export: the template and the task list as the town office keeps it ---------------
    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("plan_item").prefetch_related(
            "units__department", "units__village", "year_goals"
        )

    def dehydrate_plan_item(self, task):
        return task.plan_item.code

    def _unit_names(self, task, role):
        return "、".join(str(unit) for unit in task.units.all() if unit.role == role)

    def dehydrate_lead(self, task):
        return self._unit_names(task, TaskUnitRole.LEAD)

    def dehydrate_cooperating(self, task):
        return self._unit_names(task, TaskUnitRole.COOPERATING)

    def _goal(self, task, year):
        return next((goal.goal for goal in task.year_goals.all() if goal.year == year), "")

    def dehydrate_goal_2024(self, task):
        return self._goal(task, 2024)

    def dehydrate_goal_2025(self, task):
        return self._goal(task, 2025)

    def dehydrate_goal_2026(self, task):
        return self._goal(task, 2026)

    def dehydrate_status(self, task):
        return STATUS_NAMES.get(task.status, task.status)
