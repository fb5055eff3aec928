import datetime

import factory

from plan.models import PlanItem, Task, TaskUnit, TaskUnitRole


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
