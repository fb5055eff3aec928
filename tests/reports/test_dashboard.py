"""The coverage dashboards and drill-down: scoped per role, "no data" for metrics without a
source, the SVG trend chart, the XLSX export (formula cells neutralised) and the once-only reminder."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from directory.constants import AccountRole
from directory.exports import cell_safe
from directory.models import Notification
from reports.charts import trend_svg
from tests.export_helpers import export_get
from tests.factories import EnterpriseFactory, UserFactory
from tests.factories.drills import DrillRecordFactory

TOWN = AccountRole.TOWN_OFFICE
DEPT = AccountRole.DEPARTMENT_OFFICER
VILLAGE = AccountRole.VILLAGE_OFFICER
MANAGER = AccountRole.ENTERPRISE_MANAGER
LEARNER = AccountRole.LEARNER
EDITOR = AccountRole.EDITOR
YEAR = 2026


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(timezone.make_aware(datetime.datetime(YEAR, 11, 20, 12)))


def dashboard_url(**params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return reverse("coverage:dashboard") + ("?" + query if query else "")


def uncovered_url(code="drill_coverage", **params):
    query = "&".join(f"{k}={v}" for k, v in {"year": YEAR, "month": 11, **params}.items())
    return reverse("coverage:uncovered", args=[code]) + "?" + query


# --- chart -------------------------------------------------------------------------------------


def test_trend_svg_draws_points_months_and_target():
    svg = trend_svg([(1, 10.0), (2, None), (3, 50.0)], target=80, maximum=100, title="演练")
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert svg.count("<circle") == 2
    assert 'class="trend"' in svg and 'class="target"' in svg
    assert "1月" in svg and "12月" in svg and "80%" in svg
    assert "<title>3月 50%</title>" in svg


def test_trend_svg_escapes_its_title():
    assert "<b>" not in trend_svg([], title="<b>x</b>")


# --- dashboard --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "role, status",
    [(TOWN, 200), (DEPT, 200), (VILLAGE, 200), (MANAGER, 302), (EDITOR, 302), (LEARNER, 302)],
)
def test_dashboard_access_by_role(client, accounts, role, status):
    client.force_login(accounts[role])
    assert client.get(dashboard_url()).status_code == status


@pytest.fixture
def unplugged(monkeypatch):
    """A metric whose source is not installed (every plan metric has one now)."""
    from reports.metrics import REGISTRY, Metric

    class Unplugged(Metric):
        code = "unplugged"
        label = "未接入指标"

    monkeypatch.setitem(REGISTRY, "unplugged", Unplugged())


def test_town_dashboard_shows_the_drills_and_no_data_for_the_rest(
    client, accounts, town, unplugged
):
    DrillRecordFactory(enterprise=town["ent_a"], date=datetime.date(YEAR, 3, 1))
    client.force_login(accounts[TOWN])
    body = client.get(dashboard_url()).content.decode()
    # Only a metric without a source says "no data", never a made-up number.
    assert body.count("暂无数据") == 1 and "未接入指标" in body
    assert "年度疏散演练覆盖率" in body
    assert "50.0%" in body
    assert "1 / 2" in body
    assert "<svg" in body
    # The 100% by 31 December target applies in November; the gap is 50 points.
    assert "2026年12月31日" in body and "50.0 个百分点" in body
    assert "经发办" in body and "金云村" in body


def test_department_officer_cannot_widen_the_scope(client, accounts, town):
    client.force_login(accounts[DEPT])
    body = client.get(dashboard_url(department=town["dept_b"].pk)).content.decode()
    assert "0 / 1" in body
    assert "规建办" not in body


# --- drill-down ---------------------------------------------------------------------------------


@pytest.mark.parametrize("role, sees_b", [(TOWN, True), (DEPT, False), (VILLAGE, False)])
def test_uncovered_list_is_scoped(client, accounts, town, role, sees_b):
    client.force_login(accounts[role])
    body = client.get(uncovered_url()).content.decode()
    assert "甲机械有限公司" in body
    assert ("乙建设有限公司" in body) is sees_b


def test_uncovered_list_of_a_metric_without_source_says_no_data(client, accounts, unplugged):
    client.force_login(accounts[TOWN])
    response = client.get(uncovered_url("unplugged"))
    assert "暂无数据" in response.content.decode()
    assert client.get(uncovered_url("nonexistent")).status_code == 404
    assert client.get(uncovered_url("exemplary_enterprises")).status_code == 404


def test_uncovered_xlsx_export_neutralises_formulas(client, accounts, town):
    EnterpriseFactory(name='=HYPERLINK("http://x")', lead_department=town["dept_a"])
    DrillRecordFactory(enterprise=town["ent_b"], date=datetime.date(YEAR, 2, 1))
    client.force_login(accounts[TOWN])
    response = export_get(client, uncovered_url(format="xlsx"))
    sheet = load_workbook(io.BytesIO(response.getvalue())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("企业", "统一社会信用代码")
    names = {r[0] for r in rows[1:]}
    assert names == {'\'=HYPERLINK("http://x")', "甲机械有限公司"}


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@SUM(A1)"])
def test_formula_prefixes_are_quoted(value):
    assert cell_safe(value) == "'" + value
    assert cell_safe("甲" + value) == "甲" + value


def test_reminder_goes_once_to_the_managers_of_uncovered_enterprises(client, accounts, town):
    other_manager = UserFactory(username="manager_b", role=MANAGER, enterprise=town["ent_b"])
    DrillRecordFactory(enterprise=town["ent_b"], date=datetime.date(YEAR, 2, 1))
    client.force_login(accounts[TOWN])
    response = client.post(uncovered_url(), follow=True)
    assert "已向 1 个账号发送提醒" in response.content.decode()
    (note,) = Notification.objects.all()
    assert note.recipient == accounts[MANAGER]
    # From the town office, naming the enterprise and what it lacks in plain words.
    assert note.title == "【镇安委办】未开展疏散逃生演练：甲机械有限公司（2026年12月31日前）"
    assert note.body == (
        "【镇安委办】甲机械有限公司：本年度尚未开展疏散逃生演练。"
        "请于2026年12月31日前组织疏散逃生演练，并在平台记录。"
    )
    assert note.link == "/drills/new/"
    assert not Notification.objects.filter(recipient=other_manager).exists()
    again = client.post(uncovered_url(), follow=True)
    assert "本月已提醒过" in again.content.decode()
    assert Notification.objects.count() == 1


@pytest.mark.parametrize("size", [2, 30])
def test_dashboard_page_queries_are_bounded(
    client, accounts, town, size, django_assert_max_num_queries
):
    for n in range(size):
        enterprise = EnterpriseFactory(lead_department=town["dept_a"])
        if n % 3:
            DrillRecordFactory(enterprise=enterprise, date=datetime.date(YEAR, 1 + n % 10, 1))
    client.force_login(accounts[TOWN])
    # The metrics' own queries (see test_metrics, the principals' two duties and the cadres'
    # course included), the rest is the page's (one of them: whether a snapshot is fresh).
    with django_assert_max_num_queries(31):
        assert client.get(dashboard_url()).status_code == 200


def test_long_rankings_show_leaders_and_laggards_and_every_row_on_demand(client, accounts, town):
    """A city has hundreds of villages: 10 first and 10 last rows, the rest behind a link."""
    from tests.factories import VillageFactory

    villages = [VillageFactory(name=f"排名村{n:02d}") for n in range(25)]
    for n, village in enumerate(villages):
        enterprise = EnterpriseFactory(
            village=village, lead_department=town["ent_a"].lead_department
        )
        if n < 12:
            DrillRecordFactory(enterprise=enterprise, date=datetime.date(YEAR, 3, 1))
    client.force_login(accounts[TOWN])
    body = client.get(dashboard_url()).content.decode()
    # 27 villages rank for the drill metric (the town fixture's two and these 25).
    assert "另有 7 个单位" in body
    shown = sum(f"排名村{n:02d}" in body for n in range(25))
    assert shown < 25
    every = client.get(dashboard_url(all=1)).content.decode()
    assert "另有" not in every
    assert all(f"排名村{n:02d}" in every for n in range(25))
