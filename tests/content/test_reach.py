"""Propaganda reach: activities, media reports and warning-film showings of campaign pages,
counted per kind, village and year; the page's totals; the unit's monthly report; the editor."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone
from wagtail.fields import StreamField
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from content.models import (
    CampaignActivity,
    CampaignFilmShowing,
    CampaignMediaReport,
    CampaignPage,
    ReachKind,
)
from content.reach.selectors import campaign_totals, reach_year
from directory.constants import AccountRole
from reports.metrics import Scope, metric_get
from reports.selectors.coverage import dashboard_figures
from reports.services import monthly
from tests.factories import UserFactory
from tests.factories.content import (
    CampaignIndexPageFactory,
    CampaignPageFactory,
    home_site_make,
)

D = datetime.date


@pytest.fixture
def campaigns(town):
    home = home_site_make()
    index = CampaignIndexPageFactory(parent=home, slug="campaigns")
    june = CampaignPageFactory(parent=index, slug="month-2025", year=2025)
    last_year = CampaignPageFactory(
        parent=index,
        slug="month-2024",
        year=2024,
        start_date=D(2024, 6, 1),
        end_date=D(2024, 6, 30),
    )
    draft = CampaignPageFactory(parent=index, slug="draft-2025", year=2025, live=False)
    a, b = town["village_a"], town["village_b"]
    dept_a = town["dept_a"]

    def activity(page, date, kind, participants, materials=0, **extra):
        return CampaignActivity.objects.create(
            page=page,
            date=date,
            kind=kind,
            place=extra.pop("place", "现场"),
            participants=participants,
            materials=materials,
            **extra,
        )

    # Into an enterprise (counted in the enterprise's village, 徐泾村), organised by 经发办.
    activity(
        june,
        D(2025, 6, 3),
        ReachKind.ENTERPRISES,
        40,
        100,
        enterprise=town["ent_a"],
        department=dept_a,
    )
    activity(june, D(2025, 6, 10), ReachKind.VILLAGES, 120, 300, village=a, department=dept_a)
    activity(june, D(2025, 7, 2), ReachKind.SCHOOLS, 500, 50, village=b)
    activity(june, D(2025, 6, 16), ReachKind.FAMILIES, 30, 30, village=b)
    activity(last_year, D(2024, 6, 16), ReachKind.VILLAGES, 999, village=a)
    activity(draft, D(2025, 6, 16), ReachKind.VILLAGES, 777, village=a)
    CampaignFilmShowing.objects.create(
        page=june,
        film="生命重于泰山",
        date=D(2025, 6, 20),
        kind=ReachKind.COMMUNITIES,
        place="金云村会议室",
        village=b,
        audience=60,
    )
    CampaignMediaReport.objects.create(
        page=june,
        outlet_kind="wechat",
        outlet="徐泾发布",
        date=D(2025, 6, 17),
        title="安全宣传咨询日",
        link="https://example.com/news/1",
    )
    return {"june": june, "last_year": last_year, "draft": draft}


def test_reach_is_counted_per_kind_village_and_year(campaigns, town):
    town_reach = reach_year(scope=Scope(), year=2025)
    by_kind = {row.kind: row for row in town_reach.rows}
    assert by_kind["enterprises"].participants == 40
    assert by_kind["villages"].participants == 120  # not 2024's 999, not the draft's 777
    assert by_kind["schools"].participants == 500
    assert by_kind["communities"].audience == 60 and by_kind["communities"].showings == 1
    assert town_reach.reached == 40 + 120 + 500 + 30 + 60
    assert town_reach.materials == 480 and town_reach.media_reports == 1

    village_a = reach_year(scope=Scope(village_id=town["village_a"].pk), year=2025)
    assert village_a.reached == 160  # the enterprise's 40 counted in its village
    june_only = reach_year(scope=Scope(village_id=town["village_b"].pk), year=2025, month=6)
    assert june_only.reached == 90  # July's school visit not yet
    assert reach_year(scope=Scope(), year=2024).reached == 999

    metric = metric_get("propaganda_reach")
    industry = Scope(industry_id=town["ent_a"].industry_id)
    assert sum(i.count for i in metric.items(scope=industry, year=2025)) == 40
    assert reach_year(scope=industry, year=2025).reached == 40
    figures = dashboard_figures(scope=Scope(), year=2025, month=12, today=D(2025, 12, 31))
    fig = next(f for f in figures if f.metric.code == "propaganda_reach")
    assert fig.measure.numerator == 750 and fig.measure.denominator is None
    villages = {row.name: row.measure.numerator for row in fig.rankings["village"]}
    assert villages == {"徐泾村": 160, "金云村": 590}
    departments = {row.name: row.measure.numerator for row in fig.rankings["department"]}
    assert departments.get("经发办") == 160
    july = dashboard_figures(scope=Scope(), year=2025, month=6, today=D(2025, 12, 31))
    assert next(f for f in july if f.metric is metric).measure.numerator == 250


def test_campaign_page_shows_its_totals(client, campaigns):
    html = client.get(campaigns["june"].url).content.decode()
    assert (
        'data-kind="villages"><th scope="row">进农村</th><td>1</td><td>120</td><td>300</td>' in html
    )
    assert (
        'data-kind="communities"><th scope="row">进社区</th><td>0</td><td>0</td><td>0</td><td>1</td><td>60</td>'
        in html
    )
    assert (
        'data-kind="total"><th scope="row">合计</th><td>4</td><td>690</td><td>480</td><td>1</td><td>60</td>'
        in html
    )
    assert "共覆盖 750 人次" in html
    assert "徐泾发布" in html and 'href="https://example.com/news/1"' in html
    totals = campaign_totals(campaigns["june"])
    assert (totals.activities, totals.reached, totals.media_reports) == (4, 750, 1)


def test_dashboard_shows_reach_by_kind(client, campaigns, accounts):
    client.force_login(accounts[AccountRole.TOWN_OFFICE])
    html = client.get(reverse("coverage:dashboard") + "?year=2025&month=12").content.decode()
    assert 'id="reach-by-kind"' in html and "宣传覆盖人次" in html
    assert '<tr data-kind="schools"><td>进学校</td><td>1</td><td>500</td>' in html


def test_monthly_report_lists_the_units_activities_of_the_month(
    client, campaigns, accounts, time_machine
):
    time_machine.move_to(timezone.make_aware(datetime.datetime(2025, 6, 20, 12)))
    officer = accounts[AccountRole.DEPARTMENT_OFFICER]
    report = monthly.monthly_report_start(user=officer, year=2025, month=6)
    client.force_login(officer)
    html = client.get(reverse("monthly_reports:detail", args=[report.pk])).content.decode()
    mine = CampaignActivity.objects.filter(department=officer.department, date__month=6)
    assert mine.count() == 2
    for activity in mine:
        assert f'data-activity="{activity.pk}"' in html
    others = CampaignActivity.objects.exclude(department=officer.department)
    assert not any(f'data-activity="{a.pk}"' in html for a in others)
    assert "<td>160</td><td>400</td>" in html  # participants and materials of the two
    # The village's report: what went into it (the enterprise's visit included).
    village_officer = accounts[AccountRole.VILLAGE_OFFICER]
    report = monthly.monthly_report_start(user=village_officer, year=2025, month=6)
    client.force_login(village_officer)
    html = client.get(reverse("monthly_reports:detail", args=[report.pk])).content.decode()
    assert html.count("data-activity=") == 2 and "本月宣传活动" in html
    # Saving and submitting the report still works with the read-only section.
    client.force_login(officer)
    report = monthly.monthly_report_start(user=officer, year=2025, month=6)
    response = client.post(
        reverse("monthly_reports:detail", args=[report.pk]),
        {"work_done": "宣传月活动", "problems": "", "next_month_plan": "", "action": "submit"},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == "submitted"


def test_editor_enters_activities_in_the_page_editor(client, campaigns, town):
    editor = UserFactory(username="reach-editor", is_superuser=True, is_staff=True)
    client.force_login(editor)
    page = CampaignPage.objects.get(pk=campaigns["june"].pk)
    school = {
        "date": "2025-06-18",
        "kind": "schools",
        "place": "徐泾中学",
        "village": str(town["village_a"].pk),
        "participants": "300",
        "materials": "200",
    }
    data = {
        "title": page.title,
        "slug": page.slug,
        "kind": page.kind,
        "year": "2025",
        "theme": page.theme,
        "start_date": "2025-06-01",
        "end_date": "2025-06-30",
        "summary": page.summary,
        "activities": inline_formset([school]),
        "media_reports": inline_formset(
            [{"outlet_kind": "tv", "outlet": "青浦电视台", "date": "2025-06-19", "link": ""}]
        ),
        "film_showings": inline_formset([]),
        "action-publish": "publish",
    }
    for field in CampaignPage._meta.get_fields():
        if isinstance(field, StreamField):
            data[field.name] = streamfield([])
    edit = reverse("wagtailadmin_pages:edit", args=[page.pk])
    # A negative head count is refused at its field, in Chinese, and nothing is written.
    bad = {**data, "activities": inline_formset([{**school, "participants": "-5"}])}
    response = client.post(edit, nested_form_data(bad))
    assert response.status_code == 200
    assert "确保该值大于或等于0" in response.content.decode()
    assert not CampaignActivity.objects.filter(place="徐泾中学").exists()
    response = client.post(edit, nested_form_data(data))
    assert response.status_code == 302, response.content.decode()[:2000]
    added = CampaignActivity.objects.get(page=page, place="徐泾中学")
    assert (added.kind, added.participants, added.materials) == ("schools", 300, 200)
    assert CampaignMediaReport.objects.filter(page=page, outlet="青浦电视台").exists()
    schools = next(r for r in reach_year(scope=Scope(), year=2025).rows if r.kind == "schools")
    assert (schools.activities, schools.participants) == (2, 800)


def test_events_audiences_become_activities(campaigns):
    migration = importlib.import_module("content.migrations.0008_campaign_reach_from_events")
    page = campaigns["last_year"]
    CampaignActivity.objects.filter(page=page).delete()
    page.events = [
        (
            "event",
            {
                "date": D(2024, 6, 16),
                "place": "文体中心广场",
                "organiser": "经发办",
                "audience": ["enterprises", "families"],
                "description": "咨询日",
            },
        ),
        ("event", {"date": D(2024, 6, 20), "place": "x", "organiser": "", "audience": []}),
    ]
    page.save()
    migration.events_to_activities(apps, None)
    rows = CampaignActivity.objects.filter(page=page).order_by("sort_order")
    assert [(a.kind, a.place, a.department.name, a.participants) for a in rows] == [
        ("enterprises", "文体中心广场", "经发办", 0),
        ("families", "文体中心广场", "经发办", 0),
    ]
    count = CampaignActivity.objects.count()
    migration.events_to_activities(apps, None)  # a page with activities is left alone
    assert CampaignActivity.objects.count() == count


def test_demo_campaigns_carry_their_reach(town):
    import io

    from content.demo import content_seed

    content_seed(stdout=io.StringIO())
    page = CampaignPage.objects.live().order_by("-year").first()
    totals = campaign_totals(page)
    by_kind = {row.kind: row for row in totals.rows}
    assert by_kind["schools"].participants == 600 and by_kind["enterprises"].activities == 1
    assert totals.showings == 1 and totals.media_reports == 1
    html_totals = reach_year(scope=Scope(village_id=town["village_a"].pk), year=page.year)
    assert html_totals.reached >= 320 + 80
