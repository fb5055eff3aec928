"""Principals and safety managers of units outside the management-certificate list are trained
within 6 months of taking the post (regulations.md §3); construction and road-transport units'
managers take the assessment instead (安全生产法 第二十七条), so they get rows of their own
without that deadline.

Idempotent: an officer's later correction of a row is kept.
"""

from django.db import migrations

REG3 = "《生产经营单位安全培训规定》"
MANAGERS = ("principal", "safety_manager")
SOURCE_6M = REG3 + "第九条；非高危单位主要负责人、安全管理人员任职后6个月内完成培训（regulations.md §3）"
ASSESSED = ("construction", "road_transport")


def seed(apps, schema_editor):
    TrainingRequirement = apps.get_model("training", "TrainingRequirement")
    for role in MANAGERS:
        TrainingRequirement.objects.filter(
            kind="initial", person_role=role, risk_class="", due_within_months__isnull=True
        ).update(due_within_months=6, source=SOURCE_6M)
        for risk in ASSESSED:
            TrainingRequirement.objects.get_or_create(
                kind="initial",
                person_role=role,
                risk_class=risk,
                defaults={
                    "hours": 32,
                    "source": REG3 + "第九条",
                    "note": "须在任职后 6 个月内通过安全生产知识和管理能力考核（安全生产法 第二十七条）。",
                },
            )


class Migration(migrations.Migration):
    dependencies = [("training", "0016_requirement_due_within_months")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
