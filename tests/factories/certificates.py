"""Registered certificates, made through the services so derived dates are right."""

import datetime

from certificates.models import CertificateType, SpecialOperation
from certificates.services.registry import certificate_register


def special_type() -> CertificateType:
    return CertificateType.objects.get(code="special_operation")


def management_type() -> CertificateType:
    return CertificateType.objects.get(code="management_ability")


def low_voltage() -> SpecialOperation:
    return SpecialOperation.objects.get(name="低压电工作业")


SPECIAL_ISSUED = datetime.date(2024, 3, 5)
MANAGEMENT_ISSUED = datetime.date(2025, 1, 10)


def special_certificate(person, *, first_issued_on=SPECIAL_ISSUED, number=None, **kw):
    return certificate_register(
        user=None,
        person=person,
        certificate_type=special_type(),
        operation=kw.pop("operation", None) or low_voltage(),
        number=number or f"T{person.id_number}",
        issuing_authority="上海市应急管理局",
        first_issued_on=first_issued_on,
        **kw,
    )


def management_certificate(person, *, first_issued_on=MANAGEMENT_ISSUED, **kw):
    return certificate_register(
        user=None,
        person=person,
        certificate_type=management_type(),
        number=kw.pop("number", None) or f"M{person.id_number}",
        issuing_authority="上海市应急管理局",
        first_issued_on=first_issued_on,
        **kw,
    )
