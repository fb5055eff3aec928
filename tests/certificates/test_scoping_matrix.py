"""Each role × each certificate-registry object × list / inspect / edit, through the selectors
and over HTTP (the registry's matrix, tests/directory/test_scoping_matrix.py, extended)."""

import datetime

import pytest
from django.urls import reverse

from certificates.models import CertificateReview, PostAbsence, RegisteredCertificate
from certificates.services.registry import certificate_review_record, post_absence_record
from directory.constants import AccountRole
from directory.retention import retention_message
from directory.selectors import editable_by, visible_to
from tests.factories.certificates import special_certificate

# Kind of object → model and admin namespace; each object shows its holder's name.
KINDS = {
    "certificate": (RegisteredCertificate, "registered_certificates"),
    "review": (CertificateReview, "certificate_reviews"),
    "absence": (PostAbsence, "post_absences"),
}
SIDES = {"a": "张三", "b": "李四"}
OBJECTS = [f"{kind}_{side}" for kind in KINDS for side in SIDES]

VISIBLE_SIDES = {
    AccountRole.TOWN_OFFICE: {"a", "b"},
    AccountRole.DEPARTMENT_OFFICER: {"a"},
    AccountRole.VILLAGE_OFFICER: {"a"},
    AccountRole.ENTERPRISE_MANAGER: {"a"},
    # The learner is person_a: the selector shows their own certificates (for "我的证书").
    AccountRole.LEARNER: {"a"},
    AccountRole.EDITOR: set(),
}
EDITABLE_SIDES = {
    AccountRole.TOWN_OFFICE: {"a", "b"},
    AccountRole.DEPARTMENT_OFFICER: {"a"},
    AccountRole.VILLAGE_OFFICER: set(),
    AccountRole.ENTERPRISE_MANAGER: {"a"},
    AccountRole.LEARNER: set(),
    AccountRole.EDITOR: set(),
}
BACK_OFFICE = {
    AccountRole.TOWN_OFFICE,
    AccountRole.DEPARTMENT_OFFICER,
    AccountRole.VILLAGE_OFFICER,
    AccountRole.ENTERPRISE_MANAGER,
}
MATRIX = [(role, key) for role in AccountRole for key in OBJECTS]
IDS = [f"{role.value}-{key}" for role, key in MATRIX]


@pytest.fixture
def registry(town):
    objects = {}
    for side in SIDES:
        certificate = special_certificate(
            town[f"person_{side}"], first_issued_on=datetime.date(2022, 5, 1)
        )
        objects[f"certificate_{side}"] = certificate
        objects[f"review_{side}"] = certificate_review_record(
            user=None,
            certificate=certificate,
            reviewed_on=datetime.date(2025, 4, 1),
            result="passed",
            training_hours=8,
        )
        objects[f"absence_{side}"] = post_absence_record(
            user=None, certificate=certificate, left_on=datetime.date(2026, 1, 5)
        )
    return objects


def _split(key):
    kind, side = key.rsplit("_", 1)
    return KINDS[kind], side


def _denied(response, name) -> bool:
    if response.status_code in (403, 404):
        return name not in response.content.decode()
    return response.status_code == 302 and "/admin/" in response["Location"]


@pytest.mark.parametrize(("role", "key"), MATRIX, ids=IDS)
def test_selectors(accounts, registry, role, key):
    (model, _), side = _split(key)
    obj = registry[key]
    user = accounts[role]
    assert visible_to(user, model).filter(pk=obj.pk).exists() == (side in VISIBLE_SIDES[role])
    assert editable_by(user, model).filter(pk=obj.pk).exists() == (side in EDITABLE_SIDES[role])


@pytest.mark.parametrize(("role", "key"), MATRIX, ids=IDS)
def test_index_lists_only_visible(client, accounts, registry, role, key):
    (_, namespace), side = _split(key)
    client.force_login(accounts[role])
    response = client.get(reverse(f"{namespace}:index"))
    if role not in BACK_OFFICE:
        assert _denied(response, SIDES[side])
        return
    assert response.status_code == 200
    assert (SIDES[side] in response.content.decode()) == (side in VISIBLE_SIDES[role])


@pytest.mark.parametrize(("role", "key"), MATRIX, ids=IDS)
def test_inspect_only_visible(client, accounts, registry, role, key):
    (_, namespace), side = _split(key)
    client.force_login(accounts[role])
    response = client.get(reverse(f"{namespace}:inspect", args=[registry[key].pk]))
    if role in BACK_OFFICE and side in VISIBLE_SIDES[role]:
        assert response.status_code == 200
        assert SIDES[side] in response.content.decode()
    else:
        assert _denied(response, SIDES[side])


@pytest.mark.parametrize(("role", "key"), MATRIX, ids=IDS)
def test_edit_and_delete_only_editable(client, accounts, registry, role, key):
    (_, namespace), side = _split(key)
    client.force_login(accounts[role])
    for view in ("edit", "delete"):
        response = client.get(reverse(f"{namespace}:{view}", args=[registry[key].pk]))
        retained = retention_message(registry[key])
        if side in EDITABLE_SIDES[role] and view == "delete" and retained:
            # Reached, and refused: the certificate is inside its retention period
            # (regulations.md §7, directory.retention), so the screen returns to the list.
            assert response.status_code == 302
            assert response.url == reverse(f"{namespace}:index")
        elif side in EDITABLE_SIDES[role]:
            assert response.status_code == 200, view
        else:
            assert _denied(response, SIDES[side]), view


@pytest.mark.parametrize("role", sorted(BACK_OFFICE - {AccountRole.TOWN_OFFICE}))
def test_scans_of_other_enterprises_are_not_found(
    client, accounts, registry, role, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from certificates.services.registry import certificate_attachment_add
    from tests.upload_files import pdf_bytes

    settings.MEDIA_ROOT = tmp_path
    scan = certificate_attachment_add(
        user=None,
        certificate=registry["certificate_b"],
        upload=SimpleUploadedFile("b.pdf", pdf_bytes()),
    )
    client.force_login(accounts[role])
    assert client.get(reverse("certificate_scans:download", args=[scan.pk])).status_code == 404
    upload = client.post(
        reverse("certificate_scans:upload", args=[registry["certificate_b"].pk]),
        {"file": SimpleUploadedFile("x.pdf", b"%PDF-1.4 x")},
    )
    assert upload.status_code == 404
    assert registry["certificate_b"].attachments.count() == 1
