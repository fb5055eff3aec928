"""一人一档: one record of each kind shows on the page and in the printed PDF, numbers are masked
per viewer, whose file a role may open, the query bound, and an empty file."""

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

from certificates.rules import CertificateStatus
from certificates.selectors.registry import with_status
from certificates.services.issued import certificate_issue
from certificates.services.registry import certificate_review_record
from directory.constants import AccountRole, EmploymentType
from directory.models import Post
from directory.services import person_update
from dossiers.person.selectors import dossier_people_visible_to, person_dossier
from tests.factories import PersonFactory
from tests.factories.certificates import special_certificate
from tests.factories.drills import DrillRecordFactory
from tests.factories.exams import AttemptFactory, ExamFactory
from tests.factories.learning import StudyHourEntryFactory
from tests.factories.sessions import AttendanceFactory, TrainingSessionFactory
from training.drills.services.participants import drill_participants_add
from training.learning.models.ledger import TrainingLevel
from training.models import AttendanceStatus
from training.sessions.models.sessions import SignInMethod

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 6, 15, 4, 0, tzinfo=datetime.UTC)  # 12:00 in Shanghai
TODAY = datetime.date(2026, 6, 15)


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


def _moment(day: datetime.date, hour: int = 9) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 30)))


def _records(person, n: int = 1) -> None:
    """`n` records of every kind the file shows."""
    post = Post.objects.create(name=f"电工{n}")
    person_update(
        person=person,
        user=None,
        values={"employment_type": EmploymentType.DISPATCHED, "work_post": post},
    )
    for i in range(n):
        StudyHourEntryFactory(
            person=person,
            hours=Decimal("8"),
            date=datetime.date(2025, 3, 1) + datetime.timedelta(days=i),
            training_name=f"年度从业人员再培训{i}",
            organisation="镇安委办",
        )
        StudyHourEntryFactory(
            person=person,
            hours=Decimal("2"),
            date=datetime.date(2024, 4, 1) + datetime.timedelta(days=i),
            training_name=f"车间安全教育{i}",
            level=TrainingLevel.WORKSHOP,
        )
        session = TrainingSessionFactory(
            title=f"有限空间作业专题培训{i}",
            starts_at=_moment(datetime.date(2026, 5, 12) - datetime.timedelta(days=i)),
        )
        AttendanceFactory(
            session=session,
            person=person,
            status=AttendanceStatus.PRESENT,
            method=SignInMethod.QR,
            signed_in_at=_moment(datetime.date(2026, 5, 12) - datetime.timedelta(days=i), 8),
        )
        started = _moment(datetime.date(2026, 4, 20) - datetime.timedelta(days=i), 10)
        AttemptFactory(
            exam=ExamFactory(
                title=f"特种作业安全知识考核{i}", paper__bank__name=f"题库{person.pk}-{i}"
            ),
            person=person,
            started_at=started,
            score=Decimal("86"),
            max_score=Decimal("100"),
            passed=True,
        )
        card = special_certificate(
            person,
            first_issued_on=datetime.date(2020, 9, 1) + datetime.timedelta(days=i),
            number=f"T{i:04d}{person.pk}",
        )
        certificate_review_record(
            user=None,
            certificate=card,
            reviewed_on=datetime.date(2023, 8, 1) + datetime.timedelta(days=i),
            result="passed",
            training_hours=8,
        )
        drill = DrillRecordFactory(
            enterprise=person.employer,
            date=datetime.date(2026, 4, 1) - datetime.timedelta(days=i),
            scenario="earthquake" if i % 2 else "fire_evacuation",
            meets_evacuation=True,
        )
        drill_participants_add(user=None, record=drill, people=[person], remark=f"疏散引导员{i}")
        certificate_issue(
            holder=person,
            title=f"重大事故隐患判定标准培训{i}",
            kind="officer",
            hours=8,
            issued_on=datetime.date(2026, 3, 20),
        )


@pytest.fixture
def full(town):
    person = town["person_a"]
    person.hire_date = datetime.date(2019, 1, 1)
    person.save()
    _records(person)
    return person


# The duties the drill `full` took part in met (its kind's: a fire evacuation of the plan).
DRILL_DUTIES = "疏散演练、综合或专项应急预案演练、消防演练"

# What the page and the PDF must both show for `full`, one per section.
EXPECTED = (
    "张三",
    "劳务派遣",  # employment type changed, from the change log
    "电工1",  # post
    "年度从业人员再培训0",  # study hours
    "车间安全教育0",  # three-level training
    "车间级",
    "有限空间作业专题培训0",  # offline session
    "扫码",  # signed in by QR
    "特种作业安全知识考核0",  # exam
    "86",
    "火灾疏散",  # drill taken part in
    "疏散引导员0",
    "手工录入",
    "低压电工作业",  # registered certificate
    "T0000",
    "重大事故隐患判定标准培训0",  # issued certificate
)


def _pdf_text(response) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)


def test_each_record_shows_on_the_page_in_its_section(client, accounts, full):
    client.force_login(accounts[AccountRole.LEARNER])
    response = client.get(reverse("dossiers:mine"), follow=True)
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("dossiers:person", args=[full.pk])
    for expected in EXPECTED:
        assert expected in html, expected
    assert DRILL_DUTIES in html
    card = with_status(full.registered_certificates.all(), TODAY).get()
    assert str(CertificateStatus(card.status).label) in html
    issued = full.issued_certificates.get()
    assert issued.code in html and reverse("certificates_verify:detail", args=[issued.code]) in html
    # Sections in the order of the file, each with its source.
    order = [
        "任职单位变动",
        "各年度培训要求",
        "学时记录",
        "三级安全教育",
        "参加的线下培训",
        "参加的演练",
        "考试和考核",
        "持证登记",
        "平台颁发的证书",
    ]
    assert [t for t in order if t not in html] == []
    positions = [html.index(title) for title in order]
    assert positions == sorted(positions)
    assert html.count("来源：") >= len(order)


def test_requirements_by_year_from_the_hire_within_retention(client, accounts, full):
    client.force_login(accounts[AccountRole.LEARNER])
    dossier = person_dossier(person=full, viewer=accounts[AccountRole.LEARNER], today=TODAY)
    # Hired in 2019, file printed in 2026: the retention period (6 years) keeps 2021–2026.
    assert [r.year for r in dossier.requirements] == list(range(2021, 2027))
    by_year = {r.year: r for r in dossier.requirements}
    assert by_year[2025].credited == Decimal("8") and by_year[2025].status == "met"
    assert by_year[2023].credited == 0 and by_year[2023].status == "short"


def test_the_pdf_holds_every_section_page_numbers_and_signature_lines(client, accounts, full):
    client.force_login(accounts[AccountRole.ENTERPRISE_MANAGER])
    response = client.get(reverse("dossiers:person_pdf", args=[full.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = _pdf_text(response)
    for expected in EXPECTED:
        assert expected in text, expected
    assert DRILL_DUTIES in text.replace("\n", "")  # the cell wraps
    pages = len(PdfReader(io.BytesIO(response.content)).pages)
    assert f"第 1 页 共 {pages} 页" in text
    assert "甲机械有限公司" in text and "打印日期：2026年6月15日" in text
    assert "本人签字" in text and "企业安全管理人员签字" in text and "日期" in text
    assert "已达标" in text  # 2025: 8 of 8 study hours
    # Only the embedded CJK font: the paper reads the same on any viewer.
    for page in PdfReader(io.BytesIO(response.content)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            assert "Helvetica" not in str(font["/BaseFont"])
            assert "/FontFile2" in font["/FontDescriptor"].get_object()
    assert full.id_number in text  # the enterprise's own manager sees the number whole


def test_a_long_file_runs_over_pages_numbered_of_the_total(client, accounts, town):
    person = town["person_a"]
    _records(person, n=25)
    client.force_login(accounts[AccountRole.TOWN_OFFICE])
    response = client.get(reverse("dossiers:person_pdf", args=[person.pk]))
    reader = PdfReader(io.BytesIO(response.content))
    total = len(reader.pages)
    assert total > 1
    for number, page in enumerate(reader.pages, 1):
        text = page.extract_text()
        assert f"第 {number} 页 共 {total} 页" in text and "甲机械有限公司" in text


@pytest.mark.parametrize(
    ("role", "whole"),
    [
        (AccountRole.LEARNER, True),  # the person themself
        (AccountRole.ENTERPRISE_MANAGER, True),  # the person's own enterprise
        (AccountRole.TOWN_OFFICE, True),
        (AccountRole.VILLAGE_OFFICER, False),
        (AccountRole.DEPARTMENT_OFFICER, False),
    ],
)
def test_numbers_are_masked_per_viewer_on_the_page_and_in_the_pdf(
    client, accounts, full, role, whole
):
    client.force_login(accounts[role])
    html = client.get(reverse("dossiers:person", args=[full.pk])).content.decode()
    text = _pdf_text(client.get(reverse("dossiers:person_pdf", args=[full.pk])))
    for shown in (html, text):
        assert (full.id_number in shown) is whole
        assert (full.phone in shown) is whole
        assert full.id_number[-4:] in shown and full.phone[-4:] in shown


@pytest.mark.parametrize(
    ("role", "own", "other"),
    [
        (AccountRole.LEARNER, 200, 404),
        (AccountRole.ENTERPRISE_MANAGER, 200, 404),
        (AccountRole.VILLAGE_OFFICER, 200, 404),
        (AccountRole.DEPARTMENT_OFFICER, 200, 404),
        (AccountRole.TOWN_OFFICE, 200, 200),
        (AccountRole.EDITOR, 404, 404),
    ],
)
def test_whose_file_each_role_may_open(client, accounts, town, role, own, other):
    client.force_login(accounts[role])
    for key, expected in (("person_a", own), ("person_b", other)):
        for name in ("dossiers:person", "dossiers:person_pdf"):
            response = client.get(reverse(name, args=[town[key].pk]))
            assert response.status_code == expected, (role, key, name)


def test_the_old_addresses_lead_to_the_file(client, accounts, town):
    client.force_login(accounts[AccountRole.LEARNER])
    pk = town["person_a"].pk
    for old, new in (
        (reverse("learning:my_record"), reverse("dossiers:mine")),
        (reverse("learning:record", args=[pk]), reverse("dossiers:person", args=[pk])),
        (reverse("learning:record_pdf", args=[pk]), reverse("dossiers:person_pdf", args=[pk])),
    ):
        response = client.get(old)
        assert response.status_code == 302 and response["Location"] == new


@pytest.mark.parametrize("records", [0, 20])
def test_the_file_costs_ten_queries_whatever_its_length(
    django_assert_max_num_queries, accounts, town, records
):
    person = town["person_a"]
    if records:
        _records(person, n=records)
    viewer = accounts[AccountRole.ENTERPRISE_MANAGER]
    with django_assert_max_num_queries(10):
        found = dossier_people_visible_to(viewer).get(pk=person.pk)
        dossier = person_dossier(person=found, viewer=viewer, today=TODAY)
        assert len(dossier.attempts) == records
        assert [p.record.enterprise.name for p in dossier.drills] == ["甲机械有限公司"] * records


def test_the_page_costs_the_same_queries_for_a_long_file_as_for_a_short_one(client, accounts, town):
    client.force_login(accounts[AccountRole.ENTERPRISE_MANAGER])
    short, long_ = town["person_a"], PersonFactory(name="赵六", employer=town["ent_a"])
    _records(short, n=1)
    _records(long_, n=20)
    counts = []
    for person in (short, long_):
        client.get(reverse("dossiers:person", args=[person.pk]))  # warm caches
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("dossiers:person", args=[person.pk])).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
    # The file's ten (test above), its archived years, and the site's frame around every page:
    # the account, its unread messages, the back-office permission of the header (two).
    assert counts[1] <= 10 + 1 + 4


def test_an_empty_file_says_so_in_each_section(client, accounts, town):
    person = PersonFactory(name="钱七", employer=town["ent_a"], hire_date=None)
    client.force_login(accounts[AccountRole.ENTERPRISE_MANAGER])
    html = client.get(reverse("dossiers:person", args=[person.pk])).content.decode()
    for empty in (
        "暂无任职单位变动记录",
        "暂无学时记录",
        "暂无三级安全教育记录",
        "暂无线下培训记录",
        "暂无参加演练的记录",
        "暂无考试记录",
        "暂无登记的证书",
        "暂无平台颁发的证书",
    ):
        assert empty in html, empty
    dossier = person_dossier(person=person, viewer=accounts[AccountRole.TOWN_OFFICE], today=TODAY)
    assert [r.year for r in dossier.requirements] == [2026]  # no hire, no record: this year
    response = client.get(reverse("dossiers:person_pdf", args=[person.pk]))
    text = _pdf_text(response)
    pages = len(PdfReader(io.BytesIO(response.content)).pages)
    assert "钱七" in text and f"第 1 页 共 {pages} 页" in text and "暂无学时记录" in text


def test_imported_entries_name_their_source(client, accounts, full):
    client.force_login(accounts[AccountRole.LEARNER])
    html = client.get(reverse("dossiers:person", args=[full.pk])).content.decode()
    assert "历史导入" in html


def test_drills_of_an_archived_record_leave_the_file(client, accounts, full):
    (listed,) = full.drill_participations.all()
    record = listed.record
    client.force_login(accounts[AccountRole.LEARNER])
    url = reverse("dossiers:person", args=[full.pk])
    assert "疏散引导员0" in client.get(url).content.decode()
    record.archived_at = timezone.now()
    record.archive_reason = "重复录入"
    record.save(update_fields=["archived_at", "archive_reason"])
    html = client.get(url).content.decode()
    assert "疏散引导员0" not in html and "暂无参加演练的记录" in html
    assert "疏散引导员0" not in _pdf_text(
        client.get(reverse("dossiers:person_pdf", args=[full.pk]))
    )


def test_a_changed_hire_date_reads_as_a_chinese_date_in_the_history(client, accounts, town):
    person = town["person_a"]
    person_update(person=person, user=None, values={"hire_date": datetime.date(2024, 3, 5)})
    client.force_login(accounts[AccountRole.TOWN_OFFICE])
    page = client.get(reverse("dossiers:person", args=[person.pk])).content.decode()
    assert "2024年3月5日" in page and "2020年1月1日" in page
    assert "2024-03-05" not in page
