"""Settings for the CCHC inspection application.

One module, driven by environment variables (and an optional `.env` file beside manage.py).
SQLite is the default so that a fresh clone runs; PostgreSQL through DATABASE_URL.
Every variable is listed with its meaning in `.env.example`.
"""

from __future__ import annotations

import sys
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
# Under pytest the test settings apply even when TESTING is not exported.
TESTING = env.bool("TESTING", default=False) or "pytest" in sys.modules

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG and not TESTING:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. In production set SECRET_KEY to a long random string, e.g. "
            "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`; for development set "
            "DEBUG=true."
        )
    # Reached only with DEBUG or under tests: production refused to start just above.
    SECRET_KEY = "insecure-development-key-never-use-in-production"  # nosec B105

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
if not ALLOWED_HOSTS:
    if not DEBUG and not TESTING:
        raise ImproperlyConfigured(
            "ALLOWED_HOSTS is not set. In production list the host names the app is served under, "
            "comma-separated, e.g. ALLOWED_HOSTS=cchc.example.gov.vn."
        )
    ALLOWED_HOSTS = ["localhost", "127.0.0.1", "[::1]", "testserver"]
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "axes",
    "simple_history",
    "units",
    "inspections",
    "reports",
    "cchc.ops",  # find_orphans, backup, restore (no models)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Typed text composed to NFC, unstorable control characters dropped (cchc/middleware.py).
    "cchc.middleware.TextNormalizationMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A write that lost a race at the database: a Vietnamese 409/503 page, not a 500.
    "cchc.conflicts.DatabaseConflictMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cchc.urls"
WSGI_APPLICATION = "cchc.wsgi.application"
ASGI_APPLICATION = "cchc.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "units.context_processors.membership",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Without persistent connections pages ran about three times slower on PostgreSQL.
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=600))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
else:
    # SQLite under concurrent requests (several gunicorn workers or threads): every transaction
    # takes the write lock when it begins (IMMEDIATE), so two writers queue instead of one failing
    # with "database is locked" when it upgrades a read lock; a writer waits up to
    # SQLITE_TIMEOUT seconds for the lock. WAL lets pages be read while someone writes.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": env.int("SQLITE_TIMEOUT", default=20),
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        }
    )
    if TESTING:
        # A file, not SQLite's shared in-memory database: the browser tests' live server and the
        # concurrency tests answer from several threads, which an in-memory connection cannot
        # serve. TEST_DB_NAME lets two test runs share a checkout.
        test_db = env.str("TEST_DB_NAME", default=".test-db.sqlite3")
        DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / test_db)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "cchc.passwords.MinimumLengthValidator"},  # Django's, message in Vietnamese
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Login throttling (django-axes): after AXES_FAILURE_LIMIT failures for one account, or from one
# address, further attempts are refused for AXES_COOLOFF_TIME hours; every failure and lockout is
# recorded (admin: Axes) and logged. Behind a reverse proxy, set AXES_IPWARE_PROXY_COUNT so the
# client's address is read from X-Forwarded-For.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_TIME", default=0.25)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
# The counters above are cleared by a success; this log of every failure is kept (admin: Axes).
AXES_ENABLE_ACCESS_FAILURE_LOG = True
# The password is always masked; the account and address stay in the log so that an operator
# can see who is being attacked and from where.
AXES_SENSITIVE_PARAMETERS: list[str] = []
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_IPWARE_PROXY_COUNT = env.int("AXES_IPWARE_PROXY_COUNT", default=None)
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 60 * 60)
SESSION_SAVE_EVERY_REQUEST = True  # the age counts from the last request: inactivity expires

# Always Vietnamese for now: no LocaleMiddleware, so a browser asking for English still gets the
# official language. Texts go through gettext so that an English interface can be switched on later.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["cchc.formats"]

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Files units upload: outside the static tree, never under MEDIA_URL, served only by views
    # that check access. Any storage backend (e.g. django-storages S3) can replace it.
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(env.path("PRIVATE_MEDIA_ROOT", default=BASE_DIR / "private"))},
    }
    if not env.str("PRIVATE_S3_BUCKET", default="")
    else {
        # Several app servers: uploads on S3-compatible object storage (django-storages), never
        # public (no ACL, signed URLs unused: files are streamed by the access-checked views).
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.str("PRIVATE_S3_BUCKET"),
            "endpoint_url": env.str("PRIVATE_S3_ENDPOINT_URL", default=None),
            "region_name": env.str("PRIVATE_S3_REGION", default=None),
            "access_key": env.str("PRIVATE_S3_ACCESS_KEY", default=None),
            "secret_key": env.str("PRIVATE_S3_SECRET_KEY", default=None),
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    },
    "staticfiles": {
        # The manifest needs collectstatic first; development and tests use plain storage.
        # STATIC_COMPRESS=false skips the (slow) gzip and Brotli copies, e.g. in a test harness.
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or TESTING
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if env.bool("STATIC_COMPRESS", default=True)
        else "whitenoise.storage.ManifestStaticFilesStorage"
    },
}

# Outside production WhiteNoise serves straight from the source folders, without collectstatic.
WHITENOISE_USE_FINDERS = DEBUG or TESTING
WHITENOISE_AUTOREFRESH = DEBUG or TESTING

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Email through Django 6.1 mailers; the EMAIL_* environment variables keep their usual names.
_email_backend = env.str(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.console.EmailBackend"
    if DEBUG or TESTING
    else "django.core.mail.backends.smtp.EmailBackend",
)
MAILERS = {"default": {"BACKEND": _email_backend}}
if _email_backend.endswith("smtp.EmailBackend"):
    MAILERS["default"]["OPTIONS"] = {
        "host": env.str("EMAIL_HOST", default="localhost"),
        "port": env.int("EMAIL_PORT", default=25),
        "username": env.str("EMAIL_HOST_USER", default=""),
        "password": env.str("EMAIL_HOST_PASSWORD", default=""),
        "use_tls": env.bool("EMAIL_USE_TLS", default=False),
    }
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="cchc@localhost")

# Content-Security-Policy: no inline script or style; the few inline scripts carry the nonce.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_HTTPONLY = True

if not DEBUG and not TESTING:
    # Behind a TLS-terminating proxy that sets X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # WeasyPrint logs every step of every document at INFO.
    "loggers": {"weasyprint.progress": {"level": "WARNING"}},
}

# Largest file a unit may upload (bytes).
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=20 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Size of the demo/reference data and of pages.
PAGE_SIZE = env.int("PAGE_SIZE", default=50)
