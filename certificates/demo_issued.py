"""Demo issued certificates for `seed_demo`: the demo enterprise's first people, one each.

Deterministic and idempotent: a holder who already has the demo certificate gets no second one.
"""

import datetime

from certificates.models import IssuedCertificate
from certificates.services.issued import certificate_issue
from directory.models import Enterprise, User

DEMO_TITLE = "安全生产主要负责人及从业人员年度培训"
DEMO_HOURS = 24
DEMO_ISSUED_ON = datetime.date(2026, 3, 20)
DEMO_HOLDERS = 5


def issued_certificates_seed(stdout) -> None:
    enterprise = Enterprise.objects.order_by("pk").first()
    issuer = User.objects.filter(username="town").first()
    if enterprise is None:
        return
    holders = list(enterprise.people.order_by("pk")[:DEMO_HOLDERS])
    already = set(
        IssuedCertificate.objects.filter(holder__in=holders, title=DEMO_TITLE).values_list(
            "holder_id", flat=True
        )
    )
    created = 0
    for person in holders:
        if person.pk in already:
            continue
        certificate_issue(
            holder=person,
            title=DEMO_TITLE,
            kind="officer",
            hours=DEMO_HOURS,
            issued_on=DEMO_ISSUED_ON,
            valid_until=DEMO_ISSUED_ON.replace(year=DEMO_ISSUED_ON.year + 3),
            issued_by=issuer,
        )
        created += 1
    stdout.write(f"Issued certificates: {created} added for {enterprise.name}.")
