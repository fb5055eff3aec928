"""Production: every secret and address from the environment; SECRET_KEY has no default."""

from config.cache import cache_config

from .base import *  # noqa: F403
from .base import database_config, env

DEBUG = False
SECRET_KEY = env("SECRET_KEY")
# Keys being retired (comma-separated): signatures made with them still verify on every host.
SECRET_KEY_FALLBACKS = env.list("SECRET_KEY_FALLBACKS", default=[])
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
# Several hosts share one database and one broker: the embedded defaults would split them.
DATABASES = {"default": database_config(env.db("DATABASE_URL"))}
CELERY_BROKER_URL = env("CELERY_BROKER_URL")  # base.py derived the transport options from it
# e.g. redis://redis:6379/1, shared by every host
CACHES = {"default": cache_config(env.cache("CACHE_URL"))}
# CACHE_URL=redis://…/1?key_prefix=town: django-environ passes Django's Redis cache the option in
# lower case, which Django ignores; two deployments sharing one Redis database would mix keys.
if "key_prefix" in CACHES["default"]:
    CACHES["default"]["KEY_PREFIX"] = CACHES["default"].pop("key_prefix")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True

# Media on object storage (S3-compatible: Aliyun OSS, Tencent COS, MinIO…) when a bucket is set;
# without one, the web processes serve the public media from MEDIA_ROOT (content.views.media).
if env("MEDIA_BUCKET", default=""):
    PUBLIC_MEDIA_SERVED = False
    STORAGES["default"] = {  # noqa: F405
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("MEDIA_BUCKET"),
            "endpoint_url": env("MEDIA_ENDPOINT_URL", default=None),
            "region_name": env("MEDIA_REGION", default=None),
            "access_key": env("MEDIA_ACCESS_KEY", default=None),
            "secret_key": env("MEDIA_SECRET_KEY", default=None),
            "custom_domain": env("MEDIA_CUSTOM_DOMAIN", default=None),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
    # Private files in the same private bucket, under their own prefix, always signed.
    STORAGES["private"] = {  # noqa: F405
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            **STORAGES["default"]["OPTIONS"],  # noqa: F405
            "location": "private",
            "custom_domain": None,
            "querystring_auth": True,
            "querystring_expire": env.int("PRIVATE_URL_SECONDS", default=300),
        },
    }

EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="noreply@localhost")
