"""Demo registered certificates for `manage.py seed_demo`: some in every status, then the
cards of a share of the special operators who need one.

Dates are set relative to the day of seeding so each status shows; numbers are fixed
(`DEMO-…`), so a second run finds them and writes nothing.

Special operators (`operators_seed`): of those who need a card for their post and lack one
(the registry's `needs_special_certificate` / `lacks_special_certificate`), a share of each
village's and department's (directory.demo.unit_shares, 30–90 %) hold a valid card for every
requirement of their post; most were first issued one to three years ago, the rest in a month
gone by this year (so the trend rises). The derived dates are the registry's own
(`schedule_apply`); written in bulk.
"""

import datetime
import random

from django.utils import timezone

from certificates.catalogue import MANAGEMENT_ABILITY, SPECIAL_EQUIPMENT, SPECIAL_OPERATION
from certificates.models import (
    CertificateType,
    PostRequirement,
    RegisteredCertificate,
    SpecialOperation,
)
from certificates.rules import add_months, add_years
from certificates.selectors.registry import (
    lacks_special_certificate,
    management_certificate_units,
    needs_special_certificate,
)
from certificates.services.registry import (
    certificate_register,
    certificate_review_record,
    certificate_revoke,
    post_absence_record,
    schedule_apply,
)
from directory.demo import SEED, covered_chance, past_months, unit_shares
from directory.models import Department, Person, Village

AUTHORITY = "上海市应急管理局"
EQUIPMENT_AUTHORITY = "青浦区市场监督管理局"
OPERATIONS = [
    "低压电工作业",
    "熔化焊接与热切割作业",
    "高处安装、维护、拆除作业",
    "制冷与空调设备运行操作作业",
]
PER_STATUS = 8
DAY = datetime.timedelta(days=1)


def _plan(index: int, today: datetime.date) -> dict:
    """Which status the index-th demo special operator's card shows, and how to get there."""
    kind = index % 8
    if kind == 0:  # valid, reviewed once on time
        return {"type": SPECIAL_OPERATION, "first": add_years(today, -4), "review": True}
    if kind == 1:  # review window open (due in 40 days)
        return {"type": SPECIAL_OPERATION, "first": add_years(today, -3) + 40 * DAY}
    if kind == 2:  # review missed → invalid (第二十六条)
        return {"type": SPECIAL_OPERATION, "first": add_years(today, -3) - 20 * DAY}
    if kind == 3:  # special equipment, expiring in 50 days
        return {"type": SPECIAL_EQUIPMENT, "first": add_years(today, -4) + 50 * DAY}
    if kind == 4:  # special equipment, expired a month ago
        return {"type": SPECIAL_EQUIPMENT, "first": add_years(today, -4) - 30 * DAY}
    if kind == 5:  # revoked
        return {"type": SPECIAL_OPERATION, "first": add_years(today, -1), "revoke": True}
    if kind == 6:  # away 8 months → practical re-exam required (第三十二条)
        return {"type": SPECIAL_OPERATION, "first": add_years(today, -2), "absent": True}
    return {"type": SPECIAL_OPERATION, "first": add_months(today, -5)}  # plainly valid


def _operation(person, index: int, operations: dict, post_operation: dict):
    """The operation the person's post requires, else one of the demo's in turn."""
    name = post_operation.get(person.work_post_id) or OPERATIONS[index % len(OPERATIONS)]
    return operations.get(name) or SpecialOperation.objects.get(name=name)


def registry_seed(*, stdout, today: datetime.date | None = None) -> int:
    """Register the demo cards once; returns how many were new."""
    today = today or timezone.localdate()
    types = {t.code: t for t in CertificateType.objects.all()}
    operations = {op.name: op for op in SpecialOperation.objects.filter(name__in=OPERATIONS)}
    existing = set(
        RegisteredCertificate.objects.filter(number__startswith="DEMO-").values_list(
            "number", flat=True
        )
    )
    created = 0
    operators = (
        Person.objects.filter(is_special_operator=True)
        .select_related("work_post")
        .order_by("id_number")
    )
    # The operation each post requires (电工 → 低压电工作业 …): a demo card fits its holder's post.
    post_operation = dict(
        PostRequirement.objects.filter(operation__isnull=False)
        .order_by("pk")
        .values_list("post_id", "operation__name")
    )
    for index, person in enumerate(operators[: 8 * PER_STATUS]):
        number = f"DEMO-T{index + 1:04d}"
        if number in existing:
            continue
        plan = _plan(index, today)
        special = plan["type"] == SPECIAL_OPERATION
        certificate = certificate_register(
            user=None,
            person=person,
            certificate_type=types[plan["type"]],
            operation=_operation(person, index, operations, post_operation) if special else None,
            scope="" if special else "N1 叉车司机",
            number=number,
            issuing_authority=AUTHORITY if special else EQUIPMENT_AUTHORITY,
            first_issued_on=plan["first"],
        )
        if plan.get("review"):
            certificate_review_record(
                user=None,
                certificate=certificate,
                reviewed_on=add_years(plan["first"], 3) - 30 * DAY,
                result="passed",
                training_hours=8,
            )
        if plan.get("revoke"):
            certificate_revoke(
                user=None, certificate=certificate, on=today - 10 * DAY, reason="违章作业被处罚"
            )
        if plan.get("absent"):
            post_absence_record(user=None, certificate=certificate, left_on=add_months(today, -8))
        created += 1
    # Principals and safety managers of the §3 units: every other one holds the management card.
    managers = (
        Person.objects.filter(is_principal=True)
        .filter(management_certificate_units())
        .order_by("id_number")
    )
    for index, person in enumerate(managers[:40]):
        number = f"DEMO-M{index + 1:04d}"
        if index % 2 or number in existing:
            continue
        certificate_register(
            user=None,
            person=person,
            certificate_type=types[MANAGEMENT_ABILITY],
            number=number,
            issuing_authority=AUTHORITY,
            first_issued_on=add_years(today, -1) - index * 20 * DAY,
        )
        created += 1
    if created:
        stdout.write(f"Registered certificates: {created} demo cards.")
    return created


OPERATOR_PREFIX = "DEMO-S"
# Of the special operators' cards, those first issued this year (the rest one to three years ago).
SHARE_THIS_YEAR = 0.3


def operators_seed(*, stdout, today: datetime.date | None = None) -> int:
    """Valid cards for a share of the special operators who lack one; returns how many."""
    today = today or timezone.localdate()
    if RegisteredCertificate.objects.filter(number__startswith=OPERATOR_PREFIX).exists():
        return 0
    types = {t.code: t for t in CertificateType.objects.all()}
    types_by_pk = {t.pk: t for t in types.values()}
    operations = dict(SpecialOperation.objects.values_list("pk", "name"))
    fallback = {pk for pk, name in operations.items() if name in OPERATIONS} or set(operations)
    requirements: dict[int, list[tuple[int | None, int | None]]] = {}
    for post, operation, certificate_type in PostRequirement.objects.values_list(
        "post_id", "operation_id", "certificate_type_id"
    ):
        requirements.setdefault(post, []).append((operation, certificate_type))
    villages = unit_shares(
        "certificates:village", list(Village.objects.values_list("name", flat=True))
    )
    departments = unit_shares(
        "certificates:department", list(Department.objects.values_list("name", flat=True))
    )
    people = (
        Person.objects.filter(needs_special_certificate())
        .filter(lacks_special_certificate(today))
        .order_by("id_number")
        .values_list(
            "pk", "work_post_id", "employer__village__name", "employer__lead_department__name"
        )
    )
    rng = random.Random(f"{SEED}:certificates:{today.year}")
    months = past_months(today)
    cards = []
    for pk, post, village, department in people:
        chance = covered_chance(villages.get(village), departments.get(department))
        if rng.random() >= chance:
            continue
        if rng.random() < SHARE_THIS_YEAR:
            first = min(today, datetime.date(today.year, rng.choice(months), rng.randint(1, 28)))
        else:
            first = today - datetime.timedelta(days=rng.randint(365, 3 * 365 - 60))
        needed = requirements.get(post) or [(sorted(fallback)[pk % len(fallback)], None)]
        for operation, type_pk in needed:
            kind = types[SPECIAL_OPERATION] if operation else types_by_pk[type_pk]
            card = RegisteredCertificate(
                person_id=pk,
                certificate_type=kind,
                operation_id=operation,
                scope="" if operation else kind.name[:20],
                number=f"{OPERATOR_PREFIX}{len(cards) + 1:05d}",
                issuing_authority=AUTHORITY if operation else EQUIPMENT_AUTHORITY,
                first_issued_on=first,
                valid_until=add_years(first, kind.validity_years),
            )
            schedule_apply(card, [])
            cards.append(card)
    RegisteredCertificate.objects.bulk_create(cards, batch_size=500)
    if cards:
        stdout.write(f"Registered certificates: {len(cards)} special operators' cards.")
    return len(cards)
