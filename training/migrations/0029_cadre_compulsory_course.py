"""The leading cadres' compulsory course (徐泾镇三年行动方案 一(一)1: 将安全生产、消防安全教育培训列入
党政领导干部的必修课程): a yearly number of study hours the town office may change. The plan fixes no
number; eight study hours (one day) is the office's starting value. Idempotent: an officer's
later correction of the row is kept."""

from django.db import migrations

SOURCE = "徐泾镇三年行动方案 一(一)1"
NOTE = "将安全生产、消防安全教育培训列入党政领导干部的必修课程；学时由镇安委办确定。"


def seed(apps, schema_editor):
    TrainingRequirement = apps.get_model("training", "TrainingRequirement")
    TrainingRequirement.objects.get_or_create(
        kind="compulsory",
        person_role="cadre",
        risk_class="",
        defaults={"hours": 8, "source": SOURCE, "note": NOTE},
    )


class Migration(migrations.Migration):
    dependencies = [("training", "0028_cadre_roles"), ("directory", "0013_person_cadre")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
