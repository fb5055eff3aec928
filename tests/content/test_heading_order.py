"""Listing pages step their headings down one level at a time (axe / Lighthouse heading-order):
the page's h1, then each card's h2; the home page keeps h3 cards under its h2 sections."""

import re

import pytest

from tests.factories.content import (
    ArticlePageFactory,
    CampaignIndexPageFactory,
    CampaignPageFactory,
    CriteriaIndexPageFactory,
    CriteriaPageFactory,
    NewsIndexPageFactory,
    home_site_make,
)

HEADING = re.compile(r"<h([1-6])[\s>]")


def _levels(client, url) -> list[int]:
    response = client.get(url)
    assert response.status_code == 200
    main = response.content.decode().split('<main id="main"', 1)[1].split("</main>", 1)[0]
    return [int(level) for level in HEADING.findall(main)]


@pytest.fixture
def site(db):
    home = home_site_make()
    criteria = CriteriaIndexPageFactory(parent=home, slug="criteria")
    CriteriaPageFactory(parent=criteria)
    campaigns = CampaignIndexPageFactory(parent=home, slug="campaigns")
    CampaignPageFactory(parent=campaigns)
    news = NewsIndexPageFactory(parent=home, slug="news")
    ArticlePageFactory(parent=news)
    return home


@pytest.mark.parametrize("url", ["/criteria/", "/campaigns/", "/news/", "/"])
def test_headings_never_skip_a_level(client, site, url):
    levels = _levels(client, url)
    assert levels[0] == 1 and len(levels) > 1, levels
    for before, after in zip(levels, levels[1:], strict=False):
        assert after <= before + 1, levels
