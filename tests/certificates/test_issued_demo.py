"""The seed_demo hook issues a few demo certificates, once."""

import io

from certificates.demo_issued import DEMO_HOLDERS, DEMO_TITLE, issued_certificates_seed
from certificates.models import IssuedCertificate
from certificates.selectors.issued import issued_certificates_for_person
from tests.factories import PersonFactory, UserFactory


def test_demo_certificates_are_issued_once(town):
    UserFactory(username="town", role="town_office")
    for n in range(DEMO_HOLDERS + 2):
        PersonFactory(name=f"演示{n}", employer=town["ent_a"])
    issued_certificates_seed(io.StringIO())
    issued_certificates_seed(io.StringIO())
    certificates = IssuedCertificate.objects.filter(title=DEMO_TITLE)
    assert certificates.count() == DEMO_HOLDERS
    assert {c.holder.employer_id for c in certificates} == {town["ent_a"].pk}
    assert sorted(c.number for c in certificates) == [
        f"XJ-2026-{n:06d}" for n in range(1, DEMO_HOLDERS + 1)
    ]
    # The first person of the enterprise (the demo "learner" in the real seed is among them)
    # sees theirs on 我的证书.
    assert issued_certificates_for_person(town["person_a"]).get().title == DEMO_TITLE
