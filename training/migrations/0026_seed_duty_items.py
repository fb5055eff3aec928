"""The 五带头 items, seeded as faithful summaries of the guidance the plan cites; the exact wording
is not at hand, so each stays marked unconfirmed until the town office checks and confirms it."""

from django.db import migrations

SOURCE = "《关于进一步强化生产经营单位安全生产主体责任落实的指导意见》"
ITEMS = [
    (
        "study",
        "带头学习安全生产法律法规",
        "主要负责人带头学习安全生产法律法规、标准和上级部署，参加安全生产培训并考核合格。",
    ),
    (
        "teach",
        "带头讲授安全课",
        "主要负责人每年至少为本单位从业人员讲授一次安全生产课程。",
    ),
    (
        "inspect",
        "带头开展安全检查",
        "主要负责人定期带队检查本单位安全生产状况，每季度至少带队开展一次重大隐患自查。",
    ),
    (
        "rectify",
        "带头落实隐患整改",
        "主要负责人对检查发现的事故隐患带头组织整改，明确责任、措施、资金、时限和预案。",
    ),
    (
        "drill",
        "带头参加应急演练",
        "主要负责人带头组织并参加本单位生产安全事故应急预案演练。",
    ),
]


def seed(apps, schema_editor):
    DutyItem = apps.get_model("training", "DutyItem")
    for order, (code, title, guidance) in enumerate(ITEMS, start=1):
        DutyItem.objects.get_or_create(
            code=code,
            defaults={
                "title": title,
                "guidance": guidance,
                "source": SOURCE,
                "sort_order": order * 10,
                "wording_confirmed": False,
            },
        )


def unseed(apps, schema_editor):
    apps.get_model("training", "DutyItem").objects.filter(
        code__in=[code for code, _title, _guidance in ITEMS], wording_confirmed=False
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("training", "0025_duties")]

    operations = [migrations.RunPython(seed, unseed)]
