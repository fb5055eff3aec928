"""The seeded certificate types' sources read in Chinese (certificates/catalogue.py): rows
seeded with the English note "(validity R)" get the catalogue's wording."""

from django.db import migrations

NOTE, CHINESE = " (validity R)", "（有效期可在此修改）"


def forwards(apps, schema_editor):
    CertificateType = apps.get_model("certificates", "CertificateType")
    for row in CertificateType.objects.filter(source__endswith=NOTE):
        row.source = row.source[: -len(NOTE)] + CHINESE
        row.save(update_fields=["source"])


class Migration(migrations.Migration):
    dependencies = [("certificates", "0011_archivable")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
