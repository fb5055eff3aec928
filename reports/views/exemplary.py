"""The public page of exemplary enterprises (示范企业, no login): a year's choices and reasons."""

from django.shortcuts import render
from django.urls import path

from reports.selectors.exemplary import exemplary_default_year, exemplary_public, exemplary_years


def exemplary_page(request):
    years = exemplary_years()
    try:
        year = int(request.GET["year"])
    except (KeyError, ValueError):
        year = exemplary_default_year(years)
    return render(
        request,
        "reports/exemplary.html",
        {"year": year, "years": years, "chosen": list(exemplary_public(year=year))},
    )


urlpatterns = [path("", exemplary_page, name="exemplary")]
