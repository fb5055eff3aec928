"""持证上岗: who needs a certificate and lacks a usable one, per scope, on screen and in XLSX."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from certificates.models import CertificateType
from certificates.selectors.registry import certification_gaps
from certificates.services.registry import (
    certificate_register,
    certificate_revoke,
    post_absence_record,
)
from directory.constants import AccountRole, RiskClass
from directory.models import Post
from tests.export_helpers import export_get
from tests.factories import IndustryFactory, PersonFactory
from tests.factories.certificates import management_certificate, special_certificate

D = datetime.date
TODAY = D(2026, 11, 28)
TOWN = AccountRole.TOWN_OFFICE
DEPT = AccountRole.DEPARTMENT_OFFICER
MANAGER = AccountRole.ENTERPRISE_MANAGER


@pytest.fixture
def crew(town):
    """Special operators and principals on both sides of the town, with and without cards."""
    ent_a, ent_b = town["ent_a"], town["ent_b"]
    ent_b.industry = IndustryFactory(name="建筑施工", risk_class=RiskClass.CONSTRUCTION)
    ent_b.save()
    people = {
        "certified": PersonFactory(name="持证甲", employer=ent_a, is_special_operator=True),
        "uncertified": PersonFactory(name="无证甲", employer=ent_a, is_special_operator=True),
        "revoked": PersonFactory(name="撤证甲", employer=ent_a, is_special_operator=True),
        "operator_b": PersonFactory(name="无证乙", employer=ent_b, is_special_operator=True),
        # Principal of an ordinary unit: no management certificate needed.
        "principal_a": PersonFactory(name="负责人甲", employer=ent_a, is_principal=True),
        # Construction unit: principal needs it; one new in post (grace), one long in post.
        "new_principal_b": PersonFactory(
            name="新负责人乙", employer=ent_b, is_principal=True, hire_date=D(2026, 9, 1)
        ),
        "manager_b": PersonFactory(
            name="安全员乙", employer=ent_b, is_safety_manager=True, hire_date=D(2020, 1, 1)
        ),
        "certified_manager_b": PersonFactory(
            name="持证安全员乙", employer=ent_b, is_safety_manager=True, hire_date=D(2020, 1, 1)
        ),
    }
    special_certificate(people["certified"], first_issued_on=D(2025, 1, 1))
    revoked = special_certificate(people["revoked"], first_issued_on=D(2025, 1, 1))
    certificate_revoke(user=None, certificate=revoked, on=D(2026, 1, 1), reason="违章")
    management_certificate(people["certified_manager_b"], first_issued_on=D(2025, 1, 1))
    return people


def summary(gaps):
    return {(g.person.name, g.needs, g.state_label) for g in gaps}


def test_town_sees_every_gap_with_its_reason(accounts, crew):
    gaps = certification_gaps(user=accounts[TOWN], today=TODAY)
    assert summary(gaps) == {
        ("无证甲", "special_operator", "无证"),
        ("撤证甲", "special_operator", "证书已失效"),
        ("无证乙", "special_operator", "无证"),
        ("新负责人乙", "management", "任职未满6个月"),
        ("安全员乙", "management", "无证"),
    }
    grace = next(g for g in gaps if g.person.name == "新负责人乙")
    assert grace.deadline == D(2027, 3, 1) and not grace.overdue


@pytest.mark.parametrize(
    ("role", "names"),
    [
        (DEPT, {"无证甲", "撤证甲"}),
        (MANAGER, {"无证甲", "撤证甲"}),
        (AccountRole.VILLAGE_OFFICER, {"无证甲", "撤证甲"}),
        (AccountRole.EDITOR, set()),
    ],
)
def test_gaps_follow_the_scoping(accounts, crew, role, names):
    assert {g.person.name for g in certification_gaps(user=accounts[role], today=TODAY)} == names


def test_filters_per_enterprise_department_village(accounts, town, crew):
    user = accounts[TOWN]
    for key, value in (
        ("enterprise", town["ent_b"].pk),
        ("lead_department", town["dept_b"].pk),
        ("village", town["village_b"].pk),
    ):
        gaps = certification_gaps(user=user, today=TODAY, filters={key: value})
        assert {g.person.employer_id for g in gaps} == {town["ent_b"].pk}


def test_three_queries_whatever_the_number_of_people(accounts, town, crew):
    for _n in range(15):
        PersonFactory(employer=town["ent_a"], is_special_operator=True)
    with CaptureQueriesContext(connection) as queries:
        gaps = certification_gaps(user=accounts[TOWN], today=TODAY)
        [g.state_label + g.person.employer.lead_department.name for g in gaps]
    assert len(gaps) == 20
    # People; the missing operations of posts; the cards needing a practical re-exam.
    assert len(queries) == 3


def test_screen_and_xlsx_export(client, accounts, town, crew):
    client.force_login(accounts[DEPT])
    response = client.get(reverse("certification_gaps:index"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "无证甲" in content and "无证乙" not in content
    export = export_get(client, reverse("certification_gaps:export"))
    assert export.status_code == 200
    sheet = load_workbook(io.BytesIO(export.getvalue())).active
    rows = list(sheet.values)
    assert rows[0][:3] == ("姓名", "身份证号", "企业")
    assert {row[0] for row in rows[1:]} == {"无证甲", "撤证甲"}
    # A department officer sees masked ID numbers.
    assert all("*" in row[1] for row in rows[1:])


def test_editor_and_learner_have_no_gap_screen(client, accounts, crew):
    for role in (AccountRole.EDITOR, AccountRole.LEARNER):
        client.force_login(accounts[role])
        assert client.get(reverse("certification_gaps:index")).status_code == 302
        assert export_get(client, reverse("certification_gaps:export")).status_code in (302, 403)


# --- 持证上岗 for the post: the card must be for the operation the post requires -------------


def _post(name):
    return Post.objects.get(name=name)


def _forklift_card(person):
    return certificate_register(
        user=None,
        person=person,
        certificate_type=CertificateType.objects.get(code="special_equipment"),
        scope="N1 叉车司机",
        number=f"E{person.id_number}",
        issuing_authority="青浦区市场监督管理局",
        first_issued_on=D(2025, 1, 1),
    )


def special_gaps(accounts):
    return {
        g.person.name: g
        for g in certification_gaps(user=accounts[TOWN], today=TODAY)
        if g.needs == "special_operator"
    }


def test_welder_with_only_a_low_voltage_card_misses_the_welding_operation(accounts, town):
    """原国家安监总局令第30号 第五条: a special operator holds the card of the operation they work;
    a low-voltage electrician card does not let a welder weld."""
    welder = PersonFactory(name="焊工甲", employer=town["ent_a"], work_post=_post("焊工"))
    special_certificate(welder, first_issued_on=D(2025, 1, 1))
    gap = special_gaps(accounts)["焊工甲"]
    assert gap.missing == ("熔化焊接与热切割作业",)
    assert gap.needs_label == "熔化焊接与热切割作业"
    assert gap.state_label == "缺少本岗位准操项目的有效证书"


def test_welder_with_only_a_forklift_card_misses_the_welding_operation(accounts, town):
    """原国家安监总局令第30号 第五条: a special-equipment card is not a special-operation card."""
    welder = PersonFactory(name="焊工乙", employer=town["ent_a"], work_post=_post("焊工"))
    _forklift_card(welder)
    assert special_gaps(accounts)["焊工乙"].missing == ("熔化焊接与热切割作业",)


def test_electrician_with_a_low_voltage_card_has_no_gap(accounts, town):
    """原国家安监总局令第30号 第五条: the card of the post's operation covers the post."""
    electrician = PersonFactory(name="电工甲", employer=town["ent_a"], work_post=_post("电工"))
    special_certificate(electrician, first_issued_on=D(2025, 1, 1))
    assert "电工甲" not in special_gaps(accounts)


def test_forklift_driver_needs_the_special_equipment_card(accounts, town):
    """《特种设备安全法》第十四条: a forklift driver holds the special-equipment card; an
    electrician card does not cover the post, the forklift card does."""
    driver = PersonFactory(name="叉车甲", employer=town["ent_a"], work_post=_post("叉车司机"))
    special_certificate(driver, first_issued_on=D(2025, 1, 1))
    assert special_gaps(accounts)["叉车甲"].missing == ("特种设备安全管理和作业人员证",)
    _forklift_card(driver)
    assert "叉车甲" not in special_gaps(accounts)


def test_a_post_with_requirements_makes_a_special_operator_without_the_flag(accounts, town):
    """is_special_operator is the flag for posts outside the table; a post that requires an
    operation makes its holder a special operator whatever the flag."""
    PersonFactory(name="电工乙", employer=town["ent_a"], work_post=_post("电工"))
    assert special_gaps(accounts)["电工乙"].missing == ("低压电工作业",)


def test_away_six_months_shows_the_reexam_on_the_gap_list(accounts, town):
    """第三十二条: a special operator away from the post 6 months or more may not work it until
    the practical exam is passed again; the gap list says so."""
    electrician = PersonFactory(name="电工丙", employer=town["ent_a"], work_post=_post("电工"))
    card = special_certificate(electrician, first_issued_on=D(2025, 1, 1))
    post_absence_record(user=None, certificate=card, left_on=D(2026, 1, 5))
    gap = special_gaps(accounts)["电工丙"]
    assert gap.reexam_required
    assert gap.state_label == "离岗6个月以上，须重新进行实际操作考试"


def test_management_clock_runs_from_the_post_date(accounts, town):
    """《生产经营单位安全培训规定》第二十四条: the assessment is due within 6 months of taking
    office — the current post, not the hire: hired 3 years ago, principal for 2 months."""
    ent_b = town["ent_b"]
    ent_b.industry = IndustryFactory(name="建筑施工", risk_class=RiskClass.CONSTRUCTION)
    ent_b.save()
    PersonFactory(
        name="新任乙",
        employer=ent_b,
        is_principal=True,
        hire_date=D(2023, 11, 1),
        post_since=D(2026, 9, 28),
    )
    gap = next(
        g for g in certification_gaps(user=accounts[TOWN], today=TODAY) if g.person.name == "新任乙"
    )
    assert gap.deadline == D(2027, 3, 28)
    assert not gap.overdue


def test_the_reexam_passed_clears_the_gap(accounts, town):
    """第三十二条: once the practical exam is recorded the card is usable again."""
    electrician = PersonFactory(name="电工丁", employer=town["ent_a"], work_post=_post("电工"))
    card = special_certificate(electrician, first_issued_on=D(2025, 1, 1))
    post_absence_record(
        user=None,
        certificate=card,
        left_on=D(2026, 1, 5),
        returned_on=D(2026, 10, 1),
        practical_exam_passed_on=D(2026, 9, 20),
    )
    assert "电工丁" not in special_gaps(accounts)


def test_the_town_office_edits_posts_and_their_requirements(client, accounts):
    """The post table and what each post requires are the town office's to correct; an
    enterprise manager reads them only."""
    client.force_login(accounts[TOWN])
    assert client.get(reverse("registry_posts:index")).status_code == 200
    assert client.get(reverse("post_requirements:index")).status_code == 200
    response = client.post(reverse("registry_posts:add"), {"name": "电梯司机", "sort_order": 20})
    assert response.status_code == 302
    post = Post.objects.get(name="电梯司机")
    kind = CertificateType.objects.get(code="special_equipment")
    response = client.post(
        reverse("post_requirements:add"),
        {"post": post.pk, "certificate_type": kind.pk, "source": "《特种设备安全法》第十四条"},
    )
    assert response.status_code == 302
    assert [r.label for r in post.requirements.all()] == [kind.name]
    client.force_login(accounts[MANAGER])
    assert client.get(reverse("post_requirements:add")).status_code in (302, 403)
