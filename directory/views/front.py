"""Front office views for learners and enterprise managers (mobile first)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from directory.selectors import person_for_user


@login_required
def my_page(request):
    return render(request, "directory/my_page.html", {"person": person_for_user(request.user)})
