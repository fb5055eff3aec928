"""Re-derive every registered certificate's dates with the schedule that starts at the validity
the card prints (certificates.rules.review_schedule), so cards registered with a later printed
validity read right at once rather than after the next daily job. No field changes."""

from collections import defaultdict

from django.db import migrations

DERIVED = ("expires_on", "review_due_on", "invalid_since", "invalid_reason")


def rederive(apps, schema_editor):
    from certificates.rules import review_schedule  # pure functions, no models

    CertificateType = apps.get_model("certificates", "CertificateType")
    RegisteredCertificate = apps.get_model("certificates", "RegisteredCertificate")
    CertificateReview = apps.get_model("certificates", "CertificateReview")
    types = {kind.pk: kind for kind in CertificateType.objects.all()}
    reviews = defaultdict(list)
    for certificate_id, day, result in CertificateReview.objects.values_list(
        "certificate_id", "reviewed_on", "result"
    ):
        reviews[certificate_id].append((day, result == "passed"))
    changed = []
    for certificate in RegisteredCertificate.objects.all().iterator(chunk_size=2000):
        kind = types[certificate.certificate_type_id]
        interval = kind.review_interval_years
        if certificate.review_extended_on and kind.extended_review_interval_years:
            interval = kind.extended_review_interval_years
        schedule = review_schedule(
            first_issued_on=certificate.first_issued_on,
            valid_until=certificate.valid_until,
            validity_years=kind.validity_years,
            review_interval_years=interval,
            reviews=reviews.get(certificate.pk, ()),
        )
        values = {name: getattr(schedule, name) for name in DERIVED}
        if any(getattr(certificate, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(certificate, name, value)
            changed.append(certificate)
    RegisteredCertificate.objects.bulk_update(changed, list(DERIVED), batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("certificates", "0005_job_heartbeat")]

    operations = [migrations.RunPython(rederive, migrations.RunPython.noop)]
