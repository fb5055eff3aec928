"""The town office's follow-up: 督办 through its states (illegal moves refused), scoped to the
unit it was sent to, with notifications both ways and a private evidence file; 约谈 on record;
the monthly 通报 as a numbered PDF read back, sent to every member unit."""

import datetime
import shutil
from pathlib import Path

import pytest
from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import path as url_path
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

import config.urls
from content.views.media import media_serve
from directory.constants import AccountRole
from directory.models import Notification
from plan.followup import services
from plan.followup.models import Bulletin, FollowUpOrder, FollowUpStatus, Talk
from plan.followup.numbers import document_number_take
from plan.followup.selectors import orders_visible_to, talks_visible_to
from plan.models import TaskProgress, TaskStatus
from reports.models import MonthlyReport, ReportStatus
from reports.selectors.home import todo_lines
from tests.factories import UserFactory
from tests.factories.plan import TaskFactory, TaskUnitFactory
from tests.upload_files import pdf_bytes

TOWN = AccountRole.TOWN_OFFICE
DEPT = AccountRole.DEPARTMENT_OFFICER
VILLAGE = AccountRole.VILLAGE_OFFICER
MANAGER = AccountRole.ENTERPRISE_MANAGER
TODAY = datetime.date(2026, 12, 5)

# /media/ as `make run` wires it in development.
urlpatterns = [url_path("media/<path:path>", media_serve), *config.urls.urlpatterns]


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(timezone.make_aware(datetime.datetime(2026, 12, 5, 10)))


@pytest.fixture
def tasks(town):
    # 经发办 leads 排查 (due at the year's end), 徐泾村 cooperates; 规建办's 整治 was due in
    # October and is not done.
    survey = TaskFactory(title="隐患排查", key="F001", status=TaskStatus.IN_PROGRESS)
    TaskUnitFactory(task=survey, department=town["dept_a"])
    TaskUnitFactory(task=survey, village=town["village_a"], role="cooperating")
    works = TaskFactory(title="专项整治", key="F002", deadline=datetime.date(2026, 10, 31))
    TaskUnitFactory(task=works, department=town["dept_b"])
    return {"survey": survey, "works": works}


@pytest.fixture
def dept_b_officer(town):
    return UserFactory(username="dept_b", role=DEPT, department=town["dept_b"])


def refused(response) -> bool:
    """Wagtail's admin answers PermissionDenied with a redirect to its home and a message."""
    return response.status_code == 403 or (
        response.status_code == 302 and response.url == reverse("wagtailadmin_home")
    )


def issue(accounts, tasks, town, **kwargs):
    values = {
        "user": accounts[TOWN],
        "task": tasks["survey"],
        "department": town["dept_a"],
        "requirement": "12月20日前完成全部企业排查。",
        "deadline": datetime.date(2026, 12, 20),
    }
    return services.follow_up_issue(**{**values, **kwargs})


# --- 督办 ----------------------------------------------------------------------------------


def test_an_order_goes_issued_acknowledged_answered_sent_back_answered_closed(
    accounts, tasks, town
):
    order = issue(accounts, tasks, town)
    assert order.number == "徐泾安委办督〔2026〕1号" and order.status == FollowUpStatus.ISSUED
    unit = accounts[DEPT]
    order = services.follow_up_acknowledge(user=unit, order=order)
    assert order.status == FollowUpStatus.ACKNOWLEDGED and order.acknowledged_by == unit
    order = services.follow_up_answer(user=unit, order=order, answer="已排查42家")
    assert order.status == FollowUpStatus.ANSWERED
    order = services.follow_up_return(
        user=accounts[TOWN],
        order=order,
        comment="缺少整改台账",
        deadline=datetime.date(2026, 12, 25),
    )
    assert order.status == FollowUpStatus.RETURNED and order.deadline.day == 25
    order = services.follow_up_answer(user=unit, order=order, answer="已补充整改台账")
    order = services.follow_up_close(user=accounts[TOWN], order=order)
    assert order.status == FollowUpStatus.CLOSED and order.closed_by == accounts[TOWN]


@pytest.mark.parametrize(
    ("status", "move", "message"),
    [
        ("issued", "answer", "请先签收督办再回复"),
        ("issued", "close", "只有已回复的督办才能办结"),
        ("acknowledged", "acknowledge", "只有刚下发的督办才能签收"),
        ("acknowledged", "close", "只有已回复的督办才能办结"),
        ("answered", "answer", "请先签收督办再回复"),
        ("closed", "return", "只有已回复的督办才能退回"),
        ("closed", "answer", "请先签收督办再回复"),
    ],
)
def test_an_illegal_move_is_refused_and_changes_nothing(
    accounts, tasks, town, status, move, message
):
    order = issue(accounts, tasks, town)
    FollowUpOrder.objects.filter(pk=order.pk).update(status=status)
    order.refresh_from_db()
    unit, office = accounts[DEPT], accounts[TOWN]
    moves = {
        "acknowledge": lambda: services.follow_up_acknowledge(user=unit, order=order),
        "answer": lambda: services.follow_up_answer(user=unit, order=order, answer="好"),
        "close": lambda: services.follow_up_close(user=office, order=order),
        "return": lambda: services.follow_up_return(user=office, order=order, comment="否"),
    }
    with pytest.raises(ValidationError) as error:
        moves[move]()
    assert message in " ".join(error.value.messages)
    order.refresh_from_db()
    assert order.status == status


def test_only_the_town_office_issues_and_closes_and_only_the_unit_answers(accounts, tasks, town):
    with pytest.raises(PermissionDenied):
        issue(accounts, tasks, town, user=accounts[DEPT])
    order = issue(accounts, tasks, town)
    with pytest.raises(PermissionDenied):
        services.follow_up_acknowledge(user=accounts[VILLAGE], order=order)
    with pytest.raises(PermissionDenied):
        services.follow_up_acknowledge(user=accounts[TOWN], order=order)
    services.follow_up_acknowledge(user=accounts[DEPT], order=order)
    services.follow_up_answer(user=accounts[DEPT], order=order, answer="已完成")
    with pytest.raises(PermissionDenied):
        services.follow_up_close(user=accounts[DEPT], order=order)


def test_an_order_needs_a_unit_of_the_task_and_a_deadline_to_come(accounts, tasks, town):
    with pytest.raises(ValidationError) as error:
        issue(accounts, tasks, town, department=town["dept_b"])
    assert "规建办不是任务“隐患排查”的牵头或配合单位" in error.value.message_dict["task"][0]
    with pytest.raises(ValidationError) as error:
        issue(accounts, tasks, town, deadline=datetime.date(2026, 12, 1))
    assert error.value.message_dict["deadline"] == ["完成时限不能早于今天。"]
    assert not FollowUpOrder.objects.exists()


def test_the_unit_is_told_of_an_order_and_the_town_office_of_the_answer(accounts, tasks, town):
    order = issue(accounts, tasks, town)
    note = Notification.objects.get(recipient=accounts[DEPT])
    assert note.title == "【镇安委办】督办徐泾安委办督〔2026〕1号：隐患排查（2026年12月20日前）"
    assert "经发办：镇安委办就任务“隐患排查”下发督办，督办事项：12月20日前完成全部企业排查。" in (
        note.body
    )
    assert note.link == reverse("plan_followup:order_detail", args=[order.pk])
    assert not Notification.objects.filter(recipient=accounts[VILLAGE]).exists()
    services.follow_up_acknowledge(user=accounts[DEPT], order=order)
    services.follow_up_answer(user=accounts[DEPT], order=order, answer="已完成")
    note = Notification.objects.get(recipient=accounts[TOWN])
    assert note.title == "【经发办】督办已回复：徐泾安委办督〔2026〕1号"


def test_a_unit_sees_only_its_orders_and_gets_404_for_another_unit_s(
    client, accounts, tasks, town, dept_b_officer
):
    order = issue(accounts, tasks, town)
    assert list(orders_visible_to(accounts[DEPT])) == [order]
    assert list(orders_visible_to(accounts[TOWN])) == [order]
    assert not orders_visible_to(dept_b_officer).exists()
    assert not orders_visible_to(accounts[MANAGER]).exists()
    client.force_login(dept_b_officer)
    detail = reverse("plan_followup:order_detail", args=[order.pk])
    assert client.get(detail).status_code == 404
    assert client.post(detail, {"action": "acknowledge"}).status_code == 404
    assert "徐泾安委办督" not in client.get(reverse("plan_followup:orders")).content.decode()
    assert refused(client.get(reverse("plan_followup:order_issue")))
    client.force_login(accounts[MANAGER])
    assert refused(client.get(reverse("plan_followup:orders")))


def test_the_screens_walk_an_order_from_issue_to_closure(client, accounts, tasks, town):
    client.force_login(accounts[TOWN])
    response = client.post(
        reverse("plan_followup:order_issue"),
        {
            "task": tasks["survey"].pk,
            "unit": f"department:{town['dept_a'].pk}",
            "requirement": "完成排查",
            "deadline": "2026-12-20",
        },
    )
    order = FollowUpOrder.objects.get()
    assert response.url == reverse("plan_followup:order_detail", args=[order.pk])
    detail = response.url

    client.force_login(accounts[DEPT])
    page = client.get(reverse("plan_followup:orders")).content.decode()
    assert "徐泾安委办督〔2026〕1号" in page and "已下发" in page
    client.post(detail, {"action": "acknowledge"})
    empty = client.post(detail, {"action": "answer", "answer": ""})
    with translation.override("zh-hans"):
        required = str(forms.Field.default_error_messages["required"])
    assert required.rstrip("。") in empty.content.decode()
    scan = SimpleUploadedFile("台账.pdf", pdf_bytes("ledger"), content_type="application/pdf")
    client.post(detail, {"action": "answer", "answer": "已排查", "answer_file": scan})
    order.refresh_from_db()
    assert order.status == FollowUpStatus.ANSWERED and order.answer_file
    download = client.get(reverse("plan_followup:order_file", args=[order.pk]))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"

    client.force_login(accounts[TOWN])
    assert "已回复" in client.get(detail).content.decode()
    client.post(detail, {"action": "close"})
    order.refresh_from_db()
    assert order.status == FollowUpStatus.CLOSED


def test_the_answer_file_is_private_and_no_plain_url_serves_it(
    client, accounts, tasks, town, settings, dept_b_officer
):
    order = issue(accounts, tasks, town)
    services.follow_up_acknowledge(user=accounts[DEPT], order=order)
    scan = SimpleUploadedFile("台账.pdf", pdf_bytes("ledger"), content_type="application/pdf")
    order = services.follow_up_answer(user=accounts[DEPT], order=order, answer="好", upload=scan)
    full = Path(order.answer_file.path)
    assert full.is_relative_to(Path(settings.STORAGES["private"]["OPTIONS"]["location"]))
    assert not full.is_relative_to(Path(settings.MEDIA_ROOT))
    assert "台账" not in order.answer_file.name  # a random stored name
    url = reverse("plan_followup:order_file", args=[order.pk])
    client.force_login(dept_b_officer)
    assert client.get(url).status_code == 404
    # Even a copy left in the public folder under the same name is not served.
    leftover = Path(settings.MEDIA_ROOT) / order.answer_file.name
    leftover.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(full, leftover)
    settings.ROOT_URLCONF = __name__
    assert client.get(f"/media/{order.answer_file.name}").status_code == 404


def test_a_file_that_is_not_a_pdf_or_picture_is_refused_naming_it(accounts, tasks, town):
    order = issue(accounts, tasks, town)
    services.follow_up_acknowledge(user=accounts[DEPT], order=order)
    fake = SimpleUploadedFile("台账.pdf", b"<html><script>alert(1)</script>")
    with pytest.raises(ValidationError) as error:
        services.follow_up_answer(user=accounts[DEPT], order=order, answer="好", upload=fake)
    assert error.value.message_dict["answer_file"][0].startswith("台账.pdf：")
    order.refresh_from_db()
    assert order.status == FollowUpStatus.ACKNOWLEDGED and not order.answer_file


def test_the_homes_count_orders_waiting_on_the_unit_and_on_the_town(client, accounts, tasks, town):
    def count(role, key):
        now = timezone.now()
        lines = todo_lines(accounts[role], today=TODAY, now=now)
        line = next(line for line in lines if line.key == key)
        # The list the line links to shows the same number.
        client.force_login(accounts[role])
        page = client.get(line.url).content.decode()
        assert f'data-orders-count="{line.count}"' in page
        return line.count

    order = issue(accounts, tasks, town)
    assert count(DEPT, "follow_ups_to_answer") == 1
    assert count(VILLAGE, "follow_ups_to_answer") == 0
    assert count(TOWN, "follow_ups_to_close") == 0
    services.follow_up_acknowledge(user=accounts[DEPT], order=order)
    assert count(DEPT, "follow_ups_to_answer") == 1
    services.follow_up_answer(user=accounts[DEPT], order=order, answer="已完成")
    assert count(DEPT, "follow_ups_to_answer") == 0
    assert count(TOWN, "follow_ups_to_close") == 1
    services.follow_up_close(user=accounts[TOWN], order=order)
    assert count(TOWN, "follow_ups_to_close") == 0


# --- 约谈 ----------------------------------------------------------------------------------


def test_a_talk_is_recorded_by_the_town_office_and_seen_by_the_unit_talked_to(
    client, accounts, tasks, town, dept_b_officer
):
    client.force_login(accounts[TOWN])
    client.post(
        reverse("plan_followup:talk_create"),
        {
            "held_on": "2026-12-03",
            "unit": f"department:{town['dept_b'].pk}",
            "interviewees": "规建办主任",
            "interviewers": "镇安委办主任",
            "task": tasks["works"].pk,
            "subject": "专项整治逾期",
            "outcome": "承诺12月底前完成",
        },
    )
    talk = Talk.objects.get()
    assert (talk.department, talk.task, talk.recorded_by) == (
        town["dept_b"],
        tasks["works"],
        accounts[TOWN],
    )
    assert list(talks_visible_to(dept_b_officer)) == [talk]
    assert not talks_visible_to(accounts[DEPT]).exists()
    client.force_login(dept_b_officer)
    assert "承诺12月底前完成" in client.get(reverse("plan_followup:talks")).content.decode()
    assert refused(client.get(reverse("plan_followup:talk_create")))
    client.force_login(accounts[DEPT])
    assert "承诺12月底前完成" not in client.get(reverse("plan_followup:talks")).content.decode()


def test_a_talk_names_one_unit(accounts):
    with pytest.raises(ValidationError):
        services.talk_record(
            user=accounts[TOWN],
            held_on=TODAY,
            interviewees="某人",
            interviewers="镇安委办",
            subject="事由",
            outcome="结果",
        )


# --- 通报 ----------------------------------------------------------------------------------


@pytest.fixture
def november(accounts, tasks, town):
    """经发办 and 徐泾村 sent November's report on time; 规建办 sent it but its task is overdue;
    金云村 sent nothing."""

    def sent(day, **unit):
        return MonthlyReport.objects.create(
            year=2026,
            month=11,
            status=ReportStatus.SUBMITTED,
            submitted_at=timezone.make_aware(datetime.datetime(2026, 11, day, 9)),
            **unit,
        )

    report = sent(20, department=town["dept_a"])
    TaskProgress.objects.create(
        task=tasks["survey"], report=report, percent=60, progress="已排查企业36家"
    )
    sent(24, village=town["village_a"])
    sent(22, department=town["dept_b"])
    # A draft does not count as sent, and its progress is not shown.
    draft = MonthlyReport.objects.create(year=2026, month=11, village=town["village_b"])
    TaskProgress.objects.create(task=tasks["survey"], report=draft, progress="草稿内容")


def pdf_text(bulletin) -> str:
    with bulletin.file.open("rb") as handle:
        return "".join(page.extract_text() for page in PdfReader(handle).pages)


def test_the_bulletin_names_its_number_the_units_praised_and_lagging(accounts, november):
    bulletin = services.bulletin_generate(user=accounts[TOWN], year=2026, month=11)
    assert bulletin.number == "徐泾安委办通报〔2026〕1号"
    assert bulletin.praised == ["经发办", "徐泾村"]
    assert bulletin.lagging == ["规建办", "金云村"]
    text = pdf_text(bulletin).replace("\n", "")
    assert "徐泾安委办通报〔2026〕1号" in text
    assert "关于2026年11月任务清单推进情况的通报" in text
    praised = text[text.index("一、表扬单位") : text.index("二、工作滞后单位")]
    lagging = text[text.index("二、工作滞后单位") : text.index("三、各单位任务推进情况")]
    assert "经发办" in praised and "徐泾村" in praised
    assert "规建办" not in praised and "金云村" not in praised
    assert "逾期任务：专项整治" in lagging and "未报送月报" in lagging
    progress = text[text.index("三、各单位任务推进情况") :]
    assert "已排查企业36家" in progress and "60%" in progress
    assert "草稿内容" not in progress
    assert "2026年12月5日" in text


def test_bulletins_are_numbered_in_sequence_once_per_month(accounts, november):
    first = services.bulletin_generate(user=accounts[TOWN], year=2026, month=10)
    second = services.bulletin_generate(user=accounts[TOWN], year=2026, month=11)
    assert [first.sequence, second.sequence] == [1, 2]
    assert second.number == "徐泾安委办通报〔2026〕2号"
    with pytest.raises(ValidationError) as error:
        services.bulletin_generate(user=accounts[TOWN], year=2026, month=11)
    assert "本月通报已印发：徐泾安委办通报〔2026〕2号" in error.value.messages[0]
    with pytest.raises(ValidationError):
        services.bulletin_generate(user=accounts[TOWN], year=2027, month=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Bulletin.objects.create(
            year=2026, month=9, issue_year=2026, sequence=2, number="重复", file="x.pdf"
        )
    assert Bulletin.objects.count() == 2


def test_a_number_taken_in_a_transaction_that_fails_is_given_back(db):
    assert document_number_take(kind="bulletin", year=2026) == 1
    with pytest.raises(RuntimeError), transaction.atomic():
        assert document_number_take(kind="bulletin", year=2026) == 2
        raise RuntimeError
    assert document_number_take(kind="bulletin", year=2026) == 2
    assert document_number_take(kind="bulletin", year=2027) == 1
    assert document_number_take(kind="follow_up", year=2026) == 1


def test_every_member_unit_is_told_and_opens_the_bulletin(
    client, accounts, november, dept_b_officer
):
    bulletin = services.bulletin_generate(user=accounts[TOWN], year=2026, month=11)
    told = Notification.objects.filter(key=f"bulletin:{bulletin.pk}")
    assert set(told.values_list("recipient__username", flat=True)) == {"dept", "village", "dept_b"}
    note = told.get(recipient=dept_b_officer)
    assert note.title == "【镇安委办】通报徐泾安委办通报〔2026〕1号：2026年11月任务清单推进情况"
    for user in (dept_b_officer, accounts[VILLAGE], accounts[TOWN]):
        client.force_login(user)
        response = client.get(note.link)
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        assert (
            "徐泾安委办通报〔2026〕1号"
            in client.get(reverse("plan_followup:bulletins")).content.decode()
        )
    client.force_login(accounts[MANAGER])
    assert refused(client.get(note.link))
    client.logout()
    assert client.get(note.link).status_code == 302


def test_only_the_town_office_generates_a_bulletin(client, accounts, november):
    with pytest.raises(PermissionDenied):
        services.bulletin_generate(user=accounts[DEPT], year=2026, month=11)
    client.force_login(accounts[DEPT])
    url = reverse("plan_followup:bulletin_generate")
    assert refused(client.post(url, {"year": 2026, "month": 11}))
    client.force_login(accounts[TOWN])
    client.post(url, {"year": 2026, "month": 11})
    assert Bulletin.objects.get().month == 11


def test_the_town_office_s_screens_show_their_forms_in_chinese(client, accounts, tasks):
    client.force_login(accounts[TOWN])
    issue_page = client.get(reverse("plan_followup:order_issue")).content.decode()
    assert "下发督办" in issue_page and "督办事项" in issue_page and "隐患排查" in issue_page
    talk_page = client.get(reverse("plan_followup:talk_create")).content.decode()
    assert "被约谈人" in talk_page and "约谈结果" in talk_page
    bulletins = client.get(reverse("plan_followup:bulletins")).content.decode()
    assert "生成通报" in bulletins
    client.force_login(accounts[DEPT])
    assert "生成通报" not in client.get(reverse("plan_followup:bulletins")).content.decode()


def test_a_bad_form_names_the_field_and_writes_nothing(client, accounts, tasks, town):
    client.force_login(accounts[TOWN])
    page = client.post(
        reverse("plan_followup:order_issue"),
        {
            "task": tasks["survey"].pk,
            "unit": f"department:{town['dept_b'].pk}",
            "requirement": "完成排查",
            "deadline": "2026-12-20",
        },
    ).content.decode()
    assert "规建办不是任务“隐患排查”的牵头或配合单位" in page
    assert not FollowUpOrder.objects.exists()
