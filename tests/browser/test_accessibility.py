"""axe-core finds no serious or critical accessibility violation on the public pages."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from content.models import ArticlePage, CampaignPage, CriteriaPage

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def _paths() -> list[str]:
    return [
        "/",
        "/criteria/",
        CriteriaPage.objects.live().first().url,
        CampaignPage.objects.live().first().url,
        "/news/",
        ArticlePage.objects.live().first().url,
        "/search/?q=燃气",
        "/accounts/login/",
    ]


def test_public_pages_have_no_serious_accessibility_violations(live_server, phone, seeded_site):
    axe = Axe()
    problems = {}
    for path in _paths():
        phone.goto(f"{live_server.url}{path}")
        results = axe.run(phone)
        assert results.response["testEngine"]["name"] == "axe-core"
        serious = [
            f"{v['id']}: {v['help']} ({len(v['nodes'])}×, e.g. {v['nodes'][0]['html'][:120]})"
            for v in results.response["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        if serious:
            problems[path] = serious
    assert not problems, problems
