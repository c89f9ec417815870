"""One settings module, driven by environment variables (see .env.example)."""

from datetime import timedelta
from pathlib import Path

from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from mash.config.env import env_bool, env_database, env_int, env_list, env_rate, env_redis_url, env_str

BASE_DIR = Path(__file__).resolve().parents[2]

DEBUG = env_bool("DEBUG", default=False)
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("Set the environment variable SECRET_KEY (required when DEBUG is off).")
    SECRET_KEY = "insecure-development-key-only-for-debug"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "mash.accounts.apps.AdminConfig",  # django.contrib.admin, its site asking for the second factor
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",
    "rest_framework",
    "knox",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "guardian",
    "auditlog",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # The shared core.
    "mash.common",
    "mash.agencies",
    "mash.people",
    "mash.clocks",
    "mash.sharing",
    "mash.notifications",
    "mash.accounts",
    "mash.tokens",
    "mash.subject_access",
    "mash.retention",
    "mash.measures",
    # The domain apps.
    "referrals",
    "strategy",
    "disclosures",
    "missing_persons",
    # The benchmark (`make bench`): management commands only, no models.
    "bench",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "mash.accounts.middleware.OTPMiddleware",  # django-otp's, reading the device once a minute
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "mash.accounts.middleware.IdleTimeoutMiddleware",
    "mash.accounts.middleware.SecondFactorRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "mash.common.middleware.NoStoreMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    "mash.sharing.middleware.BreakGlassMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "mash.config.urls"
WSGI_APPLICATION = "mash.config.wsgi.application"
ASGI_APPLICATION = "mash.config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "mash.common.context_processors.service",
            ],
            "builtins": ["mash.common.templatetags.mash"],
        },
    },
]

FORM_RENDERER = "mash.common.forms.GovukFormRenderer"

DATABASES = {"default": env_database("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
# Reporting reads (the dashboards' aggregates) go to a read replica when REPORTING_DATABASE_URL is set.
# The test runner never creates it: in tests it is the test database itself (a mirror of default).
if env_str("REPORTING_DATABASE_URL"):
    DATABASES["reporting"] = {
        **env_database("REPORTING_DATABASE_URL", ""),
        "TEST": {"MIRROR": "default"},
    }
DATABASE_ROUTERS = ["mash.measures.router.ReportingRouter"]
# How long the dashboards' cached figures live, in seconds (mash/measures/cache.py): beat rebuilds them
# every 5 minutes; a page shows 'Figures as at' the time they were built.
MEASURES_CACHE_SECONDS = env_int("MEASURES_CACHE_SECONDS", 600, minimum=30)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, loading each request's user with their agency and roles.
    "mash.accounts.backends.UserBackend",
    "guardian.backends.ObjectPermissionBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
# One display format everywhere, '7 December 2026' and '7 Dec 2026 10:00': mash/config/formats/en_GB.
FORMAT_MODULE_PATH = ["mash.config.formats"]
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j M Y H:i"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y H:i"

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# The built assets live in static/build (made by `npm run build`); serve them without collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# Uploads (the missing-persons import is the one form with a file): a file is cut at
# FILE_UPLOAD_MAX_SIZE + 1 bytes while it is received (mash/common/files.py), kept in memory up to
# 1 MB and in a temporary file above; a request's other fields may take 2.5 MB.
FILE_UPLOAD_MAX_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_HANDLERS = [
    "mash.common.files.CappedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
FILE_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 2621440  # Django's default, said here

# Sessions live in PostgreSQL alone: ending a user's sessions deletes their rows (mash/accounts/services.py),
# which a cached copy (the cached_db engine) would outlive. Django's database engine, with the read of a
# session by its key in one fixed statement instead of a queryset built on every request.
SESSION_ENGINE = "mash.accounts.sessions"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 60 * 60, minimum=60)
# Signed out after this many seconds without a request (a warning, with 'stay signed in', comes first).
SESSION_IDLE_TIMEOUT = env_int("SESSION_IDLE_TIMEOUT", 30 * 60, minimum=60)
SESSION_IDLE_WARNING = min(2 * 60, SESSION_IDLE_TIMEOUT // 4)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
# Behind a TLS-terminating proxy that sets X-Forwarded-Proto: trust it, redirect to HTTPS, send HSTS.
if env_bool("BEHIND_HTTPS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    # HSTS: a year, subdomains included and preload asked by default (what `check --deploy` wants);
    # each can be changed, e.g. while the proxy's certificate does not cover every subdomain.
    SECURE_HSTS_SECONDS = env_int("HSTS_SECONDS", 60 * 60 * 24 * 365, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env_bool("HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# Brute-force protection: lock a username for an hour after five failures from one address.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(hours=1)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True

# The second factor (django-otp): the name authenticator apps show, and no secret shown in the admin.
OTP_TOTP_ISSUER = "MASH case management"
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# django-guardian: no anonymous user; only direct foreign-key permission tables on case models.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False

AUDITLOG_INCLUDE_ALL_MODELS = False
AUDITLOG_DISABLE_REMOTE_ADDR = False

# Locally (DEBUG) e-mail is written to files under var/mail/; in production the default is SMTP.
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.filebased.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_FILE_PATH = BASE_DIR / "var" / "mail"
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10, minimum=1)  # a stuck mail server must not hold a worker
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "MASH case management <no-reply@mash.invalid>")

# Celery: with no broker the tasks run eagerly in the web process (make run's embedded default).
CELERY_BROKER_URL = env_redis_url("CELERY_BROKER_URL")
CELERY_TASK_ALWAYS_EAGER = CELERY_BROKER_URL is None
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 120
CELERY_TASK_SOFT_TIME_LIMIT = 100
# Never let a web request hang on a dead broker: fail fast, the outbox sweep re-sends later.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A worker (and beat) that lost Redis waits for it however long it is gone, never giving up after
# Celery's default 100 attempts; mash/config/celery.py caps the wait between attempts at a few seconds.
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
# A task still running when the broker goes away finishes: what it delivers is recorded in PostgreSQL,
# not Redis. Its late acknowledgement is lost, so Redis hands the message out again; the outbox's claim
# keeps that second run from sending what the first sent. Cancelling it would cut an SMTP conversation.
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = False
CELERY_TASK_PUBLISH_RETRY = True
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2}
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2, "socket_timeout": 5}
# Celery's Django fix-up closes the worker's database connection around every task unless told to
# reuse it (a new PostgreSQL connection per task). Reuse it; mash/config/celery.py closes it around a task
# by Django's own rules (CONN_MAX_AGE, a broken connection), as Django does around a request.
CELERY_DB_REUSE_MAX = 1000

# Notifications (README, 'Notifications'). How long a new e-mail may stay pending before the sweep
# re-sends it (its enqueue was lost).
NOTIFICATION_SWEEP_AFTER = timedelta(seconds=env_int("NOTIFICATION_SWEEP_AFTER_SECONDS", 30, minimum=0))
# The delivery task's limits. It starts no new message once less than three e-mail timeouts (connect,
# send, close) are left before the soft limit, hands the rest to a new task, and so always stops
# between messages; the hard limit is the soft one plus 15 s for putting unsent rows back.
NOTIFICATION_TASK_SOFT_TIME_LIMIT = env_int(
    "NOTIFICATION_TASK_SOFT_TIME_LIMIT", 60, minimum=4 * EMAIL_TIMEOUT
)
NOTIFICATION_TASK_TIME_LIMIT = NOTIFICATION_TASK_SOFT_TIME_LIMIT + 15
NOTIFICATION_SEND_WINDOW = NOTIFICATION_TASK_SOFT_TIME_LIMIT - 3 * EMAIL_TIMEOUT
# A row left 'sending' by a worker that died is released after the hard limit plus a margin.
NOTIFICATION_STALE_CLAIM = timedelta(
    seconds=NOTIFICATION_TASK_TIME_LIMIT + env_int("NOTIFICATION_STALE_CLAIM_MARGIN_SECONDS", 30, minimum=5)
)
# A failed send is retried after an exponential backoff with jitter (base, doubling, capped), for
# NOTIFICATION_RETRY_HOURS after the first failure; then the row is failed and the managers are told.
NOTIFICATION_RETRY_HOURS = env_int("NOTIFICATION_RETRY_HOURS", 24, minimum=1)
NOTIFICATION_BACKOFF_BASE = timedelta(seconds=env_int("NOTIFICATION_BACKOFF_BASE_SECONDS", 30, minimum=1))
NOTIFICATION_BACKOFF_CAP = timedelta(seconds=env_int("NOTIFICATION_BACKOFF_CAP_SECONDS", 1800, minimum=1))
# A request waits at most this long to hand its e-mails to the broker; after a failed hand-over this
# process stops trying for NOTIFICATION_ENQUEUE_PAUSE and leaves the rows to the sweep.
NOTIFICATION_ENQUEUE_TIMEOUT = env_int("NOTIFICATION_ENQUEUE_TIMEOUT_MS", 1000, minimum=50) / 1000
NOTIFICATION_ENQUEUE_PAUSE = env_int("NOTIFICATION_ENQUEUE_PAUSE_SECONDS", 30, minimum=0)

BREAK_GLASS_HOURS = env_int("BREAK_GLASS_HOURS", 4, minimum=1)

# How long the access log keeps a read, in calendar months (mash/sharing/partitions.py drops whole
# months past it, daily). Six years by default: the Limitation Act 1980's six years for a claim about the
# misuse of a record, within which who read it must still be shown. Never under a year, so a mistyped
# value cannot wipe the log that an investigation or a subject access request needs.
ACCESS_LOG_RETENTION_MONTHS = env_int("ACCESS_LOG_RETENTION_MONTHS", 72, minimum=12)

# The cache holds the API throttles' counts. On Redis (CACHE_URL, or else the broker's Redis) every
# web process shares them; with neither (make run) each process keeps its own in memory.
CACHE_URL = env_redis_url("CACHE_URL") or CELERY_BROKER_URL
if CACHE_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": "mash-cache",
            # Redis answers in a millisecond; a frozen one must not hold a request (the throttles then
            # pause their use of it: mash/common/throttles.py).
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "mash"}}

REST_FRAMEWORK = {
    # Token first, so an unauthenticated call gets 401 with a WWW-Authenticate header.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "mash.tokens.auth.TokenAuthentication",
        "mash.accounts.authentication.VerifiedSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # Requests per signed-in user; failed token authentications per address (mash/tokens/auth.py).
    "DEFAULT_THROTTLE_CLASSES": ["mash.common.throttles.UserRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "user": env_rate("API_THROTTLE_RATE", "120/minute"),
        "failed_auth": env_rate("API_FAILED_AUTH_RATE", "30/hour"),
    },
    # The client's address: REMOTE_ADDR, or behind the TLS proxy the address it adds to
    # X-Forwarded-For (never one the client wrote itself).
    "NUM_PROXIES": 1 if env_bool("BEHIND_HTTPS_PROXY", default=False) else 0,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # JSON bodies only (an upload names its own parser): a form encoding cannot say null or nest,
    # so the schema would promise what the API cannot read.
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "mash.common.api.Pagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "mash.common.api.exception_handler",
}
# API tokens (django-rest-knox): stored as a SHA-512 digest and a 15-character prefix, shown once.
KNOX_TOKEN_MODEL = "tokens.ApiToken"  # noqa: S105 (a model name)
# knox's own migrations create its default token table even when the model is swapped out; a table
# no model owns is never flushed, and its key to auth_user breaks every flush of the test database.
MIGRATION_MODULES = {"knox": None}
REST_KNOX = {
    "TOKEN_TTL": timedelta(hours=env_int("API_TOKEN_TTL_HOURS", 30 * 24, minimum=1)),
    "AUTH_HEADER_PREFIX": "Token",
    "TOKEN_LIMIT_PER_USER": None,
    "AUTO_REFRESH": False,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "MASH case management API",
    "DESCRIPTION": "Referrals, information requests, decisions and disclosures of a Multi-Agency "
    "Safeguarding Hub. Every endpoint applies the information sharing protocol.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # The document describes every endpoint; only signed-in users may read it (and its UI).
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "GET_LIB_DOC_EXCLUDES": "mash.common.schema.doc_excludes",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "mash.common.schema.add_error_responses",
        "mash.common.schema.describe_integer_path_parameters",
        "mash.common.schema.forbid_nul_characters",
    ],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # WeasyPrint narrates every step of every PDF at INFO; its warnings still come through.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
