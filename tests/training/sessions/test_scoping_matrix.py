"""Each role × session organiser × side of the town: selectors and the back-office screens.

The accounts of the `accounts` fixture are tied to side "a"; every session invites its side's
person. Organisers run their sessions; those whose people are invited only read them.
"""

import pytest
from django.urls import reverse

from directory.constants import AccountRole
from directory.selectors import editable_by, visible_to
from tests.factories.sessions import TrainingSessionFactory
from training.models import Attendance, TrainingSession

R = AccountRole
ORGANISERS = ("dept", "enterprise", "town")
SIDES = ("a", "b")
# (organiser, side) pairs each role sees: its own side's people are on every "a" roster.
VISIBLE = {
    R.TOWN_OFFICE: {(o, s) for o in ORGANISERS for s in SIDES},
    R.DEPARTMENT_OFFICER: {(o, "a") for o in ORGANISERS},
    R.VILLAGE_OFFICER: {(o, "a") for o in ORGANISERS},
    R.ENTERPRISE_MANAGER: {(o, "a") for o in ORGANISERS},
    R.LEARNER: set(),
    R.EDITOR: set(),
}
EDITABLE = {
    R.TOWN_OFFICE: {(o, s) for o in ORGANISERS for s in SIDES},
    R.DEPARTMENT_OFFICER: {("dept", "a")},
    R.VILLAGE_OFFICER: set(),
    R.ENTERPRISE_MANAGER: {("enterprise", "a")},
    R.LEARNER: set(),
    R.EDITOR: set(),
}
MATRIX = [(r, o, s) for r in AccountRole for o in ORGANISERS for s in SIDES]
IDS = [f"{r.value}-{o}-{s}" for r, o, s in MATRIX]


def organised_session(town, organiser, side):
    """A session organised by side's department, enterprise or the town, inviting side's person."""
    units = {
        "dept": {"organiser_department": town[f"dept_{side}"]},
        "enterprise": {"organiser_enterprise": town[f"ent_{side}"]},
        "town": {},
    }
    return TrainingSessionFactory(**units[organiser], invitees=[town[f"person_{side}"]])


@pytest.mark.parametrize(("role", "organiser", "side"), MATRIX, ids=IDS)
def test_selectors(town, accounts, role, organiser, side):
    session = organised_session(town, organiser, side)
    row = session.attendances.get()
    user = accounts[role]
    seen = (organiser, side) in VISIBLE[role]
    runs = (organiser, side) in EDITABLE[role]
    assert visible_to(user, TrainingSession).filter(pk=session.pk).exists() == seen
    assert editable_by(user, TrainingSession).filter(pk=session.pk).exists() == runs
    assert visible_to(user, Attendance).filter(pk=row.pk).exists() == seen
    assert editable_by(user, Attendance).filter(pk=row.pk).exists() == runs


@pytest.mark.parametrize(("role", "organiser", "side"), MATRIX, ids=IDS)
def test_screens(client, town, accounts, role, organiser, side):
    session = organised_session(town, organiser, side)
    client.force_login(accounts[role])
    listing = client.get(reverse("training_sessions:index"))
    inspect = client.get(reverse("training_sessions:inspect", args=[session.pk]))
    edit = client.get(reverse("training_sessions:edit", args=[session.pk]))
    roster = client.get(reverse("session_roster", args=[session.pk]))
    seen = (organiser, side) in VISIBLE[role]
    if VISIBLE[role]:
        assert listing.status_code == 200
        assert (session.pk in {o.pk for o in listing.context["object_list"]}) == seen
    else:
        assert listing.status_code in (302, 403)
    assert (inspect.status_code == 200) == seen
    assert (roster.status_code == 200) == seen
    assert (edit.status_code == 200) == ((organiser, side) in EDITABLE[role])


def test_roster_of_a_district_session_shows_others_only_their_people(client, town, accounts):
    """A district session inviting both sides: the enterprise sees its own person, not the other."""
    session = TrainingSessionFactory(invitees=[town["person_a"]])
    session.attendances.create(person=town["person_b"])
    client.force_login(accounts[R.ENTERPRISE_MANAGER])
    page = client.get(reverse("session_roster", args=[session.pk])).content.decode()
    assert town["person_a"].name in page
    assert town["person_b"].name not in page
