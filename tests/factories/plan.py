import datetime

import factory

from plan.models import PlanItem, Task, TaskProgress, TaskUnit, TaskUnitRole


class PlanItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanItem
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"二(一){n + 1}")
    part = "二"
    number = factory.Sequence(lambda n: n + 1)
    text = factory.Sequence(lambda n: f"方案条目{n + 1}")
    sort_key = factory.Sequence(lambda n: n + 1)


class TaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Task

    plan_item = factory.SubFactory(PlanItemFactory)
    title = factory.Sequence(lambda n: f"任务{n + 1}")
    key = factory.Sequence(lambda n: f"T{n + 1:03d}")
    deadline = datetime.date(2026, 12, 31)


class TaskUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TaskUnit

    task = factory.SubFactory(TaskFactory)
    role = TaskUnitRole.LEAD


class BoardReportFactory(factory.django.DjangoModelFactory):
    """A unit's monthly report as sent to the town office (give department or village)."""

    class Meta:
        model = "reports.MonthlyReport"
        django_get_or_create = ("department", "village", "year", "month")

    department = None
    village = None
    year = 2026
    month = 1
    status = "submitted"


class BoardProgressFactory(factory.django.DjangoModelFactory):
    """A line of a monthly report: a unit's progress on one task that month."""

    class Meta:
        model = TaskProgress

    task = factory.SubFactory(TaskFactory)
    report = factory.SubFactory(BoardReportFactory)
    progress = factory.Sequence(lambda n: f"本月推进情况{n + 1}")


class SubPlanRoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "plan.SubPlanRound"

    title = "子方案（三年行动方案 三(二)）"
    deadline = datetime.date(2024, 4, 15)


class DispatchMeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "plan.DispatchMeeting"

    held_on = datetime.date(2026, 6, 5)
    place = "镇政府三楼会议室"
    chair = "王镇长"
