"""Offline sessions in the back office: the sessions list and each session's roster.

Imported by training/wagtail_hooks.py (Wagtail loads only that module by name).
"""

from django.urls import path
from wagtail import hooks

from training.views.sessions_admin import TrainingSessionViewSet
from training.views.sessions_qr_admin import session_qr, session_qr_json
from training.views.sessions_roster_admin import (
    attendance_mark_view,
    session_confirm_view,
    session_roster,
    session_sheet_pdf,
)


@hooks.register("register_admin_viewset")
def register_session_viewset():
    return TrainingSessionViewSet()


@hooks.register("register_admin_urls")
def register_session_urls():
    return [
        path("training/sessions/<int:pk>/roster/", session_roster, name="session_roster"),
        path(
            "training/sessions/<int:pk>/mark/<int:attendance_pk>/",
            attendance_mark_view,
            name="session_mark",
        ),
        path("training/sessions/<int:pk>/confirm/", session_confirm_view, name="session_confirm"),
        path("training/sessions/<int:pk>/sheet.pdf", session_sheet_pdf, name="session_sheet_pdf"),
        path("training/sessions/<int:pk>/qr/", session_qr, name="session_qr"),
        path("training/sessions/<int:pk>/qr.json", session_qr_json, name="session_qr_json"),
    ]
