"""《生产经营单位安全培训规定》第十七条: a person back at work after a year or more away is trained
again at workshop and team level. The registry records the dates of leaving and returning (form,
service, import); a return after a year or more dates the current post from the return, which is
what the re-training duty reads (training.learning.selectors.retraining)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from directory.constants import AccountRole
from directory.importing.services import import_file
from directory.models import Person
from directory.services import person_create, person_update
from tests.directory.importing_helpers import PEOPLE_TEMPLATE_HEADERS, write_xlsx
from tests.directory.test_admin_registry import form_data
from tests.factories import PersonFactory
from tests.factories.directory import id_number_make
from training.learning.selectors.requirements import requirement_status

D = datetime.date
TODAY = D(2026, 11, 28)


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 28, 12, tzinfo=datetime.UTC))


def retraining_of(person):
    (status,) = requirement_status(people=Person.objects.filter(pk=person.pk), year=2026)
    return status.retraining


def test_exactly_one_year_away_makes_workshop_and_team_training_due_again(town):
    """第十七条: 离岗一年以上重新上岗 — exactly one year away counts; the post dates from the
    return and the re-training duty shows from that day."""
    person = PersonFactory(employer=town["ent_a"], hire_date=D(2018, 1, 1))
    person_update(
        person=person,
        user=None,
        values={"away_since": D(2025, 3, 1), "returned_on": D(2026, 3, 1)},
    )
    person.refresh_from_db()
    assert person.post_since == D(2026, 3, 1)
    duty = retraining_of(person)
    assert duty.since == D(2026, 3, 1) and not duty.met


def test_one_day_short_of_a_year_away_changes_nothing(town):
    """One day less than a year is not an absence of a year or more: no re-training duty."""
    person = PersonFactory(employer=town["ent_a"], hire_date=D(2018, 1, 1))
    person_update(
        person=person,
        user=None,
        values={"away_since": D(2025, 3, 1), "returned_on": D(2026, 2, 28)},
    )
    person.refresh_from_db()
    assert person.post_since is None
    assert retraining_of(person) is None


def test_a_post_taken_after_the_return_is_kept(town):
    """A transfer dated after the return is the later start; the return does not move it back."""
    person = PersonFactory(employer=town["ent_a"], post_since=D(2026, 6, 1))
    person_update(
        person=person,
        user=None,
        values={"away_since": D(2024, 1, 1), "returned_on": D(2026, 3, 1)},
    )
    person.refresh_from_db()
    assert person.post_since == D(2026, 6, 1)


def test_a_person_registered_with_a_long_absence_owes_it_too(town):
    """Registered after the return (e.g. the registry is new): the same rule applies."""
    person = person_create(
        user=None,
        values={
            "name": "返岗人员",
            "id_number": id_number_make(881),
            "employer": town["ent_a"],
            "is_general_worker": True,
            "hire_date": D(2015, 5, 1),
            "away_since": D(2023, 5, 1),
            "returned_on": D(2026, 9, 1),
        },
    )
    assert person.post_since == D(2026, 9, 1)


@pytest.mark.parametrize(
    ("away", "back", "field", "message"),
    [
        (D(2026, 12, 1), None, "away_since", "离岗日期不能晚于今天。"),
        (D(2025, 1, 1), D(2026, 12, 1), "returned_on", "返岗日期不能晚于今天。"),
        (D(2026, 5, 1), D(2026, 4, 1), "returned_on", "返岗日期不能早于离岗日期（2026-05-01）。"),
        (None, D(2026, 4, 1), "away_since", "填写返岗日期时须同时填写离岗日期。"),
    ],
)
def test_impossible_dates_are_refused_in_chinese(town, away, back, field, message):
    person = PersonFactory(employer=town["ent_a"], away_since=None, returned_on=None)
    person.away_since, person.returned_on = away, back
    with pytest.raises(ValidationError) as error:
        person.full_clean()
    assert error.value.message_dict[field] == [message]


def test_the_form_records_a_return_and_refuses_one_before_leaving(client, accounts, town):
    person = town["person_a"]
    client.force_login(accounts[AccountRole.ENTERPRISE_MANAGER])
    edit = reverse("registry_people:edit", args=[person.pk])
    page = client.get(edit)
    assert "离岗日期" in page.content.decode() and "返岗日期" in page.content.decode()
    bad = client.post(edit, form_data(page, away_since="2026-05-01", returned_on="2026-04-01"))
    assert bad.status_code == 200
    assert "返岗日期不能早于离岗日期（2026-05-01）。" in bad.content.decode()
    person.refresh_from_db()
    assert person.away_since is None
    done = client.post(edit, form_data(page, away_since="2024-10-01", returned_on="2026-10-08"))
    assert done.status_code == 302
    person.refresh_from_db()
    assert (person.away_since, person.returned_on) == (D(2024, 10, 1), D(2026, 10, 8))
    assert person.post_since == D(2026, 10, 8)


def row(name, number, code, away="", back=""):
    return [
        name,
        id_number_make(number),
        "",
        code,
        "一般从业人员",
        "",
        "操作工",
        "",
        "2019-01-01",
        away,
        back,
    ]


def test_the_import_dates_the_post_from_a_long_absence_return(town, tmp_path):
    """The people import's 离岗日期 / 返岗日期: a year or more away dates the post from the
    return; a shorter absence does not."""
    code = town["ent_a"].credit_code
    rows = [
        row("返岗甲", 890, code, "2025-03-01", "2026-03-01"),
        row("返岗乙", 891, code, "2025-03-01", "2026-02-28"),
    ]
    report = import_file(
        kind="people",
        path=write_xlsx(tmp_path / "a.xlsx", PEOPLE_TEMPLATE_HEADERS, rows),
        dry_run=False,
    )
    assert report.written
    first, second = Person.objects.get(name="返岗甲"), Person.objects.get(name="返岗乙")
    assert (first.away_since, first.returned_on, first.post_since) == (
        D(2025, 3, 1),
        D(2026, 3, 1),
        D(2026, 3, 1),
    )
    assert second.returned_on == D(2026, 2, 28) and second.post_since is None
    # Re-importing an existing person with a return recorded later also dates the post.
    rows = [row("返岗乙", 891, code, "2024-03-01", "2026-02-28")]
    report = import_file(
        kind="people",
        path=write_xlsx(tmp_path / "b.xlsx", PEOPLE_TEMPLATE_HEADERS, rows),
        dry_run=False,
    )
    assert report.written
    second.refresh_from_db()
    assert second.post_since == D(2026, 2, 28)


def test_the_import_refuses_a_return_before_leaving_naming_the_row_and_column(town, tmp_path):
    code = town["ent_a"].credit_code
    rows = [
        row("好行", 892, code),
        row("坏行", 893, code, "2026-05-01", "2026-04-01"),
    ]
    report = import_file(
        kind="people",
        path=write_xlsx(tmp_path / "c.xlsx", PEOPLE_TEMPLATE_HEADERS, rows),
        dry_run=False,
    )
    assert not report.written
    assert not Person.objects.filter(name__in=["好行", "坏行"]).exists()
    (bad,) = report.error_rows
    assert bad.row == 3
    assert bad.errors == ("返岗日期：返岗日期不能早于离岗日期（2026-05-01）。",)
