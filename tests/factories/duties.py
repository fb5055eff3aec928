"""Factories for the principals' duties: a principal, a checklist, a self-inspection, a hazard."""

import datetime

import factory

from tests.factories.directory import EnterpriseFactory, PersonFactory
from training.models import InspectionHazard, PrincipalChecklist, SelfInspection

__all__ = [
    "DutiesChecklistFactory",
    "DutiesHazardFactory",
    "DutiesInspectionFactory",
    "duties_principal",
]


def duties_principal(enterprise, **kw):
    """A principal in post at `enterprise`."""
    return PersonFactory(employer=enterprise, is_principal=True, is_general_worker=False, **kw)


class DutiesChecklistFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PrincipalChecklist

    enterprise = factory.SubFactory(EnterpriseFactory)
    principal = factory.LazyAttribute(lambda o: duties_principal(o.enterprise))
    year = 2026


class DutiesInspectionFactory(factory.django.DjangoModelFactory):
    """A self-inspection led by the enterprise's principal on 10 February 2026."""

    class Meta:
        model = SelfInspection

    enterprise = factory.SubFactory(EnterpriseFactory)
    principal = factory.LazyAttribute(lambda o: duties_principal(o.enterprise))
    date = datetime.date(2026, 2, 10)
    scope = "危化品仓库、配电房"


class DutiesHazardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InspectionHazard

    inspection = factory.SubFactory(DutiesInspectionFactory)
    problem = "灭火器过期"
    owner = "仓库主管"
    due_date = datetime.date(2026, 2, 28)
