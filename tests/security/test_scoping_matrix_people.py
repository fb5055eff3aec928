"""Each role × each personal object of the later issues × side of the town: lists and details.

The objects about a person that the earlier matrices do not cover: the study-hours ledger,
issued certificates, exam attempts (the results screen), the 一人一档 record page and its PDF,
and the person's own data download. Side "a" is 张三 (person_a, the learner's own person),
side "b" is 李四; the accounts of the `accounts` fixture are tied to side "a", so every role
sees side "a" or nothing and only the town office sees 李四.
"""

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from certificates.models import IssuedCertificate
from certificates.services.issued import certificate_issue
from directory.constants import AccountRole
from directory.selectors import visible_to
from tests.factories.exams import ExamFactory, PaperFactory, QuestionBankFactory
from training.exams.services.attempts import attempt_start
from training.exams.services.grading import attempt_submit
from training.learning.services.ledger import ledger_history_record
from training.models import StudyHourEntry

pytestmark = pytest.mark.django_db

ANONYMOUS = "anonymous"
ROLES = [*AccountRole, ANONYMOUS]
SIDES = {"a": "张三", "b": "李四"}
ENTERPRISES = {"a": "甲机械有限公司", "b": "乙建设有限公司"}
VISIBLE = {
    AccountRole.TOWN_OFFICE: {"a", "b"},
    AccountRole.DEPARTMENT_OFFICER: {"a"},
    AccountRole.VILLAGE_OFFICER: {"a"},
    AccountRole.ENTERPRISE_MANAGER: {"a"},
    AccountRole.LEARNER: {"a"},  # their own
    AccountRole.EDITOR: set(),
    ANONYMOUS: set(),
}
BACK_OFFICE_LISTS = {
    StudyHourEntry: "study_hours:index",
    IssuedCertificate: "issued_certificates:index",
}


@pytest.fixture
def held(town, accounts):
    """Each side's person: a ledger entry, an issued certificate, a submitted exam attempt."""
    town_office = accounts[AccountRole.TOWN_OFFICE]
    exam = ExamFactory(
        paper=PaperFactory(bank=QuestionBankFactory(single=2), score="50"), title="危化品考核"
    )
    objects = {"exam": exam}
    for side in SIDES:
        person = town[f"person_{side}"]
        objects[f"entry_{side}"] = ledger_history_record(
            user=town_office,
            person=person,
            training_name=f"历史培训{side}",
            hours=Decimal("8"),
            date=datetime.date(2025, 6, 1),
        )
        objects[f"certificate_{side}"] = certificate_issue(
            holder=person, title="安全培训合格", kind="officer", hours=8
        )
        attempt = attempt_start(exam=exam, person=person)
        objects[f"attempt_{side}"] = attempt_submit(attempt_id=attempt.pk)
    return objects


def _login(client, accounts, role):
    if role != ANONYMOUS:
        client.force_login(accounts[role])
    return accounts.get(role)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("model", [StudyHourEntry, IssuedCertificate])
def test_selectors(accounts, held, role, model):
    if role == ANONYMOUS:
        pytest.skip("selectors take an account; the anonymous visitor is checked over HTTP")
    kind = "entry" if model is StudyHourEntry else "certificate"
    mine = {
        side
        for side in SIDES
        if visible_to(accounts[role], model).filter(pk=held[f"{kind}_{side}"].pk).exists()
    }
    assert mine == VISIBLE[role]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("side", SIDES)
@pytest.mark.parametrize("page", ["dossiers:person", "dossiers:person_pdf"])
def test_record_page_and_pdf(client, accounts, town, held, role, side, page):
    _login(client, accounts, role)
    response = client.get(reverse(page, args=[town[f"person_{side}"].pk]))
    if role == ANONYMOUS:
        assert response.status_code == 302 and "login" in response["Location"]
    elif side in VISIBLE[role]:
        assert response.status_code == 200
    else:
        assert response.status_code == 404


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("model", list(BACK_OFFICE_LISTS))
def test_back_office_lists(client, accounts, held, role, model):
    user = _login(client, accounts, role)
    response = client.get(reverse(BACK_OFFICE_LISTS[model]))
    if user is None or not user.has_perm(f"{model._meta.app_label}.view_{model._meta.model_name}"):
        assert response.status_code in (302, 403)
        return
    assert response.status_code == 200
    html = response.content.decode()
    assert {side for side, name in SIDES.items() if name in html} == VISIBLE[role]


@pytest.mark.parametrize("role", ROLES)
def test_exam_results_show_only_the_people_in_scope(client, accounts, held, role):
    user = _login(client, accounts, role)
    response = client.get(reverse("exam_results", args=[held["exam"].pk]))
    if user is None or not user.has_perm("training.view_exam"):
        assert response.status_code in (302, 403, 404)
        return
    assert response.status_code == 200
    html = response.content.decode()  # the page counts by enterprise, the XLSX lists people
    assert {side for side, name in ENTERPRISES.items() if name in html} == VISIBLE[role]
    xlsx = client.get(reverse("exam_results", args=[held["exam"].pk]), {"format": "xlsx"})
    assert xlsx.status_code == 200
    book = load_workbook(io.BytesIO(xlsx.getvalue()))
    cells = {str(c) for sheet in book for row in sheet.iter_rows(values_only=True) for c in row}
    assert {side for side, name in SIDES.items() if name in cells} == VISIBLE[role]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", ["directory:my_page", "certificates_mine:index"])
def test_the_front_office_shows_a_person_only_their_own(client, accounts, held, role, page):
    user = _login(client, accounts, role)
    response = client.get(reverse(page))
    if user is None:
        assert response.status_code == 302
        return
    html = response.content.decode()
    assert "李四" not in html and held["certificate_b"].number not in html
    if role == AccountRole.LEARNER and page == "certificates_mine:index":
        assert held["certificate_a"].number in html


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("side", SIDES)
def test_certificate_download(client, accounts, held, role, side):
    _login(client, accounts, role)
    response = client.get(
        reverse("certificates_issued:download", args=[held[f"certificate_{side}"].pk])
    )
    if role == ANONYMOUS:
        assert response.status_code == 302
    elif side in VISIBLE[role]:
        assert response.status_code == 200
    else:
        assert response.status_code == 404


@pytest.mark.parametrize("role", [r for r in ROLES if r != ANONYMOUS])
def test_attendance_rows_follow_the_people_a_role_looks_after(town, accounts, role):
    """One town-organised session per side: officers and managers see their side's row only;
    the learner reads their own sessions in the front office, not through the registry."""
    from tests.factories.sessions import TrainingSessionFactory
    from training.models import Attendance

    rows = {
        side: Attendance.objects.get(
            session=TrainingSessionFactory(invitees=[town[f"person_{side}"]])
        )
        for side in SIDES
    }
    expected = VISIBLE[role] - {"a"} if role == AccountRole.LEARNER else VISIBLE[role]
    seen = visible_to(accounts[role], Attendance)
    assert {side for side, row in rows.items() if seen.filter(pk=row.pk).exists()} == expected


# Whole ID numbers on the 一人一档 page: the town office, the person's own enterprise, the person.
WHOLE_ID = {AccountRole.TOWN_OFFICE, AccountRole.ENTERPRISE_MANAGER, AccountRole.LEARNER}


@pytest.mark.parametrize("role", sorted(set(VISIBLE) - {ANONYMOUS, AccountRole.EDITOR}))
def test_record_page_masks_the_id_number_unless_the_viewer_needs_it(client, accounts, town, role):
    _login(client, accounts, role)
    person = town["person_a"]
    html = client.get(reverse("dossiers:person", args=[person.pk])).content.decode()
    assert (person.id_number in html) == (role in WHOLE_ID)
    assert person.id_number[-4:] in html  # masked: the last four digits still tell who it is
