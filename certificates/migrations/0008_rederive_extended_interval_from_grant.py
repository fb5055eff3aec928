"""Re-derive the dates of the certificates with a 6-year review interval recorded (第二十一条), now
that the interval counts from the review at which it was granted rather than over the whole
history (certificates.rules.review_schedule). No field changes."""

from collections import defaultdict

from django.db import migrations

DERIVED = ("expires_on", "review_due_on", "invalid_since", "invalid_reason")


def rederive(apps, schema_editor):
    from certificates.rules import review_schedule  # pure functions, no models

    CertificateType = apps.get_model("certificates", "CertificateType")
    RegisteredCertificate = apps.get_model("certificates", "RegisteredCertificate")
    CertificateReview = apps.get_model("certificates", "CertificateReview")
    types = {kind.pk: kind for kind in CertificateType.objects.all()}
    extended = RegisteredCertificate.objects.filter(review_extended_on__isnull=False)
    reviews = defaultdict(list)
    for certificate_id, day, result in CertificateReview.objects.filter(
        certificate__in=extended
    ).values_list("certificate_id", "reviewed_on", "result"):
        reviews[certificate_id].append((day, result == "passed"))
    changed = []
    for certificate in extended.iterator(chunk_size=2000):
        kind = types[certificate.certificate_type_id]
        schedule = review_schedule(
            first_issued_on=certificate.first_issued_on,
            valid_until=certificate.valid_until,
            validity_years=kind.validity_years,
            review_interval_years=kind.review_interval_years,
            reviews=reviews.get(certificate.pk, ()),
            extended_interval_years=kind.extended_review_interval_years,
            extended_from=certificate.review_extended_on,
        )
        values = {name: getattr(schedule, name) for name in DERIVED}
        if any(getattr(certificate, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(certificate, name, value)
            changed.append(certificate)
    RegisteredCertificate.objects.bulk_update(changed, list(DERIVED), batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("certificates", "0007_review_rules")]

    operations = [migrations.RunPython(rederive, migrations.RunPython.noop)]
