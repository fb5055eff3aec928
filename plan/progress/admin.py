"""The task progress in the back office: the evidence files' URL (the lines are edited on the
unit's monthly report screen, reports.sections)."""

from django.urls import include, path
from wagtail import hooks

from plan.progress import views

urlpatterns = [
    path("evidence/<int:pk>/", views.evidence, name="evidence"),
]


@hooks.register("register_admin_urls")
def register_progress_urls():
    return [
        path(
            "plan/progress/",
            include((urlpatterns, "plan_progress"), namespace="plan_progress"),
        )
    ]
