"""The special-operation catalogue and certificate types, as the data migration seeds them."""

import pytest

from certificates.catalogue import SOURCE_2018
from certificates.models import CertificateType, OperationCategory, SpecialOperation

pytestmark = pytest.mark.django_db


def test_every_category_of_the_annex_is_seeded_in_order():
    names = list(OperationCategory.objects.values_list("code", "name"))
    assert len(names) == 11
    assert names[0] == ("1", "电工作业")
    assert names[-1] == ("11", "应急管理部认定的其他作业")


def test_electrician_operations_include_the_2018_additions():
    electric = SpecialOperation.objects.filter(category__code="1")
    assert list(electric.values_list("name", flat=True)) == [
        "高压电工作业",
        "低压电工作业",
        "防爆电气作业",
        "电力电缆作业",
        "继电保护作业",
        "电气试验作业",
    ]
    added = set(electric.filter(source=SOURCE_2018).values_list("name", flat=True))
    assert added == {"电力电缆作业", "继电保护作业", "电气试验作业"}


@pytest.mark.parametrize(
    ("category", "count"),
    [("2", 3), ("3", 2), ("4", 2), ("5", 10), ("6", 8), ("7", 1), ("8", 1), ("9", 16), ("10", 5)],
)
def test_operation_counts_per_category(category, count):
    assert SpecialOperation.objects.filter(category__code=category).count() == count


def test_certificate_types_carry_their_rules():
    types = {t.code: t for t in CertificateType.objects.all()}
    special = types["special_operation"]
    assert (special.validity_years, special.review_interval_years) == (6, 3)
    assert special.extended_review_interval_years == 6 and special.needs_operation
    management = types["management_ability"]
    assert (management.validity_years, management.review_interval_years) == (3, None)
    assert management.qualifies == "management"
    # Outside the catalogue, still registrable: special equipment and construction certificates.
    assert {"special_equipment", "construction_special"} <= set(types)
    assert types["special_equipment"].qualifies == "special_operator"
