from django.urls import path
from wagtail.contrib.sitemaps.views import sitemap

from content.views.search import search_view

urlpatterns = [
    path("sitemap.xml", sitemap, name="sitemap"),
    path("search/", search_view, name="search"),
]
