"""Seed the special-operation catalogue and the certificate types (certificates/catalogue.py).

Idempotent: rows are matched by code, so an officer's later correction of a name is kept.
"""

from django.db import migrations


def seed(apps, schema_editor):
    from certificates.catalogue import CERTIFICATE_TYPES, SPECIAL_OPERATION_CATALOGUE

    Category = apps.get_model("certificates", "OperationCategory")
    Operation = apps.get_model("certificates", "SpecialOperation")
    CertificateType = apps.get_model("certificates", "CertificateType")
    for order, (code, name, operations) in enumerate(SPECIAL_OPERATION_CATALOGUE, start=1):
        category, _ = Category.objects.get_or_create(
            code=code, defaults={"name": name, "sort_order": order}
        )
        for op_order, (op_code, op_name, source) in enumerate(operations, start=1):
            Operation.objects.get_or_create(
                code=op_code,
                defaults={
                    "category": category,
                    "name": op_name,
                    "source": source,
                    "sort_order": op_order,
                },
            )
    for row in CERTIFICATE_TYPES:
        values = dict(row)
        CertificateType.objects.get_or_create(code=values.pop("code"), defaults=values)


class Migration(migrations.Migration):
    dependencies = [("certificates", "0001_registry")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
