"""The training-hours table of regulations.md §2, as rows the town office may then correct.

Sources: 《生产经营单位安全培训规定》(原国家安监总局令第3号, 2015 年修正) 第九条、第十二条、第十三条、
第十七条; 国务院安委会《关于进一步加强安全培训工作的决定》 (annual 8 学时 for other employees: the
number is marked R in regulations.md, so it is a row to check, not a constant).
"""

from django.db import migrations

REG3 = "《生产经营单位安全培训规定》"
DECISION = "国务院安委会《关于进一步加强安全培训工作的决定》"
HIGH = "high_risk"
CONSTRUCTION = "construction"
MANAGERS = ("principal", "safety_manager")
WORKERS = ("general_worker", "special_operator")

# (kind, roles, risk class ("" = any other), hours, three-level, source, note)
ROWS = [
    ("initial", MANAGERS, "", 32, False, REG3 + "第九条", ""),
    ("initial", MANAGERS, HIGH, 48, False, REG3 + "第九条", "须在任职后 6 个月内通过安全生产知识和管理能力考核（第二十四条）。"),
    ("annual", MANAGERS, "", 12, False, REG3 + "第九条", ""),
    ("annual", MANAGERS, HIGH, 16, False, REG3 + "第九条", ""),
    ("pre_job", WORKERS, "", 24, True, REG3 + "第十二条、第十三条", "加工、制造业等生产单位实行厂、车间、班组三级安全培训。"),
    ("pre_job", WORKERS, HIGH, 72, True, REG3 + "第十三条", ""),
    ("pre_job", WORKERS, CONSTRUCTION, 32, True, DECISION, ""),
    ("annual", WORKERS, "", 8, False, DECISION, "学时数待核实（regulations.md 标记 R）。"),
    ("annual", WORKERS, HIGH, 20, False, REG3 + "第十三条", ""),
    ("annual", WORKERS, CONSTRUCTION, 20, False, DECISION, ""),
    ("retraining", WORKERS, "", None, False, REG3 + "第十七条", "调整工作岗位或离岗一年以上重新上岗，应重新接受车间和班组级安全培训；规定未定学时。"),
]


def seed(apps, schema_editor):
    TrainingRequirement = apps.get_model("training", "TrainingRequirement")
    for kind, roles, risk, hours, three_level, source, note in ROWS:
        for role in roles:
            TrainingRequirement.objects.get_or_create(
                kind=kind,
                person_role=role,
                risk_class=risk,
                defaults={"hours": hours, "three_level": three_level, "source": source, "note": note},
            )


def unseed(apps, schema_editor):
    apps.get_model("training", "TrainingRequirement").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("training", "0005_training_requirements")]

    operations = [migrations.RunPython(seed, unseed)]
