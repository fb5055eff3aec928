"""Offline sessions in the back office: the sessions list and each session's roster.

Imported by training/wagtail_hooks.py (Wagtail loads only that module by name).
"""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.model import ModelViewSetGroup

from training.sessions.views.feeds_admin import (
    criteria_study_view,
    inspectors_view,
    leaders_duties_view,
    principal_coverage_view,
    principal_invite_view,
)
from training.sessions.views.list_admin import TrainingSessionViewSet, session_makeup
from training.sessions.views.photos import session_photo_delete_view, session_photos_upload
from training.sessions.views.qr_admin import session_qr, session_qr_json
from training.sessions.views.roster_admin import (
    attendance_mark_view,
    session_confirm_view,
    session_roster,
    session_sheet_pdf,
)

SESSIONS_MENU_HOOK = "register_sessions_menu_item"


class SessionViewSetGroup(ModelViewSetGroup):
    menu_label = _("Training sessions")
    menu_icon = "group"
    menu_order = 207
    submenu_hook = SESSIONS_MENU_HOOK
    items = (TrainingSessionViewSet,)


@hooks.register("register_admin_viewset")
def register_session_viewset():
    return SessionViewSetGroup()


class SessionReportMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("training.view_trainingsession")


REPORTS = (
    ("session_principal_coverage", _("Principal coverage"), 100),
    ("session_criteria_study", _("Criteria study by member units"), 110),
    ("session_inspectors", _("Inspectors' centralized training"), 120),
)


def _report_item(url_name, label, order):
    @hooks.register(SESSIONS_MENU_HOOK)
    def item():
        return SessionReportMenuItem(
            label,
            reverse(url_name),
            name=url_name.replace("_", "-"),
            icon_name="doc-full",
            order=order,
        )

    return item


for _url_name, _label, _order in REPORTS:
    _report_item(_url_name, _label, _order)


class LeadersDutiesMenuItem(MenuItem):
    def is_shown(self, request):
        from training.sessions.selectors.duties import sees_leaders_duties

        return sees_leaders_duties(request.user)


@hooks.register(SESSIONS_MENU_HOOK)
def leaders_duties_menu_item():
    return LeadersDutiesMenuItem(
        _("Town leaders' safety duties"),
        reverse("session_leaders_duties"),
        name="session-leaders-duties",
        icon_name="doc-full",
        order=130,
    )


@hooks.register("register_admin_urls")
def register_session_urls():
    return [
        path(
            "training/session-reports/principals/",
            principal_coverage_view,
            name="session_principal_coverage",
        ),
        path(
            "training/session-reports/principals/invite/",
            principal_invite_view,
            name="session_principal_invite",
        ),
        path(
            "training/session-reports/criteria/", criteria_study_view, name="session_criteria_study"
        ),
        path("training/session-reports/inspectors/", inspectors_view, name="session_inspectors"),
        path(
            "training/session-reports/leaders/", leaders_duties_view, name="session_leaders_duties"
        ),
        path("training/sessions/<int:pk>/makeup/", session_makeup, name="session_makeup"),
        path("training/sessions/<int:pk>/roster/", session_roster, name="session_roster"),
        path(
            "training/sessions/<int:pk>/mark/<int:attendance_pk>/",
            attendance_mark_view,
            name="session_mark",
        ),
        path("training/sessions/<int:pk>/confirm/", session_confirm_view, name="session_confirm"),
        path("training/sessions/<int:pk>/sheet.pdf", session_sheet_pdf, name="session_sheet_pdf"),
        path("training/sessions/<int:pk>/qr/", session_qr, name="session_qr"),
        path("training/sessions/<int:pk>/photos/", session_photos_upload, name="session_photos"),
        path(
            "training/sessions/<int:pk>/photos/<int:photo_pk>/delete/",
            session_photo_delete_view,
            name="session_photo_delete",
        ),
        path("training/sessions/<int:pk>/qr.json", session_qr_json, name="session_qr_json"),
    ]
