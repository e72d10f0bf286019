"""Settings for the CCHC inspection application.

One module, driven by environment variables (and an optional `.env` file beside manage.py).
SQLite is the default so that a fresh clone runs; PostgreSQL through DATABASE_URL.
Every variable is listed with its meaning in `.env.example`.
"""

from __future__ import annotations

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
# On under pytest (`cchc.test_settings`, named in pyproject.toml) and in `make test`.
TESTING = env.bool("TESTING", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
# The value `.env.example` shows: long enough, but public, so refused like a short one (a known
# bad value to compare against, not a password in use).
EXAMPLE_SECRET_KEY = "replace-me-with-the-output-of-python-secrets-token-urlsafe-50-never-this-one"  # nosec B105
SECRET_KEY_MIN_LENGTH = 50
_HOW_TO_MAKE_A_KEY = (
    "In production set SECRET_KEY to a random string of at least "
    f"{SECRET_KEY_MIN_LENGTH} characters, made once per installation, e.g. with "
    "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`, and keep it secret; "
    "for development set DEBUG=true."
)
if not DEBUG and not TESTING:
    if not SECRET_KEY:
        raise ImproperlyConfigured(f"SECRET_KEY is not set. {_HOW_TO_MAKE_A_KEY}")
    if SECRET_KEY == EXAMPLE_SECRET_KEY:
        raise ImproperlyConfigured(
            "SECRET_KEY is the example value of .env.example, which is public. "
            + _HOW_TO_MAKE_A_KEY
        )
    if len(SECRET_KEY) < SECRET_KEY_MIN_LENGTH:
        raise ImproperlyConfigured(
            f"SECRET_KEY is too short ({len(SECRET_KEY)} characters). {_HOW_TO_MAKE_A_KEY}"
        )
if not SECRET_KEY:
    # Reached only with DEBUG or under tests: production refused to start just above.
    # Long enough for the production check: tests start production servers with it.
    SECRET_KEY = "insecure-development-key-never-use-in-production-0123456789"  # nosec B105

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
if not ALLOWED_HOSTS:
    if not DEBUG and not TESTING:
        raise ImproperlyConfigured(
            "ALLOWED_HOSTS is not set. In production list the host names the app is served under, "
            "comma-separated, e.g. ALLOWED_HOSTS=cchc.example.gov.vn."
        )
    ALLOWED_HOSTS = ["localhost", "127.0.0.1", "[::1]", "testserver"]
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# A refused form gets a Vietnamese page; 400, 403, 404 and 500 are templates/<code>.html.
CSRF_FAILURE_VIEW = "cchc.views.csrf_failure"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",  # Django's widget templates, for FORM_RENDERER below
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "cchc.apps.AxesConfig",  # django-axes, named in Vietnamese
    "simple_history",
    "cchc.apps.TasksConfig",  # django-tasks-db: background jobs in the database (reports/jobs.py)
    "units",
    "inspections",
    "reports",
    "signing",  # digital signatures of issued documents (signing/README.md)
    "cchc.ops",  # find_orphans, backup, restore (no models)
    "cchc.pagecache",  # rendered pages kept while the data is unchanged (cchc/pagecache/README.md)
]
# The development tools (synthetic data, the benchmark, the load run: devtools/README.md) are
# no part of the product: installed with DEBUG and under tests, or when DEVTOOLS says so
# (`make bench` runs with DEBUG on; the load run turns it on in its own process only).
DEVTOOLS = env.bool("DEVTOOLS", default=DEBUG or TESTING)
if DEVTOOLS:
    INSTALLED_APPS.append("devtools")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before anything that could read the body: a body over the request's limit is answered 413
    # unread (cchc/bodylimit.py). SecurityMiddleware looks at the headers only.
    "cchc.bodylimit.BodyLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # request.client_address (cchc/client.py), also written on every log line of the request.
    "cchc.client.ClientAddressMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Typed text composed to NFC, unstorable control characters dropped, when a view first reads
    # the form: after CSRF and sign-in have judged the request (cchc/middleware.py).
    "cchc.middleware.TextNormalizationMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A write that lost a race at the database: a Vietnamese 409/503 page, not a 500.
    "cchc.conflicts.DatabaseConflictMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # A wrong method's empty 405 gets a Vietnamese page (inside CSP: the page carries its nonce).
    "cchc.errors.MethodNotAllowedPageMiddleware",
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

# Per process (each gunicorn worker has its own). "pages": rendered pages kept by
# `cchc.pagecache.kept_page`, compressed, at most PAGE_CACHE_SECONDS (0: none kept); a write
# anywhere, by any server sharing the database, makes every kept page stale at once.
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=300)
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "default"},
    "pages": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "pages",
        "TIMEOUT": PAGE_CACHE_SECONDS,
        "OPTIONS": {"MAX_ENTRIES": 1000},
    },
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "cchc.passwords.MinimumLengthValidator"},  # Django's, message in Vietnamese
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Login throttling (django-axes, cchc/throttling.py): AXES_FAILURE_LIMIT failures for one account
# (from anywhere), or from one address (whatever the accounts), refuse further attempts for
# AXES_COOLOFF_TIME hours. The two counts are independent: a success clears only the signed-in
# account's own failures. Every failure and lockout is recorded (admin: Axes) and logged.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "cchc.throttling.AccountScopedResetHandler"
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_TIME", default=0.25)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
# A lock lasts AXES_COOLOFF_TIME from the failure that set it: attempts refused while locked are
# not checked (a correct password is no proof then) and neither extend the lock nor count
# against the account named, so colleagues behind a locked office address do not lock
# their own accounts everywhere by retrying.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# The counters above are cleared by a success; this log of every failure is kept (admin: Axes).
AXES_ENABLE_ACCESS_FAILURE_LOG = True
# The password is always masked; the account and address stay in the log so that an operator
# can see who is being attacked and from where.
AXES_SENSITIVE_PARAMETERS: list[str] = []
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# The client's address (cchc/client.py): the connection's peer, or behind TRUSTED_PROXY_COUNT
# reverse proxies the address they forwarded in X-Forwarded-For. The environment variable keeps
# the name the deployment guide has always given.
TRUSTED_PROXY_COUNT = env.int("AXES_IPWARE_PROXY_COUNT", default=0)
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured(
        "AXES_IPWARE_PROXY_COUNT must be the number of reverse proxies in front of the app "
        "(0 when browsers connect to it directly, 1 behind one nginx)."
    )
AXES_CLIENT_IP_CALLABLE = "cchc.client.client_address"
# The forgotten-password form (cchc/accounts.py): within PASSWORD_RESET_WINDOW seconds, at most
# this many submissions from one address, and this many mails to one account.
PASSWORD_RESET_WINDOW = env.int("PASSWORD_RESET_WINDOW", default=60 * 60)
PASSWORD_RESET_REQUESTS_PER_ADDRESS = env.int("PASSWORD_RESET_REQUESTS_PER_ADDRESS", default=10)
PASSWORD_RESET_MAILS_PER_ACCOUNT = env.int("PASSWORD_RESET_MAILS_PER_ACCOUNT", default=3)
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

# Digital signatures (signing/README.md). The bodies' PKCS#12 files (and the demo authority of
# `make run`, in its demo/ folder) live in SIGNING_CERT_DIR, never in the database or the
# repository; the passphrase and the token's PIN come from the environment only.
SIGNING_CERT_DIR = env.path("SIGNING_CERT_DIR", default=BASE_DIR / "private" / "signing")
SIGNING_PKCS12_PASSPHRASE = env.str("SIGNING_PKCS12_PASSPHRASE", default="")
SIGNING_PKCS11_MODULE = env.str("SIGNING_PKCS11_MODULE", default="")
SIGNING_PKCS11_TOKEN_LABEL = env.str("SIGNING_PKCS11_TOKEN_LABEL", default="")
SIGNING_PKCS11_PIN = env.str("SIGNING_PKCS11_PIN", default="")
# A time-stamping authority (RFC 3161) turns the body's signature into PAdES B-T.
SIGNING_TSA_URL = env.str("SIGNING_TSA_URL", default="")
# Fetch CRLs and OCSP answers named in certificates while validating (needs the network).
SIGNING_FETCH_REVOCATION = env.bool("SIGNING_FETCH_REVOCATION", default=False)
# Certificate revocation lists for an offline server (.crl or .pem files, DER or PEM), besides
# those an administrator uploads; each covers the certificates of its issuer until its next update.
SIGNING_CRL_DIR = env.path("SIGNING_CRL_DIR", default=str(SIGNING_CERT_DIR) + "/crl")

# Outside production WhiteNoise serves straight from the source folders, without collectstatic.
WHITENOISE_USE_FINDERS = DEBUG or TESTING
WHITENOISE_AUTOREFRESH = DEBUG or TESTING

# Widgets are drawn from the project's templates, so that our own (templates/widgets/: the
# Vietnamese file box) are found like any other template.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
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
# The address the app is reached at, for the links of mails (a mail client needs absolute ones).
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
if not SITE_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured(
        f"SITE_URL={SITE_URL!r} must be the app's address with its scheme, "
        "e.g. SITE_URL=https://cchc.example.gov.vn"
    )

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
    # Every line names the client's address (cchc/client.py), the one throttling records.
    "filters": {"client_address": {"()": "cchc.client.ClientAddressLogFilter"}},
    "formatters": {
        "client": {"format": "%(asctime)s %(levelname)s [%(client_address)s] %(name)s: %(message)s"}
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["client_address"],
            "formatter": "client",
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # WeasyPrint logs every step of every document at INFO; django-axes and pikepdf announce
    # themselves at start-up (every management command) — noise, not events.
    "loggers": {
        "weasyprint.progress": {"level": "WARNING"},
        "axes.apps": {"level": "WARNING"},
        "pikepdf._core": {"level": "WARNING"},
        # The font subsetting of signature stamps reports every glyph it keeps.
        "fontTools": {"level": "ERROR"},
    },
}

# Largest file a unit may upload (bytes).
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=20 * 1024 * 1024)
# Largest request body, judged before it is read (cchc/bodylimit.py): without a signed-in
# session; signed in (Django's own limit, also applied when it parses a form); on an upload
# view, UPLOAD_MAX_BYTES plus the form's other fields and multipart framing.
ANONYMOUS_REQUEST_MAX_BYTES = 256 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
UPLOAD_OVERHEAD_BYTES = 1024 * 1024

# Limits of a unit/agency list imported by an administrator (CSV or .xlsx), checked before the
# sheet is parsed: file size, size once unpacked (.xlsx), data rows and columns.
IMPORT_MAX_BYTES = env.int("IMPORT_MAX_BYTES", default=5 * 1024 * 1024)
IMPORT_MAX_UNCOMPRESSED_BYTES = env.int("IMPORT_MAX_UNCOMPRESSED_BYTES", default=30 * 1024 * 1024)
IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", default=20_000)
IMPORT_MAX_COLUMNS = env.int("IMPORT_MAX_COLUMNS", default=50)

# Background jobs (Django's tasks framework, reports/jobs.py): queued in the database and run by
# `manage.py db_worker` (django-tasks-db), which `make run` starts beside the server and the
# deployment guide runs as its own systemd service. Tests run every task at once, in the
# request (ImmediateBackend); the "database" backend lets one test queue a job for a real worker.
_DATABASE_TASKS = {"BACKEND": "django_tasks_db.DatabaseBackend"}
TASKS = (
    {
        "default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"},
        "database": _DATABASE_TASKS,
    }
    if TESTING
    else {"default": _DATABASE_TASKS}
)
# The backend jobs are queued on (a test switches it to "database").
JOBS_TASK_BACKEND = "default"
# A running job that has not reported progress for this many seconds is taken as interrupted (its
# worker was stopped or killed): its page offers to run it again.
JOBS_STALE_AFTER = env.int("JOBS_STALE_AFTER", default=5 * 60)
# An Excel/CSV download of more rows than this is made by a background job (its page links the
# file when ready); smaller ones are answered at once.
EXPORT_INLINE_MAX_ROWS = env.int("EXPORT_INLINE_MAX_ROWS", default=2000)

# The dashboard's figures are kept this long (seconds) under a key that changes with the data
# (reports/dashboard.py, `dashboard_kept`); the default cache is each process's memory.
DASHBOARD_CACHE_SECONDS = env.int("DASHBOARD_CACHE_SECONDS", default=24 * 3600)

# Size of the demo/reference data and of pages.
PAGE_SIZE = env.int("PAGE_SIZE", default=50)
