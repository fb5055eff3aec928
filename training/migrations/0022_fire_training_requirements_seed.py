"""The three fire-training duties of 公安部61号令《机关、团体、企业、事业单位消防安全管理规定》
第三十六条 (regulations.md §4): staff of fire-safety key units at least once a year, staff of
crowded places (公众聚集场所) at least every half year, new staff before starting work.

The article says "before starting work" (上岗前); the 30 days after the hire date are the window
the office allows for the training to be recorded, and the office may change them.
Idempotent: an officer's later correction of a row is kept.
"""

from django.db import migrations

ORDER61 = "公安部61号令 第三十六条"
ROWS = [
    ("fire_key_unit_staff", "year", None, "消防安全重点单位对每名员工应当至少每年进行一次消防安全培训。"),
    ("crowded_place_staff", "half_year", None, "公众聚集场所对员工的消防安全培训应当至少每半年进行一次。"),
    ("new_staff", "", 30, "单位应当组织新上岗和进入新岗位的员工进行上岗前的消防安全培训。"),
]


def seed(apps, schema_editor):
    TopicTrainingRequirement = apps.get_model("training", "TopicTrainingRequirement")
    for applies_to, period, days, note in ROWS:
        TopicTrainingRequirement.objects.get_or_create(
            topic="fire_safety",
            applies_to=applies_to,
            defaults={
                "period": period,
                "times": 1,
                "within_days_of_hire": days,
                "source": ORDER61,
                "note": note,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("training", "0021_training_topic_and_requirements")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
