"""Pages with unpublished changes, for those who edit pages: the list behind the editor's home
line (content.selectors.pages_with_drafts, the one definition both read)."""

from django.core.paginator import Paginator
from django.template.response import TemplateResponse

from content.selectors import pages_with_drafts


def drafts(request):
    pages = pages_with_drafts(request.user).select_related("latest_revision__user")
    page = Paginator(pages, 50).get_page(request.GET.get("page"))
    return TemplateResponse(request, "content/admin/drafts.html", {"page": page})
