"""The yearly 通报 PDF of principals' duties: per department, read back; scoped; logged."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from directory.constants import AccountRole
from directory.models import ExportLogEntry
from tests.factories.duties import DutiesChecklistFactory, DutiesInspectionFactory, duties_principal
from training.models import ChecklistStatus

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    reader = PdfReader(io.BytesIO(content))
    return "".join(page.extract_text() for page in reader.pages).replace(" ", "")


def test_bulletin_per_department(client, town, accounts):
    chief = duties_principal(town["ent_a"], name="钱总")
    duties_principal(town["ent_b"], name="孙总")
    DutiesChecklistFactory(
        enterprise=town["ent_a"],
        principal=chief,
        year=2026,
        status=ChecklistStatus.ACCEPTED,
        reviewed_at=timezone.now(),
    )
    for month in (2, 5, 8, 11):
        DutiesInspectionFactory(
            enterprise=town["ent_a"], principal=chief, date=datetime.date(2026, month, 3)
        )
    client.force_login(accounts[AccountRole.TOWN_OFFICE])
    response = client.get(reverse("duties:bulletin") + "?year=2026")
    assert response.status_code == 200
    text = _text(response)
    assert "经发办" in text and "规建办" in text
    assert "钱总" in text and "孙总" in text
    assert "1、2、3、4" in text
    assert ExportLogEntry.objects.filter(user=accounts[AccountRole.TOWN_OFFICE]).exists()

    client.force_login(accounts[AccountRole.DEPARTMENT_OFFICER])
    text = _text(client.get(reverse("duties:bulletin") + "?year=2026"))
    assert "钱总" in text and "孙总" not in text


def test_managers_have_no_bulletin(client, accounts):
    client.force_login(accounts[AccountRole.ENTERPRISE_MANAGER])
    assert client.get(reverse("duties:bulletin")).status_code == 403
