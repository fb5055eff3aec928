"""The plan part of seed_demo: the seed file's items and tasks, with the demo's own units."""

from directory.demo import DEMO_DEPARTMENT, DEMO_VILLAGE
from directory.models import User
from plan.models import PlanItem, Task
from plan.tasklist.selectors import tasks_visible_to


def test_the_demo_town_holds_the_plans_task_list(demo_town, db):
    assert PlanItem.objects.filter(part="二").count() == 28
    assert PlanItem.objects.filter(part="三").count() == 3
    assert Task.objects.count() >= PlanItem.objects.count()
    assert not Task.objects.filter(units__isnull=True).exists()
    # The demo department and village each take part in some tasks, not in all.
    for kind, name in (("department", DEMO_DEPARTMENT), ("village", DEMO_VILLAGE)):
        officer = User.objects.filter(**{f"{kind}__name": name}).first()
        seen = tasks_visible_to(officer).count()
        assert 0 < seen < Task.objects.count(), (kind, seen)
