"""Creating a session: the roster from the audience, notices once, capacity, 我的培训班."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from directory.constants import AccountRole, PersonRole
from directory.models import Notification
from tests.factories import PersonFactory, UserFactory
from tests.factories.sessions import SESSION_START, TrainingSessionFactory
from training.models import SessionKind, TrainingSession
from training.sessions.services.roster import session_create, session_invite

R = AccountRole


def _session(**fields) -> TrainingSession:
    values = {
        "kind": SessionKind.PRINCIPAL,
        "title": "主要负责人专题培训",
        "starts_at": SESSION_START,
        "ends_at": SESSION_START + datetime.timedelta(hours=2),
        "place": "镇政府三楼会议室",
        "hours": Decimal("2.0"),
        "audience_role": PersonRole.PRINCIPAL,
        **fields,
    }
    return TrainingSession(**values)


@pytest.fixture
def principals(town):
    a = PersonFactory(name="赵厂长", employer=town["ent_a"], is_principal=True)
    b = PersonFactory(name="钱经理", employer=town["ent_b"], is_principal=True)
    a.account = UserFactory(username="zhao", role=R.LEARNER)
    a.save()
    return a, b


def test_department_invites_the_principals_of_its_enterprises(town, accounts, principals):
    session = session_create(user=accounts[R.DEPARTMENT_OFFICER], session=_session())
    assert session.organiser_department == town["dept_a"]
    assert list(session.attendances.values_list("person__name", flat=True)) == ["赵厂长"]
    note = Notification.objects.get(recipient=principals[0].account)
    # From the organising department, to the invitee, with the time, place and hours.
    assert note.title.startswith("【经发办】培训通知：主要负责人专题培训（")
    assert note.body.startswith("【经发办】赵厂长：您已列入培训班《主要负责人专题培训》的名单")
    assert "到镇政府三楼会议室参加培训，并扫码签到。" in note.body
    assert note.link == reverse("sessions:mine")
    # Inviting again adds no row and no second message.
    assert (
        session_invite(
            user=accounts[R.DEPARTMENT_OFFICER], session=session, person_ids=[principals[0].pk]
        )
        == 0
    )
    assert Notification.objects.filter(recipient=principals[0].account).count() == 1


def test_town_session_reaches_both_sides(town, accounts, principals):
    session = session_create(user=accounts[R.TOWN_OFFICE], session=_session())
    assert session.organiser_label == "镇"
    assert session.attendances.count() == 2


def test_capacity_is_never_exceeded(town, accounts, principals):
    with pytest.raises(ValidationError, match="2 人.*1 人"):
        session_create(user=accounts[R.TOWN_OFFICE], session=_session(capacity=1))
    assert not TrainingSession.objects.exists()


def test_people_outside_responsibility_are_refused(town, accounts, principals):
    session = session_create(user=accounts[R.DEPARTMENT_OFFICER], session=_session())
    with pytest.raises(ValidationError, match="钱经理"):
        session_invite(
            user=accounts[R.DEPARTMENT_OFFICER], session=session, person_ids=[principals[1].pk]
        )
    with pytest.raises(PermissionDenied):
        session_invite(user=accounts[R.ENTERPRISE_MANAGER], session=session, person_ids=[])
    with pytest.raises(PermissionDenied):
        session_create(user=accounts[R.VILLAGE_OFFICER], session=_session())


def test_empty_audience_and_missing_place_are_explained(town, accounts):
    with pytest.raises(ValidationError, match="没有"):
        session_create(user=accounts[R.DEPARTMENT_OFFICER], session=_session())
    with pytest.raises(ValidationError) as error:
        session_create(user=accounts[R.TOWN_OFFICE], session=_session(place=""))
    assert "place" in error.value.message_dict


def test_admin_form_creates_session_with_roster(client, town, accounts, principals):
    client.force_login(accounts[R.ENTERPRISE_MANAGER])
    response = client.post(
        reverse("training_sessions:add"),
        {
            "kind": SessionKind.FIRE,
            "title": "消防培训",
            "starts_at": "2026-06-01T09:00",
            "ends_at": "2026-06-01T11:00",
            "mode": "on_site",
            "place": "厂区食堂",
            "hours": "2",
            "audience_enterprise": town["ent_a"].pk,
            "id_numbers": "",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    session = TrainingSession.objects.get()
    assert session.organiser_enterprise == town["ent_a"]
    assert set(session.attendances.values_list("person__name", flat=True)) == {"张三", "赵厂长"}


def test_my_sessions_lists_the_learners_sessions(client, town, accounts):
    session = TrainingSessionFactory(invitees=[town["person_a"]])
    TrainingSessionFactory(title="别人的培训班", invitees=[town["person_b"]])
    client.force_login(accounts[R.LEARNER])
    page = client.get(reverse("sessions:mine"))
    assert page.status_code == 200
    text = page.content.decode()
    assert session.title in text and "别人的培训班" not in text
    assert "我的培训班" in text
    assert reverse("sessions:mine") in client.get(reverse("learning:mine")).content.decode()


def test_header_links_my_training_sessions_for_logged_in_people(client, town, accounts):
    link = f'href="{reverse("sessions:mine")}"'
    assert link not in client.get(reverse("search")).content.decode()
    client.force_login(accounts[R.LEARNER])
    page = client.get(reverse("search")).content.decode()
    header = page[page.index('<header class="site-header"') : page.index("</header>")]
    assert link in header and "我的培训班" in header
    mine = client.get(reverse("sessions:mine")).content.decode()
    assert f'{link} aria-current="page"' in mine


def test_invitation_goes_by_in_app_message_and_email(
    town, accounts, principals, django_capture_on_commit_callbacks
):
    from django.core import mail

    account = principals[0].account
    account.email = "zhao@example.org"
    account.save()
    with django_capture_on_commit_callbacks(execute=True):
        session_create(user=accounts[R.DEPARTMENT_OFFICER], session=_session())
    assert Notification.objects.filter(recipient=account).count() == 1
    (email,) = mail.outbox
    assert email.to == ["zhao@example.org"]
    assert "主要负责人专题培训" in email.subject and "镇政府三楼会议室" in email.body


def test_my_page_shows_the_upcoming_sessions_of_the_invitee(client, town, accounts):
    from django.utils import timezone

    soon = timezone.now() + datetime.timedelta(days=3)
    TrainingSessionFactory(
        title="下周的消防培训",
        starts_at=soon,
        ends_at=soon + datetime.timedelta(hours=2),
        invitees=[town["person_a"]],
    )
    TrainingSessionFactory(title="五月的老培训", invitees=[town["person_a"]])
    TrainingSessionFactory(title="别人的培训班", invitees=[town["person_b"]])
    client.force_login(accounts[R.LEARNER])
    body = client.get(reverse("directory:my_page")).content.decode()
    card = body[body.index('id="my-sessions"') :]
    assert "下周的消防培训" in card and "我的培训班" in card
    assert "五月的老培训" not in body and "别人的培训班" not in body
