"""Who may archive and restore a record kept for its retention period (directory.rights
.ARCHIVE_ROLES): the town office and the officers whose scope holds the record. An enterprise
manager and a learner may not (archiving takes a record out of the figures the supervisors
read): the back office refuses them as Wagtail refuses a permission (back to the dashboard with
a message), the service with PermissionDenied. A record outside the user's scope answers 404, as
if it did not exist."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from directory.constants import AccountRole
from directory.services import record_archive
from tests.factories import UserFactory
from tests.factories.learning import StudyHourEntryFactory
from training.models import StudyHourEntry

TODAY = datetime.datetime(2026, 11, 20, 10, 0)
LABEL = "training.studyhourentry"


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(timezone.make_aware(TODAY), tick=False)


@pytest.fixture
def rows(town):
    return {
        side: StudyHourEntryFactory(person=town[f"person_{side}"], date=datetime.date(2026, 3, 2))
        for side in ("a", "b")
    }


def _refused(response) -> bool:
    """Wagtail's answer to PermissionDenied in the back office: back to the dashboard."""
    return response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")


def _post(client, user, row):
    client.force_login(user)
    url = reverse("directory_archive:archive", args=[LABEL, row.pk])
    return client.post(url, {"reason": "测试"})


@pytest.mark.parametrize(
    "role", [AccountRole.TOWN_OFFICE, AccountRole.DEPARTMENT_OFFICER, AccountRole.VILLAGE_OFFICER]
)
def test_the_town_office_and_officers_in_scope_archive(client, accounts, rows, role):
    response = _post(client, accounts[role], rows["a"])
    assert response.status_code == 302
    assert not StudyHourEntry.objects.filter(pk=rows["a"].pk).exists()


@pytest.mark.parametrize("role", [AccountRole.DEPARTMENT_OFFICER, AccountRole.VILLAGE_OFFICER])
def test_an_officer_out_of_scope_gets_404(client, accounts, rows, role):
    assert _post(client, accounts[role], rows["b"]).status_code == 404
    assert (
        client.get(reverse("directory_archive:archive", args=[LABEL, rows["b"].pk])).status_code
        == 404
    )
    assert StudyHourEntry.objects.filter(pk=rows["b"].pk).exists()


def test_another_enterprises_manager_gets_404(client, accounts, rows):
    assert _post(client, accounts[AccountRole.ENTERPRISE_MANAGER], rows["b"]).status_code == 404
    assert StudyHourEntry.objects.filter(pk=rows["b"].pk).exists()


def test_the_own_enterprises_manager_may_not_archive(client, accounts, rows):
    manager = accounts[AccountRole.ENTERPRISE_MANAGER]
    assert _refused(_post(client, manager, rows["a"]))
    with pytest.raises(PermissionDenied):
        record_archive(record=rows["a"], user=manager, reason="测试")
    listing = client.get(reverse("study_hours:index")).content.decode()
    assert "/admin/archive/" not in listing
    assert StudyHourEntry.objects.filter(pk=rows["a"].pk).exists()


def test_a_learner_may_not_archive(client, accounts, rows):
    learner = accounts[AccountRole.LEARNER]
    assert _post(client, learner, rows["a"]).status_code == 302
    with pytest.raises(PermissionDenied):
        record_archive(record=rows["a"], user=learner, reason="测试")
    assert StudyHourEntry.objects.filter(pk=rows["a"].pk).exists()


def test_restore_and_the_archived_list_follow_the_same_rights(client, accounts, rows):
    record_archive(record=rows["b"], user=accounts[AccountRole.TOWN_OFFICE], reason="乙方误录")
    restore = reverse("directory_archive:restore", args=[LABEL, rows["b"].pk])
    officer = accounts[AccountRole.DEPARTMENT_OFFICER]  # of dept a: rows["b"] is dept b's
    client.force_login(officer)
    assert "乙方误录" not in client.get(reverse("directory_archive:index")).content.decode()
    assert client.post(restore).status_code == 404
    client.force_login(accounts[AccountRole.ENTERPRISE_MANAGER])
    assert _refused(client.get(reverse("directory_archive:index")))
    other_dept = UserFactory(
        username="dept_b",
        role=AccountRole.DEPARTMENT_OFFICER,
        department=rows["b"].person.employer.lead_department,
    )
    client.force_login(other_dept)
    assert "乙方误录" in client.get(reverse("directory_archive:index")).content.decode()
    assert client.post(restore).status_code == 302
    assert StudyHourEntry.objects.filter(pk=rows["b"].pk).exists()


def test_the_archive_line_reaches_only_the_records_scope(client, accounts, rows):
    """The reason and the holder's name are written to the record's history, which Wagtail's
    site history lists: only those who see the record read the line."""
    record_archive(record=rows["b"], user=accounts[AccountRole.TOWN_OFFICE], reason="乙方误录")
    for role in (
        AccountRole.ENTERPRISE_MANAGER,
        AccountRole.DEPARTMENT_OFFICER,
        AccountRole.VILLAGE_OFFICER,
    ):
        client.force_login(accounts[role])
        body = client.get(reverse("wagtailadmin_reports:site_history")).content.decode()
        assert "乙方误录" not in body and "李四" not in body, role
    client.force_login(accounts[AccountRole.TOWN_OFFICE])
    body = client.get(reverse("wagtailadmin_reports:site_history")).content.decode()
    assert "乙方误录" in body
