"""Public search over the site's pages: /search/?q=…&type=…&page=…"""

from django.core.paginator import Paginator
from django.template.response import TemplateResponse
from wagtail.models import Site

from content.search import page_search, search_hits

RESULTS_PER_PAGE = 10


def search_view(request):
    search = page_search(
        query=request.GET.get("q", ""),
        page_type=request.GET.get("type", ""),
        site=Site.find_for_request(request),
    )
    results = Paginator(search.results, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
    return TemplateResponse(
        request,
        "content/search.html",
        {
            "search": search,
            "results": results,
            "hits": search_hits(results.object_list, words=search.words),
        },
    )
