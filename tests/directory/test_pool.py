"""The expert pool (安全生产专家库) and technical inspectors (技术检查员): who is in service, their
yearly training counted with the inspectors', the inspections they took part in, the back-office
screens scoped and masked, the export through the one path."""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone, translation

from directory.constants import AccountRole, PersonStatus
from directory.identifiers import id_number_mask, phone_mask
from directory.models import ExportLogEntry, PoolInspection, PoolKind, PoolMember
from reports.metrics import Scope, metric_get
from tests.factories import PersonFactory
from tests.factories.sessions import AttendanceFactory, TrainingSessionFactory
from training.models import AttendanceStatus, SessionKind
from training.sessions.selectors.feeds import inspectors_in_post, inspectors_training

YEAR = 2026
NOW = timezone.make_aware(datetime.datetime(YEAR, 11, 20, 12, 0))
TOWN = AccountRole.TOWN_OFFICE
DEPT = AccountRole.DEPARTMENT_OFFICER
VILLAGE = AccountRole.VILLAGE_OFFICER
MANAGER = AccountRole.ENTERPRISE_MANAGER


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(NOW)


def at(month, day=10, hour=9):
    return timezone.make_aware(datetime.datetime(YEAR, month, day, hour, 0))


@pytest.fixture
def pool(town):
    """An expert (dept a), a technical inspector under contract (dept a), one whose contract
    ended in June (dept b), an expert who left (dept b)."""
    expert = PoolMember.objects.create(
        person=PersonFactory(
            name="赵专家", employer=None, department=town["dept_a"], phone="13911112222"
        ),
        kind=PoolKind.EXPERT,
        expertise="危险化学品",
        qualifications="注册安全工程师",
        employer_name="同济大学",
    )
    hired = PoolMember.objects.create(
        person=PersonFactory(name="钱检查", employer=None, department=town["dept_a"]),
        kind=PoolKind.TECHNICAL_INSPECTOR,
        contract_start=datetime.date(YEAR, 1, 1),
        contract_end=datetime.date(YEAR, 12, 31),
        service_provider="上海某安全技术服务公司",
    )
    ended = PoolMember.objects.create(
        person=PersonFactory(name="孙检查", employer=None, department=town["dept_b"]),
        kind=PoolKind.TECHNICAL_INSPECTOR,
        contract_start=datetime.date(YEAR - 1, 1, 1),
        contract_end=datetime.date(YEAR, 6, 30),
        service_provider="上海某安全技术服务公司",
    )
    left = PoolMember.objects.create(
        person=PersonFactory(
            name="李专家", employer=None, department=town["dept_b"], status=PersonStatus.LEFT
        ),
        kind=PoolKind.EXPERT,
    )
    return {**town, "expert": expert, "hired": hired, "ended": ended, "left": left}


def session(accounts, month):
    return TrainingSessionFactory(
        kind=SessionKind.INSPECTORS,
        title=f"监管人员集中培训{month}月",
        starts_at=at(month),
        ends_at=at(month, hour=12),
        created_by=accounts[TOWN],
    )


def attend(sess, person, status=AttendanceStatus.PRESENT):
    AttendanceFactory(session=sess, person=person, status=status)


def url(name, *args, **query):
    path = reverse(name, args=args)
    return path + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def read_xlsx(response):
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.getvalue()))
    return [list(row) for row in book.active.iter_rows(values_only=True)]


# --- in service, and the yearly training counted like the inspectors' -----------------------


def test_in_service_rules(pool):
    assert pool["expert"].in_service()
    assert pool["hired"].in_service()
    assert not pool["ended"].in_service()
    assert pool["ended"].in_service(datetime.date(YEAR, 6, 30))
    names = sorted(inspectors_in_post().values_list("name", flat=True))
    # The town's inspector, the expert and the technical inspector under contract; not the
    # one whose contract ended nor the expert who left.
    assert names == ["王五", "赵专家", "钱检查"]


def test_inspector_training_metric_counts_the_pool(accounts, pool):
    attend(session(accounts, 3), pool["expert"].person)
    attend(session(accounts, 5), pool["hired"].person, AttendanceStatus.ABSENT)
    # The one whose contract ended attended, but is no longer owed the training.
    attend(session(accounts, 2), pool["ended"].person)
    metric = metric_get("inspector_training")
    months = {}
    for item in metric.items(scope=Scope(), year=YEAR):
        months[item.covered_month] = months.get(item.covered_month, 0) + item.count
    assert months == {3: 1, None: 2}
    uncovered = metric.uncovered(scope=Scope(), year=YEAR, month=11)
    assert sorted(p.name for p in uncovered) == ["王五", "钱检查"]
    dept_a = Scope(department_id=pool["dept_a"].pk)
    assert sum(i.count for i in metric.items(scope=dept_a, year=YEAR)) == 3


def test_inspectors_training_list_shows_pool_members_scoped(accounts, pool):
    attend(session(accounts, 4), pool["hired"].person)
    rows = inspectors_training(user=accounts[DEPT], year=YEAR)
    assert [(r.person.name, r.attended_on is not None) for r in rows] == [
        ("王五", False),
        ("赵专家", False),
        ("钱检查", True),
    ]


# --- back-office screens: scoped and masked --------------------------------------------------


def test_town_office_pages_render(client, accounts, pool):
    client.force_login(accounts[TOWN])
    member = pool["expert"]
    inspection = PoolInspection.objects.create(
        member=member, inspected_on=datetime.date(YEAR, 9, 1), scope="危化品仓库"
    )
    for name, args in [
        ("pool_members:index", ()),
        ("pool_members:add", ()),
        ("pool_members:edit", (member.pk,)),
        ("pool_members:inspect", (member.pk,)),
        ("pool_inspections:index", ()),
        ("pool_inspections:add", ()),
        ("pool_inspections:edit", (inspection.pk,)),
    ]:
        assert client.get(url(name, *args)).status_code == 200, name


def test_list_masks_unless_allowed_and_is_scoped(client, accounts, pool):
    person = pool["expert"].person
    client.force_login(accounts[TOWN])
    content = client.get(url("pool_members:index")).content.decode()
    assert person.id_number in content and person.phone in content
    assert "孙检查" in content
    client.force_login(accounts[DEPT])
    content = client.get(url("pool_members:index")).content.decode()
    assert person.id_number not in content and person.phone not in content
    assert id_number_mask(person.id_number) in content and phone_mask(person.phone) in content
    # Another department's members are not listed, nor reachable.
    assert "孙检查" not in content
    assert client.get(url("pool_members:inspect", pool["ended"].pk)).status_code == 404
    # A department reads; only the town office keeps the pool.
    assert client.get(url("pool_members:edit", pool["expert"].pk)).status_code in (302, 403, 404)


@pytest.mark.parametrize("role", [VILLAGE, MANAGER])
def test_villages_and_enterprises_have_no_pool_screen(client, accounts, pool, role):
    client.force_login(accounts[role])
    response = client.get(url("pool_members:index"))
    assert response.status_code in (302, 403)


@pytest.mark.parametrize("role", [TOWN, DEPT])
def test_export_is_scoped_masked_and_logged(client, accounts, pool, role):
    PoolInspection.objects.create(
        member=pool["hired"],
        inspected_on=datetime.date(YEAR, 9, 1),
        enterprise=pool["ent_a"],
        scope='=HYPERLINK("x")',
    )
    PoolInspection.objects.create(
        member=pool["hired"], inspected_on=datetime.date(YEAR - 1, 9, 1), scope="去年"
    )
    pool["expert"].qualifications = "=cmd|' /C calc'!A0"
    pool["expert"].save()
    client.force_login(accounts[role])
    rows = read_xlsx(client.get(url("pool_members:index", export="xlsx")))
    header, body = rows[0], rows[1:]
    by_name = {row[0]: dict(zip(header, row, strict=True)) for row in body}
    expected = {"赵专家", "钱检查"} | ({"孙检查", "李专家"} if role == TOWN else set())
    assert set(by_name) == expected
    expert, hired = by_name["赵专家"], by_name["钱检查"]
    person = pool["expert"].person
    if role == TOWN:
        assert expert["身份证号"] == person.id_number
        assert expert["手机号"] == person.phone
    else:
        assert expert["身份证号"] == id_number_mask(person.id_number)
        assert expert["手机号"] == phone_mask(person.phone)
    # A cell that would run as a formula is quoted.
    assert expert["资格"] == "'=cmd|' /C calc'!A0"
    assert hired["合同开始日期"] == f"{YEAR}年1月1日"
    assert hired[f"{YEAR}年参与检查次数"] == 1
    assert hired["在岗服务"] == "是"
    if role == TOWN:
        assert by_name["孙检查"]["在岗服务"] == "否"
    log = ExportLogEntry.objects.get()
    assert log.rows == len(expected)
    assert log.personal_data is (role == TOWN)


# --- validation: a clear Chinese message, nothing written ------------------------------------


def test_technical_inspector_needs_a_contract_and_a_provider(client, accounts, town):
    person = PersonFactory(name="周检查", employer=None, department=town["dept_a"])
    client.force_login(accounts[TOWN])
    response = client.post(
        url("pool_members:add"),
        {"person": person.pk, "kind": PoolKind.TECHNICAL_INSPECTOR, "contract_start": "2026-05-01"},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    with translation.override("zh-hans"):
        assert errors["contract_end"] == [
            translation.gettext("Enter the end of the technical inspector's contract.")
        ]
        assert "service_provider" in errors
    assert not PoolMember.objects.exists()
    response = client.post(
        url("pool_members:add"),
        {
            "person": person.pk,
            "kind": PoolKind.TECHNICAL_INSPECTOR,
            "contract_start": "2026-05-01",
            "contract_end": "2026-04-01",
            "service_provider": "某公司",
        },
    )
    assert "contract_end" in response.context["form"].errors
    assert not PoolMember.objects.exists()
    response = client.post(
        url("pool_members:add"),
        {
            "person": person.pk,
            "kind": PoolKind.TECHNICAL_INSPECTOR,
            "contract_start": "2026-05-01",
            "contract_end": "2027-04-30",
            "service_provider": "某公司",
        },
    )
    assert response.status_code == 302
    assert PoolMember.objects.get().person == person


def test_an_enterprise_employee_cannot_be_a_member(client, accounts, town):
    client.force_login(accounts[TOWN])
    response = client.post(
        url("pool_members:add"), {"person": town["person_a"].pk, "kind": PoolKind.EXPERT}
    )
    assert "person" in response.context["form"].errors
    assert not PoolMember.objects.exists()


def test_an_inspection_cannot_be_recorded_ahead(client, accounts, pool):
    client.force_login(accounts[TOWN])
    response = client.post(
        url("pool_inspections:add"),
        {"member": pool["expert"].pk, "inspected_on": "2026-12-01", "scope": "仓库"},
    )
    assert "inspected_on" in response.context["form"].errors
    response = client.post(
        url("pool_inspections:add"),
        {"member": pool["expert"].pk, "inspected_on": "2026-11-01", "scope": "仓库"},
    )
    assert response.status_code == 302
    assert PoolInspection.objects.get().member == pool["expert"]
