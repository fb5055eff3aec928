"""Settings shared by every environment; everything deployment-specific comes from the environment."""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from config.cache import cache_config

BASE_DIR = Path(__file__).resolve().parent.parent.parent
env = environ.Env()

# Local data of the embedded defaults (SQLite file, broker folders, cache, media): var/ in the
# checkout unless VAR_DIR names another folder (a second `make run`, the test of `make run`).
VAR_DIR = Path(env("VAR_DIR", default=str(BASE_DIR / "var")))

SECRET_KEY = env("SECRET_KEY", default="dev-only-insecure-key-not-for-production")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])

INSTALLED_APPS = [
    "directory",
    "content",
    "training",
    "certificates",
    "reports",
    "dossiers",
    "plan",
    "wagtailmedia",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "directory.apps.UsersConfig",  # wagtail.users with roles and units
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "import_export",
    "django_filters",
    "django_celery_beat",
    "axes",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sitemaps",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "config.locale.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Anonymous visitors' Wagtail pages from the cache (content.cache): after the locale (part of
    # the key), before CSRF (a page with a CSRF token sets a cookie and is not stored).
    "content.cache.AnonymousPageCacheMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "config.csp.SiteCSPMiddleware",
    # Last, as django-axes asks: turns a locked-out login into its lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "directory.context_processors.notifications",
            ],
        },
    },
]


def without_jit(database: dict) -> dict:
    """JIT off on the application's own PostgreSQL connections, whatever the server's setting: it
    compiles the coverage counts and drill-downs for longer than they run (a department's special
    operators not certified on the district data: 0.1 s without, 2 s with; docs/production.md).
    In the connection's startup options, so it costs no query."""
    if database["ENGINE"] == "django.db.backends.postgresql":
        startup = database.setdefault("OPTIONS", {}).get("options", "")
        if "jit=off" not in startup:
            database["OPTIONS"]["options"] = f"{startup} -c jit=off".strip()
    return database


def sqlite_shared(database: dict) -> dict:
    """SQLite as one file that web threads, the worker and beat write to at once.

    WAL lets readers go on while one connection writes. Every transaction takes the write lock at
    BEGIN (IMMEDIATE) and waits up to `timeout` seconds for it: a transaction that began as a
    reader and then writes (lock an attempt, save an answer) cannot wait for the lock once another
    connection wrote, and would fail at once with "database is locked" (two tabs of one exam).
    """
    if database["ENGINE"] == "django.db.backends.sqlite3":
        options = database.setdefault("OPTIONS", {})
        options.setdefault("timeout", 20)
        options.setdefault("transaction_mode", "IMMEDIATE")
        options.setdefault("init_command", "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;")
    return database


def database_config(database: dict) -> dict:
    """A database setting from django-environ as every environment runs it (production.py builds
    its own from DATABASE_URL through this too): no request-wide transaction; a kept connection
    (CONN_MAX_AGE) checked before a request reuses it, so the first request after the database
    restarted reconnects instead of failing (tests/faults/test_database_restart.py); SQLite
    shared by several processes; PostgreSQL without JIT."""
    database["ATOMIC_REQUESTS"] = False
    database["CONN_HEALTH_CHECKS"] = True
    return without_jit(sqlite_shared(database))


DATABASES = {
    "default": database_config(
        env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")
    ),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # models.W040 "SQLite does not support indexes with non-key columns": raised by the one index
    # with `include` (training.StudyHourEntry's person + date index carries the hours for
    # PostgreSQL's index-only scans). SQLite builds it as a plain person + date index, which is
    # what it should do there, so the warning asks for nothing; it was printed by every migrate
    # and runserver. PostgreSQL has covering indexes and never raises it.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# A cache every process shares (import progress is read by the web process while a worker
# writes it): files by default, CACHE_URL=redis://… in production.
CACHES = {
    "default": cache_config(env.cache("CACHE_URL", default=f"filecache://{VAR_DIR / 'cache'}"))
}

AUTH_USER_MODEL = "directory.User"
# Argon2id first (config/passwords.py); the others only read hashes stored before.
PASSWORD_HASHERS = [
    "config.passwords.Argon2idHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTHENTICATION_BACKENDS = [
    # First: refuses a login while the username + address pair is locked out (django-axes; its
    # ModelBackend half gives force_login and sessions a get_user).
    "axes.backends.AxesBackend",
    # Grants each account the permissions of its role (directory/permissions.py).
    "directory.backends.RoleBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "directory:my_page"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "directory.passwords.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "directory.passwords.LettersAndDigitsValidator"},
]

# Password guessing (django-axes, directory/lockout.py): 5 failures for one username from one
# address lock that pair for 15 minutes, while other people on the same network can still log in;
# 50 failures from one address within the 15 minutes, whatever the usernames, lock every login
# from it (one guesser trying many usernames), high enough for a town office behind one NAT.
LOGIN_PAIR_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
LOGIN_ADDRESS_FAILURE_LIMIT = env.int("LOGIN_ADDRESS_FAILURE_LIMIT", default=50)
AXES_FAILURE_LIMIT = "directory.lockout.failure_limit"
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "directory/locked_out.html"
AXES_VERBOSE = False
# Proxies in front that append the client's address to X-Forwarded-For (a load balancer: 1).
# Every per-address limit reads the address through one function, logins included.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=env.int("AXES_PROXY_COUNT", default=0))
AXES_CLIENT_IP_CALLABLE = "directory.throttle.client_address"

# Password reset mails (directory/views/password_reset.py): (requests, seconds) per e-mail
# address and per client address; past either the form sends nothing and says why.
PASSWORD_RESET_EMAIL_LIMIT = (env.int("PASSWORD_RESET_EMAIL_LIMIT", default=3), 3600)
PASSWORD_RESET_ADDRESS_LIMIT = (env.int("PASSWORD_RESET_ADDRESS_LIMIT", default=10), 3600)

# Sessions end with the browser closed for a day at most; cookies unreadable by scripts.
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=60 * 60 * 24)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Read from the shared cache, written through to the database: every logged-in request reads
# its session, and the player's heartbeat comes every 15 s per learner.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
CSRF_COOKIE_SAMESITE = "Lax"
# No framing (clickjacking); Wagtail's preview frame overrides this for its own views.
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Content Security Policy (django-csp through config.csp): styles and scripts only from our own
# origin, no inline <style>, style="", <script> or on…= handlers (static/css/site.css and the
# per-page sheets and scripts; tests/test_static.py keeps templates clean). Media on object
# storage adds its origin through CSP_MEDIA_ORIGINS.
_MEDIA_ORIGINS = env.list("CSP_MEDIA_ORIGINS", default=[])
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:", *_MEDIA_ORIGINS],
        "media-src": ["'self'", "blob:", *_MEDIA_ORIGINS],
        "connect-src": ["'self'"],
        "font-src": ["'self'", "data:"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}

# Wagtail's admin, under CSP_ADMIN_PREFIX, gets the same policy with these additions (see
# docs/security.md for which Wagtail features need them) and may be framed by itself (the page
# editor's live preview).
CSP_ADMIN_PREFIX = "/admin/"
CSP_ADMIN_DIRECTIVES = {"script-src": ["'unsafe-inline'"], "style-src": ["'unsafe-inline'"]}
CSP_ADMIN_REPLACE = {"frame-ancestors": ["'self'"]}

# Chinese first: zh-hans by default, English available through the language switcher.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
WAGTAIL_I18N_ENABLED = False
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
# One town, one time zone: the account page offers no choice among the world's zone names.
WAGTAIL_USER_TIME_ZONES = [TIME_ZONE]

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
# The house sheets and scripts (static/css/site.css …) beside each app's own static/ folder.
STATICFILES_DIRS = [BASE_DIR / "static"]
# Files browsers ask for at the site's root whatever a page links (/favicon.ico), served by
# WhiteNoise from static/root/ with a week's cache.
WHITENOISE_ROOT = BASE_DIR / "static" / "root"
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(VAR_DIR / "media"))
# Public media on the local disk are served under /media/ by the web processes themselves
# (content.views.media: the CMS's folders only, with Range for video); production turns it off
# when a bucket serves them. The most one Range answer sends (the player asks for the next part).
PUBLIC_MEDIA_SERVED = True
MEDIA_RANGE_MAX_BYTES = env.int("MEDIA_RANGE_MAX_BYTES", default=4 * 1024 * 1024)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    # Files that hold personal data or belong to a scope (imports, scans, evidence, photos, batch
    # prints, compiled reports): never under MEDIA_URL; served by scoped views (directory.files).
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "location": str(env.path("PRIVATE_MEDIA_ROOT", default=str(VAR_DIR / "private")))
        },
    },
}
# Drill evidence uploads (training.common.evidence): accepted types and size limits.
DRILL_EVIDENCE_IMAGE_TYPES = ["image/jpeg", "image/png", "image/webp"]
DRILL_EVIDENCE_VIDEO_TYPES = ["video/mp4", "video/quicktime", "video/webm"]
DRILL_EVIDENCE_MAX_IMAGE_BYTES = env.int("DRILL_EVIDENCE_MAX_IMAGE_BYTES", default=15 * 1024 * 1024)
DRILL_EVIDENCE_MAX_VIDEO_BYTES = env.int(
    "DRILL_EVIDENCE_MAX_VIDEO_BYTES", default=300 * 1024 * 1024
)

WAGTAIL_SITE_NAME = _("Xujing Work-Safety Training Platform")
# The admin calls no outside service (the CSP allows our origin only): no update check from the
# dashboard, no avatar images from gravatar.com (Wagtail draws its default avatar).
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# A page titled in Chinese gets a Chinese slug (the editor's title, punctuation dropped), linked
# unencoded (content.models.base.ContentPage.get_url_parts). Wagtail's default, stated: no pinyin
# library is a dependency, and a slug typed in pinyin by the editor is kept as typed.
WAGTAIL_ALLOW_UNICODE_SLUGS = True
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL", default="http://localhost:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "content.search.backend"}}
WAGTAILMEDIA = {"MEDIA_MODEL": "content.Video"}
WAGTAILDOCS_EXTENSIONS = ["pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "txt", "zip"]
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Celery: the embedded default is kombu's filesystem transport (no server needed);
# CELERY_BROKER_URL=redis://… switches to Redis.
CELERY_FILESYSTEM_DIR = Path(env("CELERY_FILESYSTEM_DIR", default=str(VAR_DIR / "celery")))
# The filesystem transport ignores the host, but kombu logs "No hostname was supplied" whenever a
# URL has none (every worker start, beat start and /healthz), so the default names localhost.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="filesystem://localhost/")
if CELERY_BROKER_URL.startswith("filesystem"):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_FILESYSTEM_DIR / "queue"),
        "data_folder_out": str(CELERY_FILESYSTEM_DIR / "queue"),
        "processed_folder": str(CELERY_FILESYSTEM_DIR / "processed"),
        "control_folder": str(CELERY_FILESYSTEM_DIR / "control"),
        "store_processed": False,
    }
    for _folder in ("queue", "processed", "control"):
        (CELERY_FILESYSTEM_DIR / _folder).mkdir(parents=True, exist_ok=True)
else:
    # Redis redelivers a message no worker acknowledged within this many seconds (a worker
    # killed mid-task: acks_late + reject_on_worker_lost below). Longer than the longest task
    # (CELERY_TASK_TIME_LIMIT), or a slow task would be handed to a second worker meanwhile.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
    }
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_TIME_LIMIT = 30 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 25 * 60
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# django-celery-beat's DatabaseScheduler behind a lock (config/beat.py): a second beat started
# by mistake waits instead of sending every periodic task a second time, and takes over within
# BEAT_LOCK_SECONDS when the one holding the lock dies. Each run is written to the database as
# it is sent (BEAT_SYNC_EVERY = 1), so the beat that takes over does not send it again.
CELERY_BEAT_SCHEDULER = "config.beat:SingleBeatScheduler"
CELERY_BEAT_SYNC_EVERY = 1
BEAT_LOCK_SECONDS = env.int("BEAT_LOCK_SECONDS", default=30)
BEAT_LOCK_RETRY_SECONDS = env.float("BEAT_LOCK_RETRY_SECONDS", default=5.0)
CELERY_BEAT_SCHEDULE = {
    # Wagtail's go-live / expiry times (content.tasks).
    "content-publish-scheduled": {"task": "content.tasks.publish_scheduled", "schedule": 60.0},
    # Emails of notifications whose send-on-commit was lost (a worker down at the time).
    "directory-notification-emails": {
        "task": "directory.tasks.notification_emails_send",
        "schedule": 600.0,
    },
    # Registered certificates: derived dates re-checked, staged reminders (certificates.tasks).
    "certificates-registry-daily": {
        "task": "certificates.tasks.registry_daily_run",
        "schedule": crontab(hour=6, minute=15),
    },
    # Drills due within 30 days or overdue: each stage reminded once (training.drills.services.reminders).
    "training-drill-reminders": {
        "task": "training.tasks.drill_reminders_send",
        "schedule": crontab(hour=8, minute=0),
    },
    # Monthly reports due before the 26th (town plan 五(六)): the task reminds on the 20th and
    # 25th only, so running it daily is harmless and survives a missed day's change of rule.
    "reports-monthly-reminders": {
        "task": "reports.tasks.monthly_report_reminders",
        "schedule": crontab(hour=9, minute=0),
    },
    # On the 26th the month's town report is compiled (PDF + XLSX).
    "reports-town-report": {
        "task": "reports.tasks.town_report_on_due_day",
        "schedule": crontab(hour=7, minute=0, day_of_month=26),
    },
}
# Days before a certificate's review or expiry when reminders go out; and on the day it lapses.
CERTIFICATE_REMINDER_DAYS = env.list("CERTIFICATE_REMINDER_DAYS", cast=int, default=[90, 30, 7])
# How long before expiry a certificate shows as expiring.
CERTIFICATE_EXPIRING_DAYS = 90
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# Jobs run by a worker with progress (imports, certificate batch prints, the town's compiled
# report): one waiting or running with no progress for this long is taken for dead (worker
# killed, message lost), shown failed with a retry button, and marked failed by the beat sweep.
# Every job reports progress at least every few seconds while it works (a batch of 1,000 rows,
# a part of 100 certificates, a step of the report), so 10 minutes is never a slow live job.
JOB_STUCK_MINUTES = env.int("JOB_STUCK_MINUTES", default=10)
# PostgreSQL's statement_timeout, in seconds (config/database.py): a web request's queries stop
# with the request (gunicorn's timeout is 30 s), a worker's queries get the task's hard limit,
# so no query outlives the process that asked for it.
DATABASE_STATEMENT_TIMEOUT = env.int("DATABASE_STATEMENT_TIMEOUT", default=30)
WORKER_STATEMENT_TIMEOUT = env.int("WORKER_STATEMENT_TIMEOUT", default=CELERY_TASK_TIME_LIMIT)
# A list export written by the worker (directory.export_jobs): each of its statements is cut
# after EXPORT_STATEMENT_TIMEOUT seconds, the task after EXPORT_TASK_SECONDS (soft limit); both
# under JOB_STUCK_MINUTES, so a slow export fails with its reason before it is taken for dead.
EXPORT_STATEMENT_TIMEOUT = env.int("EXPORT_STATEMENT_TIMEOUT", default=5 * 60)
EXPORT_TASK_SECONDS = env.int("EXPORT_TASK_SECONDS", default=9 * 60)
CELERY_BEAT_SCHEDULE["directory-stuck-jobs-sweep"] = {
    "task": "directory.tasks.stuck_jobs_sweep",
    "schedule": 300.0,
}

# Imports above this many rows run in a Celery task with progress shown.
IMPORT_ASYNC_THRESHOLD = env.int("IMPORT_ASYNC_THRESHOLD", default=2000)
IMPORT_MAX_UPLOAD_BYTES = 50 * 1024 * 1024
# Limits checked before an uploaded table is parsed (directory.importing.safety, docs/imports.md).
# A 100,000-person XLSX written with inline strings unpacks to ~50 MB at ~13:1; Excel's own files
# are smaller. openpyxl keeps the shared strings whole in memory, so they get the tight limit;
# sheets are streamed row by row, so a row's size bounds the memory of reading it.
IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", default=120_000)
IMPORT_MAX_CELL_CHARS = env.int("IMPORT_MAX_CELL_CHARS", default=2000)
IMPORT_XLSX_MAX_UNCOMPRESSED_BYTES = env.int(
    "IMPORT_XLSX_MAX_UNCOMPRESSED_BYTES", default=150 * 1024 * 1024
)
IMPORT_XLSX_MAX_RATIO = env.int("IMPORT_XLSX_MAX_RATIO", default=100)
IMPORT_XLSX_MAX_SHARED_STRINGS_BYTES = env.int(
    "IMPORT_XLSX_MAX_SHARED_STRINGS_BYTES", default=20 * 1024 * 1024
)
IMPORT_XLSX_MAX_SHEET_BYTES = env.int("IMPORT_XLSX_MAX_SHEET_BYTES", default=120 * 1024 * 1024)
IMPORT_XLSX_MAX_ROW_BYTES = env.int("IMPORT_XLSX_MAX_ROW_BYTES", default=1024 * 1024)
IMPORT_CSV_MAX_LINE_BYTES = env.int("IMPORT_CSV_MAX_LINE_BYTES", default=128 * 1024)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        # runserver's request lines, as Django's default logging writes them.
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        }
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "django.server": {"class": "logging.StreamHandler", "formatter": "django.server"},
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Wagtail runs its index and reference updates as django-tasks; a line per task is noise.
        "django_tasks": {"level": "WARNING"},
        # Django's default logging gives "django" a console handler of its own (shown when DEBUG
        # is on) and lets its records reach the root handler too: in development every line came
        # twice. The root handler alone prints them. Naming "django" here resets its children, so
        # runserver's request log is set up again as Django's default has it.
        "django": {"handlers": []},
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
    },
}

# Online learning (training.learning.services.study). 1 学时 = 45 minutes is a convention
# (regulations.md §2, marked R), so it is a setting.
STUDY_HOUR_MINUTES = env.int("STUDY_HOUR_MINUTES", default=45)
# The player reports every this many seconds; the server credits at most real elapsed time
# since the previous accepted report, and never more than LEARNING_MAX_CREDIT_SECONDS per report
# (two intervals and a margin: one dropped report is made up by the next, a long gap is not).
LEARNING_HEARTBEAT_SECONDS = env.int("LEARNING_HEARTBEAT_SECONDS", default=15)
LEARNING_MAX_CREDIT_SECONDS = env.int("LEARNING_MAX_CREDIT_SECONDS", default=40)
# A lesson is complete once this share of it has been watched (credited).
LEARNING_COMPLETION_SHARE = env.float("LEARNING_COMPLETION_SHARE", default=0.9)
# Presence check on every course (besides the courses that ask for it): after a random
# 5–15 minutes of credited watching the learner must answer a prompt before hours count again.
LEARNING_PRESENCE_CHECK = env.bool("LEARNING_PRESENCE_CHECK", default=False)
LEARNING_PRESENCE_MIN_SECONDS = env.int("LEARNING_PRESENCE_MIN_SECONDS", default=300)
LEARNING_PRESENCE_MAX_SECONDS = env.int("LEARNING_PRESENCE_MAX_SECONDS", default=900)
# PDFs: a TrueType CJK face reportlab embeds (config/pdf.py); empty = WenQuanYi Micro Hei from pip.
PDF_CJK_FONT = env("PDF_CJK_FONT", default="")
PDF_CJK_FONT_INDEX = env.int("PDF_CJK_FONT_INDEX", default=0)

# Issued certificates: the QR code points to SITE_URL + /verify/<code>/. Unset, SITE_URL is the
# WAGTAILADMIN_BASE_URL given in the environment; with neither, a download points to the host it
# was asked from (config.site.site_url; a batch records it for the worker), never to the
# development default.
SITE_URL = env("SITE_URL", default=env("WAGTAILADMIN_BASE_URL", default=""))
# Public verification answers VERIFY_RATE_LIMIT = (requests, seconds) per address.
VERIFY_RATE_LIMIT = (env.int("VERIFY_RATE_LIMIT_REQUESTS", default=30), 60)

# The public knowledge contest (training.exams.services.contest): new participants one client
# address (directory.throttle.client_address) may start per hour, and one phone number per day. People with an account
# linked to the registry join as themselves and are not counted, so an enterprise's staff behind
# one NAT log in; an organiser running a session for visitors on one network (a school class)
# raises CONTEST_JOINS_PER_ADDRESS for the day.
CONTEST_JOINS_PER_ADDRESS = env.int("CONTEST_JOINS_PER_ADDRESS", default=10)
CONTEST_JOINS_PER_PHONE = env.int("CONTEST_JOINS_PER_PHONE", default=3)

# Exams: attempts whose time ran out are closed and graded even if the browser never comes back.
CELERY_BEAT_SCHEDULE["training-exam-attempts-sweep"] = {
    "task": "training.tasks.exam_attempts_sweep",
    "schedule": 60.0,
}
# Online learning: the player's reports credited in Redis are written to the database within
# about two minutes (training.learning.services.beats).
CELERY_BEAT_SCHEDULE["training-learning-beats-write-behind"] = {
    "task": "training.tasks.learning_beats_write_behind",
    "schedule": 60.0,
}

# Coverage dashboards: a beat task counts this year's metrics for the whole town every
# REPORTS_SNAPSHOT_MINUTES; dashboards read a snapshot younger than REPORTS_SNAPSHOT_MAX_AGE
# seconds and show when it was counted, and count live otherwise (0: always live). At city
# scale (1M people, 10M ledger rows) counting takes tens of seconds, reading it milliseconds.
REPORTS_SNAPSHOT_MINUTES = env.int("REPORTS_SNAPSHOT_MINUTES", default=10)
REPORTS_SNAPSHOT_MAX_AGE = env.int("REPORTS_SNAPSHOT_MAX_AGE", default=30 * 60)
CELERY_BEAT_SCHEDULE["reports-metric-snapshots"] = {
    "task": "reports.tasks.metric_snapshots_refresh",
    "schedule": REPORTS_SNAPSHOT_MINUTES * 60.0,
}

# 年度归档 (dossiers.archive): on 1 January at 02:00 (CELERY_TIMEZONE, Asia/Shanghai) last year's
# files of every person and enterprise are filed as PDFs, and files past their retention period
# deleted. One task renders for at most DOSSIER_ARCHIVE_TASK_SECONDS (under the soft time limit)
# and queues itself again to go on; a town's year takes hours at ~0.13 s a file.
DOSSIER_ARCHIVE_TASK_SECONDS = env.int("DOSSIER_ARCHIVE_TASK_SECONDS", default=20 * 60)
CELERY_BEAT_SCHEDULE["dossiers-yearly-archive"] = {
    "task": "dossiers.tasks.yearly_archive",
    "schedule": crontab(month_of_year=1, day_of_month=1, hour=2, minute=0),
}
