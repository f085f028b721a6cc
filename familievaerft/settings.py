"""Settings for Familieværft.

Everything comes from the environment (django-environ, with ``*_FILE`` variants for
secrets). Production differs from development only by environment variables.
"""

import datetime as dt
from pathlib import Path
from typing import Any

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.FileAwareEnv()

# development | demo | production. Demo data may only be loaded outside production.
APP_ENV = env.str("APP_ENV", default="development")
if APP_ENV not in {"development", "demo", "production"}:
    raise ImproperlyConfigured("APP_ENV must be development, demo or production")
IS_PRODUCTION = APP_ENV == "production"

DEBUG = env.bool("DJANGO_DEBUG", default=APP_ENV == "development")

if IS_PRODUCTION:
    SECRET_KEY = env.str("SECRET_KEY")  # no default: production refuses to start without one
    if len(SECRET_KEY) < 32:
        raise ImproperlyConfigured("SECRET_KEY must be set to at least 32 random characters")
else:
    SECRET_KEY = env.str("SECRET_KEY", default="dev-only-insecure-key-never-use-in-production")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[] if IS_PRODUCTION else ["*"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "guardian",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # The apps, bottom layer first (README, "Project layout"; tests/test_layers.py).
    "core",
    "accounts",
    "access",
    "cases",
    "plans",
    "network",
    "followups",
    "letters",
    "portal",
    "file_access",
    "demo",
    "axes",  # last, as django-axes asks
]

MIDDLEWARE = [
    # First: every log line of the request carries its id (and its user's, once known).
    "core.logging_json.RequestContextMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.locale.DanishFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # After messages: a session that ends says why on the login page.
    "accounts.middleware.SessionLifetimeMiddleware",
    "accounts.middleware.RequireTwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Logs every 401/403 answer that the view did not log itself (access.refusals).
    "access.refusals.RefusalLogMiddleware",
    # Last: turns a lock-out noticed anywhere in the login into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "familievaerft.urls"
WSGI_APPLICATION = "familievaerft.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "followups.context_processors.app",
            ],
            # {{ text|data_label }}: a text from data in the reader's language, on every page.
            "builtins": ["core.templatetags.data_labels"],
        },
    },
]

# SQLite file when DATABASE_URL is unset, so `make run` needs no services.
# In production the app (web, worker, beat) connects as a role that owns nothing and may only
# read and append to the access log (DATABASE_URL); migrations run as the tables' owner, with
# MIGRATE_DATABASE_URL, which only the migrate step sets (docker-compose.yml's `migrate`
# service: `migrate`, then `grant_app_role`). Where it is set, it replaces DATABASE_URL.
# `make run` and `make test` use one role for both.
_migrate_database_url = env.str("MIGRATE_DATABASE_URL", default="")
DATABASES = {
    "default": (
        env.db_url_config(_migrate_database_url)
        if _migrate_database_url
        else env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
    ),
}
# The password may be kept out of the URL: DATABASE_PASSWORD (MIGRATE_DATABASE_PASSWORD for the
# migrate step), given as a file in production (docker compose's secrets: *_PASSWORD_FILE).
_database_password = (
    env.str("MIGRATE_DATABASE_PASSWORD", default="")
    if _migrate_database_url
    else env.str("DATABASE_PASSWORD", default="")
)
if _database_password:
    DATABASES["default"]["PASSWORD"] = _database_password
# No ATOMIC_REQUESTS: a refused request raises Http404, and a request-wide transaction would
# roll back the very access-log row that records the refusal. Each service that writes more
# than one row is atomic on its own instead.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DB_CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = 5
    # Server-side parameters and psycopg's prepared statements: a query run twice on a
    # connection is prepared, so Postgres stops planning it again. The big list queries spent
    # more time being planned than run (Mine sager's "Næste frister": 3.2 ms planning, 1.1 ms
    # execution; ``make bench``). Behind a pooler in transaction mode, set
    # DB_PREPARE_THRESHOLD to -1 (no prepared statements).
    DATABASES["default"]["OPTIONS"]["server_side_binding"] = True
    _prepare_threshold = env.int("DB_PREPARE_THRESHOLD", default=2)
    DATABASES["default"]["OPTIONS"]["prepare_threshold"] = (
        None if _prepare_threshold < 0 else _prepare_threshold
    )
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # `make run`: requests in threads at once (four uses of one invitation link, say) must
    # wait for each other, not fail with "database is locked". WAL lets reads go on while one
    # request writes; a transaction takes the write lock when it begins (IMMEDIATE), so two
    # transactions that read and then write never deadlock (SQLite answers that at once, without
    # waiting); and a writer waits up to 20 s for the lock (the busy timeout).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
# --- Authentication, two-factor, lock-out and sessions ----------------------------------------
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out username or address before the password is even checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # guardian's backend, with the end date of a case share (access/backends.py).
    "access.backends.ShareAwareObjectPermissionBackend",
    # Single sign-on: each answers only on its own provider's callback (accounts.oidc).
    "accounts.oidc.StaffOIDCBackend",
    "portal.mitid.CitizenOIDCBackend",
]
# guardian checks for its own backend by name; ours is a subclass of it (access/backends.py).
SILENCED_SYSTEM_CHECKS = ["guardian.W001"]
ANONYMOUS_USER_NAME = None  # guardian: no database row for anonymous users
GUARDIAN_MONKEY_PATCH_USER = False
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Argon2 for new passwords; older hashes still verify and are upgraded at the next login.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

# Staff (accounts.models.STAFF_ROLES) must log in with a TOTP code (or a recovery code)
# after the password; families never. Off in demo mode so the demo logins work without a phone.
TWO_FACTOR_REQUIRED = env.bool("TWO_FACTOR_REQUIRED", default=APP_ENV != "demo")
OTP_TOTP_ISSUER = "Familieværft"

# Lock-out (django-axes): LOGIN_FAILURE_LIMIT failed logins (wrong password or wrong code) for
# one username, or from one address, lock that username or address for LOGIN_LOCKOUT_MINUTES.
# Administrators see failures and lock-outs in the admin (Axes); the log has a line for each.
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_ENABLE_ACCESS_FAILURE_LOG = True
# Failures are forgiven only after the whole login (password and code) has succeeded, in
# accounts.views.login; a right password alone must not reset the count for the code.
AXES_RESET_ON_SUCCESS = False
AXES_CLIENT_IP_CALLABLE = "accounts.client_ip.client_ip"
# Masked in axes' log lines and stored request data ("password" always is): a password typed
# into the username field must not end up in the log. The admin shows the username itself.
AXES_SENSITIVE_PARAMETERS = ["username", "code"]
# Reverse proxies in front of the app that append to X-Forwarded-For: the client's address is
# the one the outermost of them saw. 0 (outside production): REMOTE_ADDR itself.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=1 if IS_PRODUCTION else 0)
# Login form posts (password and code) per client address (django-ratelimit, default cache).
LOGIN_RATE_LIMIT = env.str("LOGIN_RATE_LIMIT", default="20/m")
RATELIMIT_IP_META_KEY = "accounts.client_ip.client_ip"

# Single sign-on through OpenID Connect (accounts.oidc, portal.mitid; README, "Single sign-on").
# Unset (`make run`, the demo): password logins only. Endpoints come from the issuer's
# /.well-known/openid-configuration, fetched at the first login and cached for an hour.
# Staff: the municipality's identity provider; with it set, staff log in through it and only
# break-glass accounts (User.break_glass) may use a password and two-factor.
OIDC_STAFF_ISSUER = env.str("OIDC_STAFF_ISSUER", default="")
OIDC_STAFF_CLIENT_ID = env.str("OIDC_STAFF_CLIENT_ID", default="")
OIDC_STAFF_CLIENT_SECRET = env.str("OIDC_STAFF_CLIENT_SECRET", default="")
OIDC_STAFF_SCOPES = env.str("OIDC_STAFF_SCOPES", default="openid profile email")
OIDC_STAFF_GROUPS_CLAIM = env.str("OIDC_STAFF_GROUPS_CLAIM", default="groups")
# Families: MitID through NemLog-in's OpenID Connect broker, matched by the CPR claim.
OIDC_CITIZEN_ISSUER = env.str("OIDC_CITIZEN_ISSUER", default="")
OIDC_CITIZEN_CLIENT_ID = env.str("OIDC_CITIZEN_CLIENT_ID", default="")
OIDC_CITIZEN_CLIENT_SECRET = env.str("OIDC_CITIZEN_CLIENT_SECRET", default="")
OIDC_CITIZEN_SCOPES = env.str("OIDC_CITIZEN_SCOPES", default="openid mitid")
OIDC_CITIZEN_CPR_CLAIM = env.str("OIDC_CITIZEN_CPR_CLAIM", default="dk:gov:cpr")
OIDC_CITIZEN_LOA_CLAIM = env.str("OIDC_CITIZEN_LOA_CLAIM", default="loa")
OIDC_CITIZEN_ACCEPTED_LOA = env.list(
    "OIDC_CITIZEN_ACCEPTED_LOA",
    default=[
        "https://data.gov.dk/concept/core/nsis/loa/Substantial",
        "https://data.gov.dk/concept/core/nsis/loa/High",
    ],
)
OIDC_SIGN_ALGORITHM = "RS256"
OIDC_TIMEOUT = 10
OIDC_CLOCK_LEEWAY_SECONDS = 30

# Sessions end after SESSION_IDLE_SECONDS without a request, and SESSION_ABSOLUTE_SECONDS after
# the login whatever happens (accounts.middleware.SessionLifetimeMiddleware).
SESSION_IDLE_SECONDS = env.int("SESSION_IDLE_SECONDS", default=30 * 60)
SESSION_ABSOLUTE_SECONDS = env.int("SESSION_ABSOLUTE_SECONDS", default=10 * 60 * 60)
# The store keeps an idle session a quarter of an hour longer than it is valid, so the
# middleware (which ends it on time) can still tell the user why they were logged out.
SESSION_COOKIE_AGE = SESSION_IDLE_SECONDS + 15 * 60

LANGUAGE_CODE = "da"
LANGUAGES = [("da", _("Dansk")), ("en", _("Engelsk"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["familievaerft.formats"]
TIME_ZONE = "Europe/Copenhagen"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Configurable so tests (and unusual deployments) can collect into a directory of their own.
# The app finder leaves out the sidecar's Redoc build (the API docs use Swagger UI).
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "core.staticfinders.AppDirectoriesFinder",
]
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if IS_PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Outside production whitenoise serves the files straight from their source directories, so the
# demo (APP_ENV=demo, DEBUG off) works under runserver without collectstatic.
WHITENOISE_USE_FINDERS = not IS_PRODUCTION
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))

SESSION_COOKIE_HTTPONLY = True

# --- HTTPS, cookies and security headers (`manage.py check --deploy` is clean in production;
# tests/security/test_deploy_check.py) ---------------------------------------------------------
SESSION_COOKIE_SECURE = IS_PRODUCTION
CSRF_COOKIE_SECURE = IS_PRODUCTION
# htmx sends the CSRF token from the page (hx-headers on <body>); no script reads the cookie.
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "access.refusals.csrf_failure"
LANGUAGE_COOKIE_SECURE = IS_PRODUCTION
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
# Behind the TLS-terminating reverse proxy, which sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if IS_PRODUCTION else None
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=IS_PRODUCTION)
# The container's health check may ask over plain http, from inside the container.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000 if IS_PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content Security Policy (django-csp), enforced on every response: no inline script or style
# anywhere, nothing from other sites. htmx's own indicator style is switched off (base.html).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}
# Rate limits of access.refusals (django-ratelimit, counted per client address):
# opening or posting a family invitation link, and making API keys on the profile page.
INVITATION_RATE_LIMIT = env.str("INVITATION_RATE_LIMIT", default="20/h")
API_TOKEN_CREATE_RATE_LIMIT = env.str("API_TOKEN_CREATE_RATE_LIMIT", default="10/h")
# Posts to the "Glemt adgangskode?" form per client address (accounts.views.password_reset).
PASSWORD_RESET_RATE_LIMIT = env.str("PASSWORD_RESET_RATE_LIMIT", default="5/h")

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="familievaerft@kommune.example")
# The address links in e-mails (reminders) point to.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
# What leaves the system goes through the outbox (core.outbox): sent by the worker, with these
# timeouts, retried with backoff, never with fail_silently.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)  # seconds for one SMTP conversation
# Digital Post (letters.digital_post): "file" writes each MeMo message and its PDF to
# MEDIA_ROOT/DIGITAL_POST_FILE_DIR; "serviceplatformen" posts it to SF1601 at DIGITAL_POST_URL
# with the municipality's client certificate.
DIGITAL_POST_BACKEND = env.str("DIGITAL_POST_BACKEND", default="file")
DIGITAL_POST_FILE_DIR = env.str("DIGITAL_POST_FILE_DIR", default="digital-post")
DIGITAL_POST_TIMEOUT = env.int("DIGITAL_POST_TIMEOUT", default=30)
DIGITAL_POST_URL = env.str("DIGITAL_POST_URL", default="")
DIGITAL_POST_CERT_FILE = env.str("DIGITAL_POST_CERT_FILE", default="")
DIGITAL_POST_KEY_FILE = env.str("DIGITAL_POST_KEY_FILE", default="")
DIGITAL_POST_SENDER_CVR = env.str("DIGITAL_POST_SENDER_CVR", default="12345678")
DIGITAL_POST_SENDER_LABEL = env.str("DIGITAL_POST_SENDER_LABEL", default="Kommunen")

# Celery: with REDIS_URL unset, tasks run in-process so the app needs no services.
REDIS_URL = env.str("REDIS_URL", default="")
# In production the rate limits (API throttling, logins, invitations) count in Redis, shared by
# every gunicorn worker; in development and tests a per-process memory cache is enough.
# Redis down must not fail every login and API request with a 500 (tests/faults/): the cache
# answers within a second and then behaves as empty (django-redis, logged), and the rate limits
# let requests through meanwhile; the lock-out after failed logins counts in Postgres (axes).
REDIS_CACHE = {
    "BACKEND": "django_redis.cache.RedisCache",
    "KEY_PREFIX": "familievaerft",
    "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 1, "SOCKET_TIMEOUT": 1},
}
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
RATELIMIT_FAIL_OPEN = True
if IS_PRODUCTION and REDIS_URL:
    CACHES = {"default": {**REDIS_CACHE, "LOCATION": REDIS_URL}}
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Letters reuse one WeasyPrint font configuration per thread (letters.pdf), so rendering
# no longer grows (make bench: RSS after 10 and after 50 renders); a worker process is still
# replaced after this many tasks, in case a C library holds on to memory again.
CELERY_WORKER_MAX_TASKS_PER_CHILD = 200
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A broker that is down (tests/faults/) must neither hold a request nor stop a process: a
# publish gives up after about a second (familievaerft/celery.py logs it; the database's state
# sends the task again), a connection attempt after 2 s even to a host that does not answer,
# and workers reconnect for as long as the outage lasts (Celery's default gives up after 100
# attempts, about 50 minutes, and the worker exits).
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2}
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.25,
    "interval_max": 0.5,
}
# A task running when the connection is lost cannot be acknowledged any more: it is cancelled
# and delivered again (every task is safe to run twice).
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
CELERY_TIMEZONE = TIME_ZONE
# Keep Django's LOGGING (with the CPR filter) in the worker instead of Celery's own handlers.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# No task runs for ever: at the soft limit it is interrupted (SoftTimeLimitExceeded, logged, and
# its work is picked up again from the database's state like any failed task); at the hard limit
# the worker process running it is replaced. The longest task, a letter or an aktindsigt bundle,
# takes seconds (make bench).
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=10 * 60)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=11 * 60)
if CELERY_TASK_TIME_LIMIT <= CELERY_TASK_SOFT_TIME_LIMIT:
    raise ImproperlyConfigured("CELERY_TASK_TIME_LIMIT must be above CELERY_TASK_SOFT_TIME_LIMIT")
# Periodic jobs are declared here and nowhere else; each has a management command too.
# A sweep that could not be delivered in time (broker down) expires instead of piling up:
# the next one catches up from the database.
REMINDER_SWEEP_SECONDS = env.int("REMINDER_SWEEP_SECONDS", default=15 * 60)
CELERY_BEAT_SCHEDULE: dict[str, dict] = {
    "sweep-reminders": {
        "task": "followups.tasks.sweep_reminders",
        "schedule": REMINDER_SWEEP_SECONDS,
        "options": {"expires": REMINDER_SWEEP_SECONDS},
    },
    # Closing letters whose rendering was lost (broker outage) or gave up are queued again.
    "requeue-letter-renderings": {
        "task": "letters.tasks.requeue_stalled_renderings",
        "schedule": 10 * 60,
        "options": {"expires": 10 * 60},
    },
    # The same for the aktindsigt bundles (file_access.tasks).
    "requeue-file-access-bundles": {
        "task": "file_access.tasks.requeue_stalled_bundles",
        "schedule": 10 * 60,
        "options": {"expires": 10 * 60},
    },
    # Outbox messages (e-mail, Digital Post) still queued or failed and due for a retry.
    "requeue-outbox": {
        "task": "core.tasks.requeue_outbox",
        "schedule": 60,
        "options": {"expires": 60},
    },
    # The end of each case share that has passed is written to the case's access log.
    "log-expired-shares": {
        "task": "access.tasks.log_expired_shares",
        "schedule": 60 * 60,
        "options": {"expires": 60 * 60},
    },
    # ... and the end of each family member's time-limited portal access.
    "log-ended-portal-grants": {
        "task": "cases.tasks.log_ended_portal_grants",
        "schedule": 60 * 60,
        "options": {"expires": 60 * 60},
    },
}

DEFAULT_EXCEPTION_REPORTER_FILTER = "core.redaction.CPRSafeExceptionReporterFilter"
DEFAULT_EXCEPTION_REPORTER = "core.redaction.CPRSafeExceptionReporter"
# json (production's default): one JSON object per line with the request id and user id
# (core.logging_json); plain (elsewhere, `make run`): a line of text. Both are CPR-redacted.
LOG_FORMAT = env.str("LOG_FORMAT", default="json" if IS_PRODUCTION else "plain")
if LOG_FORMAT not in {"json", "plain"}:
    raise ImproperlyConfigured("LOG_FORMAT must be json or plain")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_cpr": {"()": "core.redaction.RedactCPRFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "core.logging_json.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["redact_cpr"],
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # Django's own loggers are given our handler explicitly: their defaults (console,
    # mail_admins) would bypass the CPR filter.
    "loggers": {
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # WeasyPrint reports every rendering step at INFO; only problems are of interest.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # django-axes: each failed login and each lock-out is a WARNING; its INFO is chatter.
        "axes": {"level": "WARNING"},
    },
}

# Error reports to Sentry (sentry-sdk), only when SENTRY_DSN is set: no user details, no frame
# variables, no request bodies, no tracing; and every string of an event and of a breadcrumb
# CPR-redacted before it leaves (core.logging_json.sentry_before_send).
SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    import sentry_sdk

    def _sentry_before_send(event: Any, hint: Any) -> Any:
        from core.logging_json import sentry_before_send

        return sentry_before_send(event, hint)

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        environment=APP_ENV,
        data_collection={
            "user_info": False,
            "stack_frame_variables": False,
            "http_bodies": [],
            "database_query_data": False,
        },
        max_request_body_size="never",
        before_send=_sentry_before_send,
        before_breadcrumb=_sentry_before_send,
        traces_sample_rate=None,
    )

PAGE_SIZE = 25

# --- REST API (/api/v1/) ---------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.api_authentication.ApiTokenAuthentication",
        "accounts.api_authentication.CsrfSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "access.api_permissions.IsStaffMember",
        "access.api_permissions.TokenScope",
    ],
    "DEFAULT_PAGINATION_CLASS": "core.api_pagination.Cursor",
    "PAGE_SIZE": PAGE_SIZE,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.UserRateThrottle",
        "rest_framework.throttling.AnonRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "user": "1000/hour",
        "anon": "60/hour",
        # Failed API-key authentications per client address (accounts.api_authentication).
        "failed_token": env.str("API_FAILED_TOKEN_RATE_LIMIT", default="10/hour"),
    },
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "core.api_errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Familieværft API",
    "DESCRIPTION": (
        "Familieværfts REST-API for integrationer (ESDH, ledelsesinformation, borgerportaler). "
        "Samme adgangsregler som webfladen: lister viser kun sager, du må se; alt andet svarer "
        "404; hver læsning af en sags data skrives i sagens adgangslog. CPR-numre står kun i "
        "svaret for en borger, du må se, og modtages kun i body på søgning (aldrig i URL'en)."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema and its documentation are for logged-in staff, like the API itself: anonymous
    # callers get 401 (the docs page sends them to the login), families a logged 403.
    "SERVE_PERMISSIONS": ["access.api_permissions.IsStaffMember"],
    "SCHEMA_PATH_PREFIX": "/api/v1/",
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # No validator badge: it would send the schema's address to validator.swagger.io.
    "SWAGGER_UI_SETTINGS": {"persistAuthorization": False, "validatorUrl": None},
    "ENUM_NAME_OVERRIDES": {
        "NotificationKindEnum": "cases.models.Notification.Kind",
        "AssessmentKindEnum": "cases.models.Assessment.Kind",
        "PlanKindEnum": "plans.models.Plan.Kind",
        "CaseStatusEnum": "cases.models.CaseStatus",
        "GoalStatusEnum": "plans.models.Goal.Status",
        "DecisionKindEnum": "cases.models.Decision.Kind",
        "DecisionStatusEnum": "cases.models.Decision.Status",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.api_schema.add_error_responses",
    ],
}
