"""一企一档: one record of each kind shows on the page and in the printed PDF, who may open which
enterprise's file, numbers masked per viewer, the year chooser, and a query bound that does not
grow with the roster."""

import datetime
import io
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from certificates.services.issued import certificate_issue
from directory.constants import AccountRole
from directory.services.notifications import notification_send
from dossiers.enterprise.selectors import dossier_enterprises_visible_to, enterprise_dossier
from tests.factories import PersonFactory, UserFactory
from tests.factories.certificates import special_certificate
from tests.factories.drills import CorrectiveActionFactory, DrillRecordFactory
from tests.factories.learning import StudyHourEntryFactory
from tests.factories.sessions import AttendanceFactory, TrainingSessionFactory
from training.models import AttendanceStatus
from training.sessions.models.sessions import SessionKind

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 6, 15, 4, 0, tzinfo=datetime.UTC)  # 12:00 in Shanghai
TODAY = datetime.date(2026, 6, 15)


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


def _moment(day: datetime.date, hour: int = 9) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 30)))


@pytest.fixture
def full(town, accounts):
    """甲机械有限公司 with one record of each kind the file shows, and a drill of last year."""
    enterprise = town["ent_a"]
    principal = town["person_a"]  # 张三
    principal.is_principal = True
    principal.hire_date = datetime.date(2019, 1, 1)
    principal.save()
    enterprise.principal = principal
    enterprise.credit_code = "91310118MA1JL0XX1X"
    enterprise.save()
    manager = PersonFactory(name="孙安全", employer=enterprise, is_safety_manager=True)
    welder = PersonFactory(name="周电工", employer=enterprise, is_special_operator=True)
    special_certificate(welder, number="T0001ELEC")
    PersonFactory(name="吴无证", employer=enterprise, is_special_operator=True)
    StudyHourEntryFactory(person=principal, hours=Decimal("12"), date=datetime.date(2026, 3, 1))
    StudyHourEntryFactory(person=manager, hours=Decimal("3"), date=datetime.date(2026, 2, 1))
    record = DrillRecordFactory(enterprise=enterprise, date=datetime.date(2026, 4, 1))
    CorrectiveActionFactory(record=record, problem="安全出口被堵", measure="清理疏散通道")
    old = DrillRecordFactory(
        enterprise=enterprise, date=datetime.date(2025, 5, 10), scenario="earthquake"
    )
    CorrectiveActionFactory(record=old, problem="应急照明损坏", due_date=datetime.date(2025, 6, 1))
    session = TrainingSessionFactory(
        title="主要负责人专题培训班",
        kind=SessionKind.PRINCIPAL,
        starts_at=_moment(datetime.date(2026, 5, 12)),
    )
    AttendanceFactory(session=session, person=principal, status=AttendanceStatus.PRESENT)
    certificate_issue(
        holder=principal,
        title="重大事故隐患判定标准培训",
        kind="officer",
        hours=8,
        issued_on=datetime.date(2026, 3, 20),
    )
    notification_send(
        recipient=accounts[AccountRole.ENTERPRISE_MANAGER],
        key="drill:test:due",
        title="演练提醒：消防演练将到期",
    )
    return enterprise


# What the page and the PDF must both show for `full`, one per section.
EXPECTED = (
    "甲机械有限公司",
    "91310118MA1JL0XX1X",  # registry
    "徐泾村",
    "经发办",
    "张三",  # principal
    "孙安全",  # safety manager
    "差 9.0 学时",  # the safety manager: 3 of 12 study hours
    "周电工",  # holds a card
    "T0001ELEC",
    "吴无证",  # needs a card, has none
    "无证",
    "疏散演练",  # duty
    "安全出口被堵",  # corrective action of this year's drill
    "清理疏散通道",
    "主要负责人专题培训班",  # session attended
    "重大事故隐患判定标准培训",  # certificate issued
    "演练提醒：消防演练将到期",  # reminder received
)


def _pdf(response) -> tuple[str, int]:
    reader = PdfReader(io.BytesIO(response.content))
    return "\n".join(p.extract_text() for p in reader.pages), len(reader.pages)


def _page(client, enterprise, year=None) -> str:
    url = reverse("dossiers:enterprise", args=[enterprise.pk])
    response = client.get(url, {"year": year} if year else {})
    assert response.status_code == 200
    return response.content.decode()


def test_each_record_shows_on_the_page_and_in_the_pdf(client, accounts, full):
    client.force_login(accounts[AccountRole.TOWN_OFFICE])
    html = _page(client, full)
    for expected in EXPECTED:
        assert expected in html, expected
    order = [
        "主要负责人和安全生产管理人员",
        "在岗人员学时",
        "持证上岗",
        "本年度演练义务",
        "演练记录和整改",
        "参加的线下培训",
        "平台颁发的证书",
        "收到的提醒",
    ]
    assert [t for t in order if t not in html] == []
    positions = [html.index(title) for title in order]
    assert positions == sorted(positions)
    # The roster links each person to their own file, the page to its PDF.
    for person in full.people.all():
        assert reverse("dossiers:person", args=[person.pk]) in html
    assert reverse("dossiers:enterprise_pdf", args=[full.pk, 2026]) in html

    response = client.get(reverse("dossiers:enterprise_pdf", args=[full.pk, 2026]))
    assert response["Content-Type"] == "application/pdf"
    text, pages = _pdf(response)
    for expected in EXPECTED:
        assert expected in text, expected
    assert f"第 1 页 共 {pages} 页" in text and "打印日期：2026年6月15日" in text
    assert "2026年度" in text
    assert "主要负责人签字" in text and "安全生产管理人员签字" in text


def test_a_long_roster_is_whole_in_the_pdf_with_every_page_numbered(client, accounts, town):
    enterprise = town["ent_a"]
    session = TrainingSessionFactory(
        title="全员培训", kind=SessionKind.WORKERS, starts_at=_moment(datetime.date(2026, 5, 2))
    )
    for person in [town["person_a"], *PersonFactory.create_batch(120, employer=enterprise)]:
        AttendanceFactory(session=session, person=person, status=AttendanceStatus.PRESENT)
    client.force_login(accounts[AccountRole.ENTERPRISE_MANAGER])
    # 121 in post: the page shows 100 a page, the PDF all of them.
    html = _page(client, enterprise)
    assert "在岗 121 人" in html and "第 1 页，共 2 页" in html
    url = reverse("dossiers:enterprise", args=[enterprise.pk])
    second = client.get(url, {"year": 2026, "page": 2}).content.decode()

    def roster_rows(page: str) -> int:
        return page.split('id="roster-heading"')[1].split("</table>")[0].count("<tr>") - 1

    assert roster_rows(html) == 100 and roster_rows(second) == 21
    response = client.get(reverse("dossiers:enterprise_pdf", args=[enterprise.pk, 2026]))
    reader = PdfReader(io.BytesIO(response.content))
    total = len(reader.pages)
    assert total > 2
    text = ""
    for number, page in enumerate(reader.pages, 1):
        page_text = page.extract_text()
        assert f"第 {number} 页 共 {total} 页" in page_text
        assert "甲机械有限公司" in page_text and "2026年度" in page_text
        text += page_text
    for person in enterprise.people.all():
        assert person.name in text, person.name
    # 121 attendees of one session: their names go 60 a row (a cell cannot run over a page).
    assert "全员培训" in text and "121" in text


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (AccountRole.ENTERPRISE_MANAGER, 200),
        (AccountRole.VILLAGE_OFFICER, 200),
        (AccountRole.DEPARTMENT_OFFICER, 200),
        (AccountRole.TOWN_OFFICE, 200),
        (AccountRole.LEARNER, 404),
        (AccountRole.EDITOR, 404),
    ],
)
def test_the_four_roles_open_the_file_others_get_404(client, accounts, town, role, expected):
    client.force_login(accounts[role])
    pk = town["ent_a"].pk
    assert client.get(reverse("dossiers:enterprise", args=[pk])).status_code == expected
    assert client.get(reverse("dossiers:enterprise_pdf", args=[pk, 2026])).status_code == expected


@pytest.mark.parametrize(
    "user",
    [
        {"role": AccountRole.ENTERPRISE_MANAGER, "unit": "ent_b"},  # another enterprise's
        {"role": AccountRole.VILLAGE_OFFICER, "unit": "village_b"},  # another village's
        {"role": AccountRole.DEPARTMENT_OFFICER, "unit": "dept_b"},  # another department's
    ],
)
def test_another_unit_gets_404(client, town, user):
    field = {"ent_b": "enterprise", "village_b": "village", "dept_b": "department"}[user["unit"]]
    viewer = UserFactory(username="other", role=user["role"], **{field: town[user["unit"]]})
    client.force_login(viewer)
    pk = town["ent_a"].pk
    assert client.get(reverse("dossiers:enterprise", args=[pk])).status_code == 404
    assert client.get(reverse("dossiers:enterprise_pdf", args=[pk, 2026])).status_code == 404
    # Its own unit's enterprise opens.
    own = town["ent_b"].pk
    assert client.get(reverse("dossiers:enterprise", args=[own])).status_code == 200
    assert set(dossier_enterprises_visible_to(viewer)) == {town["ent_b"]}


@pytest.mark.parametrize(
    ("role", "whole"),
    [
        (AccountRole.ENTERPRISE_MANAGER, True),  # the enterprise's own
        (AccountRole.TOWN_OFFICE, True),
        (AccountRole.VILLAGE_OFFICER, False),
        (AccountRole.DEPARTMENT_OFFICER, False),
    ],
)
def test_numbers_are_masked_per_viewer_on_the_page_and_in_the_pdf(
    client, accounts, full, role, whole
):
    principal = full.principal
    client.force_login(accounts[role])
    html = _page(client, full)
    text, _pages = _pdf(client.get(reverse("dossiers:enterprise_pdf", args=[full.pk, 2026])))
    for shown in (html, text):
        assert (principal.id_number in shown) is whole
        assert (principal.phone in shown) is whole
        assert principal.id_number[-4:] in shown and principal.phone[-4:] in shown


def test_the_year_chooser_shows_that_years_drills_only(client, accounts, full):
    client.force_login(accounts[AccountRole.VILLAGE_OFFICER])
    this_year = _page(client, full)
    assert "安全出口被堵" in this_year and "应急照明损坏" not in this_year
    assert '<option value="2025">' in this_year and '<option value="2021">' in this_year
    assert '<option value="2020">' not in this_year  # beyond the retention period
    last_year = _page(client, full, 2025)
    assert "应急照明损坏" in last_year and "安全出口被堵" not in last_year
    assert "重大事故隐患判定标准培训" not in last_year  # issued in 2026
    text, _pages = _pdf(client.get(reverse("dossiers:enterprise_pdf", args=[full.pk, 2025])))
    assert "应急照明损坏" in text and "安全出口被堵" not in text and "2025年度" in text
    # A year outside the retention period: this year's page, no PDF.
    assert "安全出口被堵" in _page(client, full, 2010)
    pdf = client.get(reverse("dossiers:enterprise_pdf", args=[full.pk, 2010]))
    assert pdf.status_code == 404


def test_a_past_year_is_judged_on_31_december(accounts, full):
    viewer = accounts[AccountRole.TOWN_OFFICE]
    dossier = enterprise_dossier(enterprise=full, viewer=viewer, year=2025, today=TODAY)
    assert dossier.judged_on == datetime.date(2025, 12, 31)
    evacuation = next(row for row in dossier.duties if row.state.duty == "evacuation")
    assert evacuation.state.status == "done" and evacuation.dates == [datetime.date(2025, 5, 10)]
    fire = next(row for row in dossier.duties if row.state.duty == "fire")
    assert fire.state.status == "overdue"  # an earthquake drill is no fire drill


def _people(enterprise, n: int) -> None:
    """`n` people with a ledger row, an attendance, a certificate each and a drill."""
    session = TrainingSessionFactory(
        title="从业人员培训", kind=SessionKind.WORKERS, starts_at=_moment(datetime.date(2026, 5, 2))
    )
    for i in range(n):
        person = PersonFactory(
            employer=enterprise, is_special_operator=i % 2 == 0, is_safety_manager=i % 5 == 0
        )
        StudyHourEntryFactory(person=person, hours=Decimal("4"), date=datetime.date(2026, 2, 1))
        AttendanceFactory(session=session, person=person, status=AttendanceStatus.PRESENT)
        if i % 2 == 0:
            special_certificate(person, number=f"B{person.pk:05d}")
        certificate_issue(
            holder=person, title="岗位安全培训", kind="officer", hours=4, issued_on=TODAY
        )
    record = DrillRecordFactory(enterprise=enterprise, date=datetime.date(2026, 3, 1))
    CorrectiveActionFactory(record=record)


def test_the_page_costs_the_same_queries_for_3_people_as_for_30(client, accounts, town):
    """The roster is summed and judged in SQL in a fixed number of queries, not per person."""
    client.force_login(accounts[AccountRole.DEPARTMENT_OFFICER])
    small, large = town["ent_a"], town["ent_b"]
    large.lead_department = town["dept_a"]
    large.save()
    _people(small, 3)
    _people(large, 30)
    counts = []
    for enterprise in (small, large):
        _page(client, enterprise)  # warm caches
        with CaptureQueriesContext(connection) as queries:
            _page(client, enterprise)
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert counts[1] <= 40


def test_the_dossier_alone_is_bounded(django_assert_max_num_queries, accounts, town):
    _people(town["ent_a"], 30)
    viewer = accounts[AccountRole.ENTERPRISE_MANAGER]
    with django_assert_max_num_queries(30):
        enterprise = dossier_enterprises_visible_to(viewer).get(pk=town["ent_a"].pk)
        dossier = enterprise_dossier(enterprise=enterprise, viewer=viewer, year=2026, today=TODAY)
        assert len(dossier.roster) == 31
        assert sum(len(s.names) for s in dossier.sessions) == 30


def test_an_empty_file_says_so_in_each_section(client, accounts, town):
    enterprise = town["ent_b"]
    enterprise.people.all().delete()
    client.force_login(accounts[AccountRole.TOWN_OFFICE])
    html = _page(client, enterprise)
    for empty in (
        "暂无主要负责人或安全生产管理人员",
        "暂无在岗人员",
        "在岗人员均无需持证",
        "本年度暂无演练记录",
        "暂无线下培训记录",
        "暂无平台颁发的证书",
        "本年度暂未收到提醒",
    ):
        assert empty in html, empty
    text, pages = _pdf(client.get(reverse("dossiers:enterprise_pdf", args=[enterprise.pk, 2026])))
    assert "乙建设有限公司" in text and f"第 1 页 共 {pages} 页" in text


def test_the_places_of_an_enterprise_link_to_its_file(client, accounts, town):
    url = reverse("dossiers:enterprise", args=[town["ent_a"].pk])
    client.force_login(accounts[AccountRole.ENTERPRISE_MANAGER])
    assert url in client.get(reverse("learning:enterprise_status")).content.decode()
    assert url in client.get(reverse("directory:my_page")).content.decode()
    client.force_login(accounts[AccountRole.TOWN_OFFICE])
    inspect = reverse("registry_enterprises:inspect", args=[town["ent_a"].pk])
    assert url in client.get(inspect).content.decode()
    listing = reverse("registry_enterprises:index")
    assert url in client.get(listing).content.decode()
