from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from config import health
from config.locale import language_switch
from directory.views.password_reset import ThrottledPasswordResetView

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    # First: the player's heartbeat, the busiest URL (every 15 s per learner watching), is
    # found without trying the patterns of the apps mounted at the root.
    path("learning/", include("training.learning.urls")),
    # Before Wagtail's own: the same form, with a limit on the mails it sends.
    path("admin/password_reset/", ThrottledPasswordResetView.as_view(), name="password_reset"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(template_name="directory/login.html"),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/switch/<str:code>/", language_switch, name="language_switch"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("directory.urls")),
    path("verify/", include("certificates.views.verify")),
    path("exemplary/", include("reports.views.exemplary")),
    path("certificates/issued/", include("certificates.views.issued_front")),
    path("me/certificates/", include("certificates.views.mine")),
    path("dossiers/", include("dossiers.urls")),
    path("exams/", include("training.exams.urls")),
    path("sessions/", include("training.sessions.urls")),
    path("duties/", include("training.duties.urls")),
    path("", include("training.drills.urls")),
]

if settings.PUBLIC_MEDIA_SERVED:
    # Public media on this host's disk (`make run`, a single-host production without a bucket):
    # the CMS's folders only, with Range for video (content.views.media). A bucket serves its own.
    from content.views.media import media_serve

    urlpatterns += [path(f"{settings.MEDIA_URL.lstrip('/')}<path:path>", media_serve)]

urlpatterns += [
    path("", include("content.urls")),
    path("", include(wagtail_urls)),
]
