"""Issued certificates in the back office: the scoping matrix (role × screen × in / out of scope),
issuing by hand, revoke and re-issue through the screens, printing the filtered list."""

import io
import json

import pytest
from django.urls import reverse
from pypdf import PdfReader

from certificates.models import CertificateBatch, IssuedCertificate
from directory.constants import AccountRole
from directory.models import ExportLogEntry

TOWN = AccountRole.TOWN_OFFICE
DEPT = AccountRole.DEPARTMENT_OFFICER
VILLAGE = AccountRole.VILLAGE_OFFICER
MANAGER = AccountRole.ENTERPRISE_MANAGER
LEARNER = AccountRole.LEARNER
EDITOR = AccountRole.EDITOR


@pytest.fixture
def certs(town, issue):
    return {"a": issue(town["person_a"]), "b": issue(town["person_b"])}


# role: (sees a, sees b, may revoke / re-issue a)
MATRIX = {
    TOWN: (True, True, True),
    DEPT: (True, False, True),
    VILLAGE: (True, False, False),
    MANAGER: (True, False, False),
    LEARNER: (False, False, False),
    EDITOR: (False, False, False),
}


@pytest.mark.parametrize("role", MATRIX)
def test_list_shows_only_in_scope(client, accounts, certs, role):
    client.force_login(accounts[role])
    response = client.get(reverse("issued_certificates:index"))
    sees_a, sees_b, _ = MATRIX[role]
    if not (sees_a or sees_b):
        assert response.status_code in (302, 403)
        return
    assert response.status_code == 200
    listed = {cert.pk for cert in response.context["object_list"]}
    assert listed == {certs[k].pk for k, seen in (("a", sees_a), ("b", sees_b)) if seen}


@pytest.mark.parametrize("role", MATRIX)
@pytest.mark.parametrize("key", ["a", "b"])
def test_inspect_download_revoke_reissue_follow_scope(client, accounts, certs, role, key):
    client.force_login(accounts[role])
    sees_a, sees_b, edits_a = MATRIX[role]
    sees = sees_a if key == "a" else sees_b
    edits = edits_a and key == "a" or role == TOWN
    pk = certs[key].pk
    inspect = client.get(reverse("issued_certificates:inspect", args=[pk])).status_code
    assert (inspect == 200) == (sees and role not in (LEARNER, EDITOR))
    # The holder downloads in the front office too (the learner is person a).
    download = client.get(reverse("certificates_issued:download", args=[pk])).status_code
    assert (download == 200) == (sees or (role == LEARNER and key == "a"))
    for view in ("revoke", "reissue"):
        status = client.get(reverse(f"issued_certificates:{view}", args=[pk])).status_code
        assert (status == 200) == edits, (view, status)


def test_officer_issues_by_hand_to_people_in_scope(client, accounts, town):
    client.force_login(accounts[DEPT])
    form = client.get(reverse("issued_certificates:add")).context["form"]
    # Their enterprises' people and their own inspectors; not enterprise b's.
    assert set(form.fields["holder"].queryset) == {town["person_a"], town["inspector_a"]}
    data = {
        "holder": town["person_a"].pk,
        "title": "有限空间作业培训",
        "hours": "6",
        "issued_on": "2026-05-01",
        "valid_until": "",
    }
    assert client.post(reverse("issued_certificates:add"), data).status_code == 302
    cert = IssuedCertificate.objects.get()
    assert (cert.kind, cert.issued_by, cert.title) == (
        "officer",
        accounts[DEPT],
        "有限空间作业培训",
    )
    refused = client.post(
        reverse("issued_certificates:add"), {**data, "holder": town["person_b"].pk}
    )
    assert refused.status_code == 200 and IssuedCertificate.objects.count() == 1


def test_revoke_and_reissue_through_the_screens(client, accounts, certs):
    client.force_login(accounts[TOWN])
    cert = certs["a"]
    empty = client.post(reverse("issued_certificates:revoke", args=[cert.pk]), {"reason": ""})
    assert empty.status_code == 200
    new = client.post(
        reverse("issued_certificates:reissue", args=[cert.pk]),
        {"title": "更正后的培训", "hours": "8", "valid_until": ""},
    )
    successor = IssuedCertificate.objects.get(title="更正后的培训")
    assert new.status_code == 302 and new.url.endswith(f"/{successor.pk}/")
    cert.refresh_from_db()
    assert cert.superseded_by == successor
    response = client.post(
        reverse("issued_certificates:revoke", args=[successor.pk]), {"reason": "重复颁发"}
    )
    assert response.status_code == 302
    successor.refresh_from_db()
    assert (successor.status, successor.revoked_reason) == ("revoked", "重复颁发")


def test_edit_and_delete_are_not_offered(client, accounts, certs):
    client.force_login(accounts[TOWN])
    response = client.get(reverse("issued_certificates:edit", args=[certs["a"].pk]))
    assert response.status_code == 302
    assert response.url == reverse("issued_certificates:inspect", args=[certs["a"].pk])
    assert (
        client.get(reverse("issued_certificates:delete", args=[certs["a"].pk])).status_code != 200
    )


def test_print_the_filtered_list(
    client, accounts, certs, issue, town, django_capture_on_commit_callbacks
):
    issue(town["person_a"], title="消防培训")
    client.force_login(accounts[DEPT])
    url = reverse("issued_certificates:print") + "?title=隐患"
    page = client.get(url)
    assert page.status_code == 200 and page.context["count"] == 1  # b is out of scope
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"format": "pdf"})
    batch = CertificateBatch.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("issued_certificates:batch", args=[batch.pk])
    assert client.get(response.url).status_code == 200
    progress = client.get(reverse("issued_certificates:batch_progress", args=[batch.pk])).json()
    assert (progress["status"], progress["done"], progress["total"], progress["percent"]) == (
        "done",
        1,
        1,
        100,
    )
    download = client.get(reverse("issued_certificates:batch_download", args=[batch.pk]))
    pdf = PdfReader(io.BytesIO(b"".join(download.streaming_content)))
    assert len(pdf.pages) == 1 and certs["a"].number in pdf.pages[0].extract_text()
    # The download is logged like every export (the certificates show masked ID numbers).
    entry = ExportLogEntry.objects.get()
    assert (entry.user, entry.kind, entry.rows, entry.personal_data) == (
        accounts[DEPT],
        "证书批量打印",
        1,
        False,
    )
    # Another officer's batch is not theirs to see; the town office sees all.
    client.force_login(accounts[MANAGER])
    assert client.get(reverse("issued_certificates:batch", args=[batch.pk])).status_code == 404
    client.force_login(accounts[TOWN])
    assert client.get(reverse("issued_certificates:batch", args=[batch.pk])).status_code == 200


@pytest.mark.parametrize("role", [TOWN, DEPT, VILLAGE, MANAGER, EDITOR])
def test_menu_offers_issued_certificates_to_those_who_issue_them(client, accounts, role):
    client.force_login(accounts[role])
    content = client.get(reverse("wagtailadmin_home")).content.decode()
    issues = role in (TOWN, DEPT)
    assert accounts[role].has_perm("certificates.add_issuedcertificate") == issues
    # The sidebar is JSON in the page: its labels are \u-escaped.
    item = f'{json.dumps("培训合格证书")[1:-1]}", "icon_name": "doc-full-inverse"'
    assert (item in content) == issues
    assert (f'"url": "{reverse("issued_certificates:index")}"' in content) == issues


def test_list_header_links_to_printing_with_the_filters(client, accounts, certs):
    client.force_login(accounts[TOWN])
    body = client.get(reverse("issued_certificates:index") + "?status=valid").content.decode()
    assert reverse("issued_certificates:print") + "?status=valid" in body


# Through the shared scoping table (registered by certificates.apps): role × holder × right.
SELECTOR_VISIBLE = {
    TOWN: {"person_a", "person_b", "inspector_a"},
    DEPT: {"person_a", "inspector_a"},
    VILLAGE: {"person_a"},
    MANAGER: {"person_a"},
    LEARNER: {"person_a"},  # their own, for 我的证书
    EDITOR: set(),
}
SELECTOR_EDITABLE = {
    TOWN: {"person_a", "person_b", "inspector_a"},
    DEPT: {"person_a", "inspector_a"},
    VILLAGE: set(),
    MANAGER: set(),
    LEARNER: set(),
    EDITOR: set(),
}


@pytest.mark.parametrize("role", MATRIX)
@pytest.mark.parametrize("holder", ["person_a", "person_b", "inspector_a"])
def test_scoping_table_matrix(accounts, town, issue, role, holder):
    from directory.selectors import editable_by, visible_to

    cert = issue(town[holder])
    user = accounts[role]
    assert visible_to(user, IssuedCertificate).filter(pk=cert.pk).exists() == (
        holder in SELECTOR_VISIBLE[role]
    )
    assert editable_by(user, IssuedCertificate).filter(pk=cert.pk).exists() == (
        holder in SELECTOR_EDITABLE[role]
    )
