"""The certificate registry's part of `seed_scale`: registered certificates.

Special operators hold most cards (special-operation cards naming a catalogue operation, some
special-equipment or construction cards), principals and safety managers the management-ability
card, a few other employees a special-equipment card; one holder in twenty has lost theirs (none
registered). First issue dates spread over the last eight years, so some cards are valid, some in
their review window, some past a missed review or expired; one in a hundred is revoked. The
derived dates are the registry's own (`rules.review_schedule`, no reviews recorded).
"""

import datetime
import importlib

from django.utils import timezone

from certificates.catalogue import (
    CONSTRUCTION_SPECIAL,
    MANAGEMENT_ABILITY,
    SPECIAL_EQUIPMENT,
    SPECIAL_OPERATION,
)
from certificates.models import CertificateType, RegisteredCertificate, SpecialOperation
from certificates.rules import add_years, review_schedule
from directory.models import Person
from directory.scale import Scale
from directory.scale_load import rows_by_pk, rows_load, seeded, spread, tables_analyse

ROLES = ("is_principal", "is_safety_manager", "is_special_operator", "is_inspector")


def _weight(rng, roles) -> float:
    principal, manager, operator, inspector = roles
    if inspector or rng.random() < 0.05:
        return 0.0
    if operator:
        return 4.0
    if principal or manager:
        return 2.0
    return 0.15


def _kind(rng, roles) -> str:
    principal, manager, operator, _inspector = roles
    if operator:
        draw = rng.random()
        if draw < 0.6:
            return SPECIAL_OPERATION
        return SPECIAL_EQUIPMENT if draw < 0.85 else CONSTRUCTION_SPECIAL
    return MANAGEMENT_ABILITY if principal or manager else SPECIAL_EQUIPMENT


def certificates_seed(scale: Scale, today: datetime.date) -> int:
    rng = seeded(scale.name, "certificates")
    people = [row for chunk in rows_by_pk(Person.objects.all(), ROLES) for row in chunk]
    counts = spread(rng, [_weight(rng, row[1:]) for row in people], scale.certificates)
    types = {t.code: t for t in CertificateType.objects.all()}
    operations = list(SpecialOperation.objects.order_by("code").values_list("pk", flat=True))

    def rows():
        for index, ((pk, *roles), count) in enumerate(zip(people, counts, strict=True)):
            for n in range(count):
                kind = types[_kind(rng, roles)]
                years_back = rng.random() * (3.2 if rng.random() < 0.7 else 8)
                first = today - datetime.timedelta(days=int(years_back * 365))
                valid_until = add_years(first, kind.validity_years)
                schedule = review_schedule(
                    first_issued_on=first,
                    valid_until=valid_until,
                    validity_years=kind.validity_years,
                    review_interval_years=kind.review_interval_years,
                    reviews=[],
                )
                revoked = rng.random() < 0.01
                operation = (
                    operations[rng.randrange(len(operations))] if kind.needs_operation else None
                )
                yield (
                    pk,
                    kind.pk,
                    operation,
                    "" if kind.needs_operation else kind.name[:20],
                    f"{scale.name[0].upper()}{index:07d}-{n + 1}",
                    kind.issuer or "应急管理部门",
                    first,
                    valid_until,
                    schedule.expires_on,
                    schedule.review_due_on,
                    schedule.invalid_since,
                    schedule.invalid_reason,
                    max(first, today - datetime.timedelta(days=rng.randrange(30)))
                    if revoked
                    else None,
                    "违章作业，发证机关撤销" if revoked else "",
                )

    fields = ("person_id", "certificate_type_id", "operation_id", "scope", "number")
    fields += ("issuing_authority", "first_issued_on", "valid_until", "expires_on")
    fields += ("review_due_on", "invalid_since", "invalid_reason", "revoked_on", "revoked_reason")
    written = rows_load(RegisteredCertificate, fields, rows())
    tables_analyse(RegisteredCertificate)
    return written


def catalogue_ensure() -> None:
    """The certificate types and operations catalogue, which a migration seeds but `flush` empties
    (the same idempotent function)."""
    from django.apps import apps

    importlib.import_module("certificates.migrations.0002_registry_catalogue").seed(apps, None)


def certificates_seed_scale(scale: Scale, stdout, today: datetime.date | None = None) -> None:
    catalogue_ensure()
    written = certificates_seed(scale, today or timezone.localdate())
    stdout.write(f"  certificates: {written:,} registered certificates")
