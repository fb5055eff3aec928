"""The task list in the back office: the town office lists, filters, creates and edits tasks with
their units and yearly goals; a department or village reads the tasks it has a part in.

Every queryset goes through the scoping (plan.tasklist.selectors): a task outside the viewer's
part answers 404, and only the town office reaches the forms. A plan item whose wording the town
office has not confirmed carries a notice on every screen that shows it.
"""

import django_filters
from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic

from directory.models import Department, Village
from directory.views.admin import (
    RegistryViewSet,
    ScopedEditView,
    ScopedIndexView,
    ScopedInspectView,
)
from plan.tasklist.forms import PlanItemForm, TaskForm
from plan.tasklist.models import PlanItem, Task, TaskStatus, TaskUnit, TaskUnitRole
from plan.tasklist.selectors import tasks_with_status
from plan.tasklist.services import PLAN_YEARS, task_save
from plan.tasklist.wording import unconfirmed_notice
from reports.metrics.catalogue import metric_entry

PARTS = ["一", "二", "三", "四", "五"]


# --- filters -------------------------------------------------------------------------------


def unit_choices() -> list[tuple[str, str]]:
    departments = Department.objects.order_by("sort_order", "name").values_list("pk", "name")
    villages = Village.objects.order_by("name").values_list("pk", "name")
    return [(f"d{pk}", name) for pk, name in departments] + [
        (f"v{pk}", name) for pk, name in villages
    ]


class TaskFilterSet(WagtailFilterSet):
    part = django_filters.ChoiceFilter(
        label=_("part of the plan"),
        field_name="plan_item__part",
        choices=[(part, part) for part in PARTS],
    )
    unit = django_filters.ChoiceFilter(label=_("Unit"), method="filter_unit", choices=[])
    current_status = django_filters.ChoiceFilter(
        label=_("status"), choices=TaskStatus.choices, field_name="current_status"
    )
    year = django_filters.ChoiceFilter(
        label=_("year"), method="filter_year", choices=[(y, y) for y in PLAN_YEARS]
    )

    class Meta:
        model = Task
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["unit"].extra["choices"] = unit_choices()

    def filter_unit(self, queryset, name, value):
        kind, pk = value[0], value[1:]
        if not pk.isdigit():
            return queryset.none()
        field = "department_id" if kind == "d" else "village_id"
        return queryset.filter(pk__in=TaskUnit.objects.filter(**{field: int(pk)}).values("task_id"))

    def filter_year(self, queryset, name, value):
        year = int(value)
        goals = Q(pk__in=Task.objects.filter(year_goals__year=year).values("pk"))
        return queryset.filter(goals | Q(deadline__year=year))


# --- columns -------------------------------------------------------------------------------


class PlanItemColumn(Column):
    def get_value(self, instance):
        item = instance.plan_item
        if item.confirmed:
            return item.code
        return format_html(
            '{} <span class="w-status w-status--label">{}</span>',
            item.code,
            _("wording awaits confirmation"),
        )


class UnitsColumn(Column):
    def __init__(self, name, *, role, **kwargs):
        self.role = role
        super().__init__(name, **kwargs)

    def get_value(self, instance):
        return "、".join(str(u) for u in instance.units.all() if u.role == self.role)


class StatusColumn(Column):
    def get_value(self, instance):
        status = TaskStatus(instance.current_status)
        if status == TaskStatus.OVERDUE:
            return format_html('<strong class="w-text-critical-200">{}</strong>', status.label)
        return status.label


# --- views ---------------------------------------------------------------------------------


def with_parts(queryset):
    return queryset.select_related("plan_item").prefetch_related(
        Prefetch("units", queryset=TaskUnit.objects.select_related("department", "village")),
    )


class TaskIndexView(ScopedIndexView):
    results_template_name = "plan/tasklist/task_index_results.html"

    def get_base_queryset(self):
        queryset = tasks_with_status(super().get_base_queryset(), today=timezone.localdate())
        return with_parts(queryset)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        listed = context.get("object_list") or ()
        context["unconfirmed_notice"] = unconfirmed_notice(
            task.plan_item.code for task in listed if not task.plan_item.confirmed
        )
        return context


class TaskFormMixin:
    template_name = "plan/tasklist/task_form.html"

    def save_instance(self):
        return task_save(task=self.form.instance, units=self.form.units(), goals=self.form.goals())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        task = getattr(self, "object", None)
        if task is not None and task.pk:
            codes = [] if task.plan_item.confirmed else [task.plan_item.code]
        else:
            codes = PlanItem.objects.filter(confirmed=False).values_list("code", flat=True)
        context["unconfirmed_notice"] = unconfirmed_notice(codes)
        return context


class TaskCreateView(TaskFormMixin, generic.CreateView):
    pass


class TaskEditView(TaskFormMixin, ScopedEditView):
    def get_queryset(self):
        return with_parts(super().get_queryset())


class TaskInspectView(ScopedInspectView):
    template_name = "plan/tasklist/task_inspect.html"

    def get_fields(self):
        return [
            "plan_item",
            "key",
            "title",
            "lead_units",
            "cooperating_units",
            "deadline",
            "current_status",
            "indicator_metric",
            "indicator_target",
            "deliverable",
            "year_goals",
            "completed_on",
        ]

    @cached_property
    def annotated(self):
        return tasks_with_status(Task.objects.filter(pk=self.object.pk)).get()

    def get_field_label(self, field_name, field):
        labels = {
            "lead_units": _("Lead unit"),
            "cooperating_units": _("Cooperating unit"),
            "current_status": _("status"),
            "year_goals": _("yearly goals"),
        }
        if field_name in labels:
            return labels[field_name]
        return super().get_field_label(field_name, field)

    def get_field_display_value(self, field_name, field):
        task = self.object
        if field_name == "plan_item":
            return f"{task.plan_item.code} {task.plan_item.text}"
        if field_name in ("lead_units", "cooperating_units"):
            role = TaskUnitRole.LEAD if field_name == "lead_units" else TaskUnitRole.COOPERATING
            return "、".join(str(u) for u in task.units.all() if u.role == role) or "—"
        if field_name == "current_status":
            return StatusColumn("current_status").get_value(self.annotated)
        if field_name == "indicator_metric":
            entry = metric_entry(task.indicator_metric) if task.indicator_metric else None
            return entry.label if entry else "—"
        if field_name == "year_goals":
            goals = task.year_goals.all()
            if not goals:
                return "—"
            return format_html_join(
                "",
                "<div>{}</div>",
                ((_("%(year)s: %(goal)s") % {"year": g.year, "goal": g.goal},) for g in goals),
            )
        return super().get_field_display_value(field_name, field)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        item = self.object.plan_item
        context["unconfirmed_notice"] = unconfirmed_notice([] if item.confirmed else [item.code])
        return context


class TaskViewSet(RegistryViewSet):
    model = Task
    form_class = TaskForm
    index_view_class = TaskIndexView
    add_view_class = TaskCreateView
    edit_view_class = TaskEditView
    inspect_view_class = TaskInspectView
    filterset_class = TaskFilterSet
    add_to_admin_menu = False
    icon = "tasks"
    name = "plan_tasks"
    url_prefix = "plan/tasks"
    export_kind = "tasks"
    list_per_page = 50
    search_fields = ["title", "key", "plan_item__code"]
    list_display = [
        "key",
        PlanItemColumn("plan_item", label=_("plan item")),
        "title",
        UnitsColumn("lead", label=_("Lead unit"), role=TaskUnitRole.LEAD),
        "deadline",
        StatusColumn("current_status", label=_("status")),
    ]


class PlanItemIndexView(ScopedIndexView):
    results_template_name = "plan/tasklist/task_index_results.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        listed = context.get("object_list") or ()
        context["unconfirmed_notice"] = unconfirmed_notice(
            item.code for item in listed if not item.confirmed
        )
        return context


class PlanItemViewSet(RegistryViewSet):
    """The plan's items: the town office confirms each one's wording against the issued plan."""

    model = PlanItem
    form_class = PlanItemForm
    index_view_class = PlanItemIndexView
    add_to_admin_menu = False
    icon = "list-ol"
    name = "plan_items"
    url_prefix = "plan/items"
    list_per_page = 100
    search_fields = ["code", "text"]
    list_display = ["code", "section", "text", "confirmed"]
    list_filter = ["part", "confirmed"]
