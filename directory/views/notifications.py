"""The account's messages ("我的消息"): list, open (marks read and follows the link), mark all read."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from directory.files import private_page
from directory.selectors import notifications_for
from directory.services import notification_mark_read


@login_required
@private_page
def notification_list(request):
    page = Paginator(notifications_for(request.user), 30).get_page(request.GET.get("page"))
    return render(request, "directory/notifications.html", {"page_obj": page})


@login_required
def notification_open(request, pk: int):
    note = get_object_or_404(notifications_for(request.user), pk=pk)
    notification_mark_read(recipient=request.user, notification_ids=[note.pk])
    safe = url_has_allowed_host_and_scheme(
        note.link, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return redirect(note.link if note.link and safe else "directory:notifications")


@login_required
@require_POST
def notification_read_all(request):
    notification_mark_read(recipient=request.user)
    return redirect("directory:notifications")
