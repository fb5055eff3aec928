"""The demo certificates: every status shows, and seeding twice writes nothing more."""

import datetime
import io

import pytest

from certificates.demo_registry import registry_seed
from certificates.models import RegisteredCertificate
from certificates.rules import CertificateStatus
from certificates.selectors.registry import with_status
from directory.constants import RiskClass
from tests.factories import EnterpriseFactory, IndustryFactory, PersonFactory

TODAY = datetime.date(2026, 11, 28)


@pytest.mark.django_db
def test_demo_cards_cover_every_status_and_are_idempotent():
    enterprise = EnterpriseFactory()
    for _n in range(16):
        PersonFactory(employer=enterprise, is_special_operator=True)
    risky = EnterpriseFactory(industry=IndustryFactory(name="危化", risk_class=RiskClass.HIGH_RISK))
    for _n in range(4):
        PersonFactory(employer=risky, is_principal=True)
    out = io.StringIO()
    assert registry_seed(stdout=out, today=TODAY) == 18
    statuses = set(
        with_status(RegisteredCertificate.objects.all(), TODAY).values_list("status", flat=True)
    )
    assert statuses == set(CertificateStatus.values)
    assert registry_seed(stdout=out, today=TODAY) == 0
    assert RegisteredCertificate.objects.count() == 18


@pytest.mark.django_db
def test_a_demo_operation_card_is_for_the_operation_the_post_requires():
    """持证上岗 (原国家安监总局令第30号 第五条): the demo's welders get welding cards, its
    electricians low-voltage ones, so the demo gap list shows real gaps only."""
    from directory.models import Post

    enterprise = EnterpriseFactory()
    welder = PersonFactory(
        employer=enterprise, is_special_operator=True, work_post=Post.objects.get(name="焊工")
    )
    registry_seed(stdout=io.StringIO(), today=TODAY)
    card = RegisteredCertificate.objects.get(person=welder)
    assert card.operation.name == "熔化焊接与热切割作业"
