"""Seed the town plan's own targets (reports.plan holds them as data)."""

from django.db import migrations


def plan_targets(apps, schema_editor):
    from reports.plan import plan_targets_create

    plan_targets_create(apps.get_model("reports", "Target"))


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]

    operations = [migrations.RunPython(plan_targets, migrations.RunPython.noop)]
