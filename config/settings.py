"""Peygir settings: one file, driven by environment variables.

Everything an operator may change is read from the environment (see README, "Configuration").
With no environment at all, Peygir runs on an SQLite file under ``var/`` with the database task
backend, which is what ``make run`` uses on a fresh machine.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import admin_persian as _admin_persian
import dj_database_url
import leaflet as _leaflet

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("PEYGIR_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-insecure-key-change-me-in-production-0123456789")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "http://127.0.0.1:8000,http://localhost:8000")
CSRF_FAILURE_VIEW = "peygir.core.views.csrf_failure"

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
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks",
    "django_tasks_db",
    "peygir.core",
    "peygir.notifications",
    "peygir.accounts",
    "peygir.org",
    "peygir.catalog",
    "peygir.audit",
    "peygir.routing",
    "peygir.sla",
    "peygir.cases",
    "peygir.intake",
    "peygir.feedback",
    "peygir.portal",
    "peygir.staff",
    "peygir.callcenter",
    "peygir.performance",
    "peygir.insights",
    "peygir.integrity",
]

MIDDLEWARE = [
    # First: strips network data from integrity requests before anything else can see or log it.
    "peygir.integrity.middleware.IntegrityPrivacyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "peygir.core.middleware.SecurityHeadersMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

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
                "django.template.context_processors.i18n",
                "peygir.core.context_processors.site",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------------
# SQLite is the embedded default; PostgreSQL is the production path (DATABASE_URL=postgres://…).
DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'peygir.sqlite3'}")
DATABASES = {
    "default": dj_database_url.parse(DATABASE_URL, conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")))
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool(
    "DB_SERVER_SIDE_BINDING", True
):
    # Server-side parameters let psycopg prepare the hot statements once per connection (set
    # DB_SERVER_SIDE_BINDING=0 behind a PgBouncer in transaction mode, which cannot keep them).
    DATABASES["default"].setdefault("OPTIONS", {})["server_side_binding"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets the worker read while the web server writes; IMMEDIATE takes the write lock at
        # BEGIN so two writers queue on busy_timeout instead of failing with "database is locked".
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # Covering indexes (INCLUDE) exist for PostgreSQL's kartable; SQLite builds them without the
    # extra columns, which is all the embedded default needs.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "/staff/login/"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Cache (rate limits) ------------------------------------------------------------------------
CACHE_URL = os.environ.get("CACHE_URL", "")
if CACHE_URL.startswith("redis://"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}}
else:
    # The database cache is shared by every web process and survives restarts, which is what a
    # rate limit needs; the local-memory cache would let each gunicorn worker count on its own.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "peygir_cache",
        }
    }

# --- Background tasks ---------------------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "peygir.core.tasks.DatabaseBackend"),
        "QUEUES": [],
    }
}

# --- Language, time -----------------------------------------------------------------------------
LANGUAGE_CODE = "fa"
LANGUAGES = [("fa", "فارسی"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Tehran"
USE_I18N = True
USE_TZ = True

# --- Static and media ---------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# Leaflet's files come from the django-leaflet package; the app itself needs GDAL, so only its static
# folder is used.
# The same for the Vazir font of django-admin-persian-fonts (its app has a pending migration of its own).
STATICFILES_DIRS: list[Any] = [
    BASE_DIR / "static",
    ("leaflet", Path(_leaflet.__file__).parent / "static" / "leaflet"),
    ("admin_persian", Path(_admin_persian.__file__).parent / "static" / "admin_persian"),
]
# Vazirmatn from npm (@fontsource/vazirmatn) when `make assets` could fetch it; Vazir from PyPI otherwise.
NODE_FONTS_DIR = VAR_DIR / "node" / "node_modules" / "@fontsource" / "vazirmatn" / "files"
if NODE_FONTS_DIR.is_dir():
    STATICFILES_DIRS.append(("vazirmatn", NODE_FONTS_DIR))
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# --- Security -----------------------------------------------------------------------------------
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(8 * 3600)))
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
SESSION_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SESSION_EXPIRE_AT_BROWSER_CLOSE = False
SESSION_SAVE_EVERY_REQUEST = False
# Map tiles: OpenStreetMap by default; a municipality's own tile server in production.
MAP_TILE_URL = os.environ.get("MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILE_ATTRIBUTION = os.environ.get("MAP_TILE_ATTRIBUTION", "© OpenStreetMap contributors")
_tile_origin = "/".join(MAP_TILE_URL.split("/")[:3]) if MAP_TILE_URL.startswith("http") else ""
# No inline scripts or styles anywhere: every script and stylesheet is a static file.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        f"img-src 'self' data: blob: {_tile_origin}".strip(),
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
OTP_TOTP_ISSUER = "Peygir 137"
SECURE_CONTENT_TYPE_NOSNIFF = True

# --- Peygir -------------------------------------------------------------------------------------
PEYGIR: dict[str, Any] = {
    # Where one-time codes and citizen notifications go: "console" prints, "file" appends to
    # var/outbox.log, "http" posts to a generic gateway (SMS_GATEWAY_URL, SMS_GATEWAY_TOKEN),
    # "kavenegar" uses a Kavenegar-style provider (SMS_PROVIDER_*).
    "SMS_BACKEND": os.environ.get("SMS_BACKEND", "console"),
    "SMS_GATEWAY_URL": os.environ.get("SMS_GATEWAY_URL", ""),
    "SMS_GATEWAY_TOKEN": os.environ.get("SMS_GATEWAY_TOKEN", ""),
    # The Kavenegar-style provider (SMS_BACKEND=kavenegar); see docs/operations/sms.md.
    "SMS_PROVIDER_URL": os.environ.get("SMS_PROVIDER_URL", "https://api.kavenegar.com/v1"),
    "SMS_PROVIDER_API_KEY": os.environ.get("SMS_PROVIDER_API_KEY", ""),
    "SMS_PROVIDER_SENDER": os.environ.get("SMS_PROVIDER_SENDER", ""),
    "SMS_STATUS_SECRET": os.environ.get("SMS_STATUS_SECRET", ""),
    # The provider's receive webhook for texts to the short number (off while empty); see
    # docs/operations/sms.md.
    "SMS_INBOUND_SECRET": os.environ.get("SMS_INBOUND_SECRET", ""),
    "SMS_QUIET_HOURS": os.environ.get("SMS_QUIET_HOURS", "22:00-07:00"),
    "SMS_MAX_PARTS": int(os.environ.get("SMS_MAX_PARTS", "2")),
    "SITE_URL": os.environ.get("SITE_URL", "http://127.0.0.1:8000"),
    "OTP_TTL_SECONDS": int(os.environ.get("OTP_TTL_SECONDS", "120")),
    "OTP_PER_PHONE_PER_HOUR": int(os.environ.get("OTP_PER_PHONE_PER_HOUR", "5")),
    "OTP_PER_IP_PER_HOUR": int(os.environ.get("OTP_PER_IP_PER_HOUR", "20")),
    "OTP_MAX_ATTEMPTS": int(os.environ.get("OTP_MAX_ATTEMPTS", "5")),
    # Days after a response during which the citizen may object (reopen).
    "OBJECTION_WINDOW_DAYS": int(os.environ.get("OBJECTION_WINDOW_DAYS", "7")),
    # Share of a deadline after which the officer is warned.
    "SLA_WARNING_RATIO": float(os.environ.get("SLA_WARNING_RATIO", "0.8")),
    "H3_RESOLUTION": int(os.environ.get("H3_RESOLUTION", "9")),
    # Hours (around the clock) within which the center must classify a message that came without a
    # category (an inbound SMS) before it counts as overdue.
    "UNCLASSIFIED_RESPOND_HOURS": int(os.environ.get("UNCLASSIFIED_RESPOND_HOURS", "4")),
    "SCHEDULER_INTERVAL_SECONDS": int(os.environ.get("SCHEDULER_INTERVAL_SECONDS", "60")),
    # Days the rows of finished background tasks are kept (core.jobs.prune_task_results_task).
    "TASK_RESULTS_KEEP_DAYS": int(os.environ.get("TASK_RESULTS_KEEP_DAYS", "14")),
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {"integrity": {"()": "peygir.integrity.logfilter.IntegrityLogFilter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["integrity"]}
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# Periodic tasks enqueued by `manage.py run_scheduler`: (task import path, interval in seconds).
PERIODIC_TASKS: list[tuple[str, int]] = [
    ("peygir.cases.tasks.sla_scan_task", PEYGIR["SCHEDULER_INTERVAL_SECONDS"]),
    ("peygir.core.jobs.prune_task_results_task", 24 * 3600),
    ("peygir.notifications.tasks.relay_notifications_task", 2),
    ("peygir.notifications.tasks.requeue_notifications_task", 60),
    ("peygir.notifications.tasks.poll_sms_delivery_task", 300),
    # feedback
    ("peygir.feedback.tasks.close_unanswered_task", 300),
    # performance
    ("peygir.performance.tasks.rollup_consume_task", 60),
    ("peygir.performance.tasks.spike_scan_task", 300),
    ("peygir.performance.tasks.monthly_reports_task", 3600),
    # insights
    ("peygir.insights.tasks.pending_cases_insights_task", 5),
    ("peygir.insights.tasks.prediction_feedback_scan_task", 3600),
    ("peygir.integrity.tasks.integrity_daily_task", 24 * 3600),
    # callcenter
    ("peygir.callcenter.tasks.agent_wrap_up_release_task", 15),
    ("peygir.callcenter.tasks.long_talk_scan_task", 60),
    ("peygir.callcenter.tasks.clinic_reminders_task", 300),
    # intake
    ("peygir.intake.channels.bot.tasks.bot_chats_expire_task", 3600),
]

# Settings of the apps, one block each (edited by the app that owns the block).
# settings: feedback
FEEDBACK: dict[str, Any] = {
    # A survey score at or below this reopens the case inside the objection window and is flagged.
    "LOW_SCORE": int(os.environ.get("FEEDBACK_LOW_SCORE", "2")),
    # Days the survey link of a response keeps working (answers after the window reopen nothing).
    "SURVEY_VALID_DAYS": int(os.environ.get("FEEDBACK_SURVEY_VALID_DAYS", "30")),
    # Responded cases closed per run of the auto-close task once their objection window ends.
    "CLOSE_BATCH": int(os.environ.get("FEEDBACK_CLOSE_BATCH", "500")),
}
# settings: performance
PEYGIR_PERFORMANCE: dict[str, Any] = {
    # Default weights of the composite score (0-100 each) until the center saves its own.
    "KPI_WEIGHTS": {
        "on_time_response": 25,
        "on_time_resolution": 20,
        "satisfaction": 25,
        "objection": 15,
        "fixed": 15,
    },
    # A category in a district is a spike when this hour's count is above mean + SIGMA x std of the
    # same hour of the week over the last WEEKS weeks, and at least MIN_COUNT.
    "SPIKE_WEEKS": int(os.environ.get("SPIKE_WEEKS", "8")),
    "SPIKE_SIGMA": float(os.environ.get("SPIKE_SIGMA", "3")),
    "SPIKE_MIN_COUNT": int(os.environ.get("SPIKE_MIN_COUNT", "5")),
    # Where generated evaluation reports are written.
    "REPORT_DIR": os.environ.get("PERFORMANCE_REPORT_DIR", str(BASE_DIR / "var" / "reports")),
}
# settings: insights
# The AI helpers (docs/insights.md). Backends are chosen by name from peygir.insights.registry.
INSIGHTS: dict[str, Any] = {
    "CLASSIFIER_BACKEND": os.environ.get("INSIGHTS_CLASSIFIER", "tfidf"),
    # Versioned model files (never committed); `manage.py train_classifier` writes them.
    "MODEL_DIR": Path(os.environ.get("INSIGHTS_MODEL_DIR", VAR_DIR / "models")),
    # With no model file, train one from the starter corpus on first use (a few seconds).
    "AUTO_TRAIN": env_bool("INSIGHTS_AUTO_TRAIN", True),
    # At or above this probability the AI sets the category itself; below it staff see suggestions.
    "AUTO_CLASSIFY_THRESHOLD": float(os.environ.get("INSIGHTS_AUTO_CLASSIFY_THRESHOLD", "0.85")),
    # Parallel jobs when training (scikit-learn's n_jobs); 1 keeps training off the web's cores.
    "TRAIN_JOBS": int(os.environ.get("INSIGHTS_TRAIN_JOBS", "1")),
    # Possible duplicates: same or related category, this many H3 rings around the case, this many
    # days back, and at least this TF-IDF cosine between the texts.
    "DUPLICATE_RINGS": int(os.environ.get("INSIGHTS_DUPLICATE_RINGS", "2")),
    "DUPLICATE_DAYS": int(os.environ.get("INSIGHTS_DUPLICATE_DAYS", "14")),
    "DUPLICATE_MIN_SIMILARITY": float(os.environ.get("INSIGHTS_DUPLICATE_MIN_SIMILARITY", "0.3")),
    # The priority code an urgent (dangerous) case is raised to.
    "URGENT_PRIORITY": os.environ.get("INSIGHTS_URGENT_PRIORITY", "emergency"),
    # Optional LLM (an OpenAI-compatible /v1/chat/completions the municipality hosts); off when empty.
    "LLM_BACKEND": os.environ.get("INSIGHTS_LLM_BACKEND", ""),
    "LLM_BASE_URL": os.environ.get("INSIGHTS_LLM_BASE_URL", ""),
    "LLM_API_KEY": os.environ.get("INSIGHTS_LLM_API_KEY", ""),
    "LLM_MODEL": os.environ.get("INSIGHTS_LLM_MODEL", ""),
    "LLM_TIMEOUT": float(os.environ.get("INSIGHTS_LLM_TIMEOUT", "20")),
}
# settings: integrity
# The integrity channel (docs/operations/integrity.md). Argon2id costs: LOOKUP_* for the receipt's
# look-up hash, KEY_* for keys derived from receipts, passwords and recovery keys (memory in bytes).
INTEGRITY: dict[str, Any] = {
    "RETENTION_DAYS": int(os.environ.get("INTEGRITY_RETENTION_DAYS", "90")),
    "RETENTION_WARN_DAYS": int(os.environ.get("INTEGRITY_RETENTION_WARN_DAYS", "7")),
    "LOOKUP_OPS": int(os.environ.get("INTEGRITY_LOOKUP_OPS", "2")),
    "LOOKUP_MEM": int(os.environ.get("INTEGRITY_LOOKUP_MEM", str(32 * 1024 * 1024))),
    "KEY_OPS": int(os.environ.get("INTEGRITY_KEY_OPS", "3")),
    "KEY_MEM": int(os.environ.get("INTEGRITY_KEY_MEM", str(64 * 1024 * 1024))),
    "POW_BITS": int(os.environ.get("INTEGRITY_POW_BITS", "18")),
    "RECEIPT_ATTEMPTS": int(os.environ.get("INTEGRITY_RECEIPT_ATTEMPTS", "10")),
    "RECEIPT_GLOBAL_ATTEMPTS": int(os.environ.get("INTEGRITY_RECEIPT_GLOBAL_ATTEMPTS", "1000")),
    "RECEIPT_WINDOW_SECONDS": int(os.environ.get("INTEGRITY_RECEIPT_WINDOW_SECONDS", "600")),
    "UNLOCK_SECONDS": int(os.environ.get("INTEGRITY_UNLOCK_SECONDS", "1800")),
    "REPORTER_SECONDS": int(os.environ.get("INTEGRITY_REPORTER_SECONDS", "1200")),
    "MAX_FILE_BYTES": int(os.environ.get("INTEGRITY_MAX_FILE_BYTES", str(20 * 1024 * 1024))),
    "MAX_FILES": int(os.environ.get("INTEGRITY_MAX_FILES", "5")),
}
# settings: callcenter
PEYGIR.update(
    {
        # The Asterisk Manager Interface `manage.py run_ami` connects to; with no host it is not started.
        "AMI_HOST": os.environ.get("AMI_HOST", ""),
        "AMI_PORT": int(os.environ.get("AMI_PORT", "5038")),
        "AMI_USERNAME": os.environ.get("AMI_USERNAME", "peygir"),
        "AMI_SECRET": os.environ.get("AMI_SECRET", ""),
        # Shared secret of the generic CTI webhook (other PBXs); empty refuses every webhook call.
        "CTI_WEBHOOK_SECRET": os.environ.get("CTI_WEBHOOK_SECRET", ""),
        # A call answered within this many seconds counts towards the service level.
        "CALLCENTER_SERVICE_LEVEL_SECONDS": int(os.environ.get("CALLCENTER_SERVICE_LEVEL_SECONDS", "20")),
        # Talk minutes since the last break after which the supervisors are warned.
        "CALLCENTER_LONG_TALK_MINUTES": int(os.environ.get("CALLCENTER_LONG_TALK_MINUTES", "90")),
        # After-call work: seconds after a call ends before the agent is offered the next one.
        "CALLCENTER_WRAP_UP_SECONDS": int(os.environ.get("CALLCENTER_WRAP_UP_SECONDS", "30")),
        # A call from the same number within this many days is a repeat (and spoils first-contact resolution).
        "CALLCENTER_REPEAT_DAYS": int(os.environ.get("CALLCENTER_REPEAT_DAYS", "7")),
        # Hours before a clinic consultation when the reminder SMS goes out.
        "CLINIC_REMINDER_HOURS": int(os.environ.get("CLINIC_REMINDER_HOURS", "24")),
    }
)
# settings: intake
PEYGIR.update(
    {
        # The messenger bot (docs/operations/bot.md): the Bot API of Bale (https://tapi.bale.ai) or
        # Telegram (https://api.telegram.org) and the token from its BotFather («بات‌فادر»).
        "BOT_API_URL": os.environ.get("BOT_API_URL", "https://tapi.bale.ai"),
        "BOT_TOKEN": os.environ.get("BOT_TOKEN", ""),
        # How updates arrive: "webhook" (the Bot API posts to /intake/bot/webhook/<secret>/) or
        # "polling" (`manage.py run_bot` asks with getUpdates).
        "BOT_MODE": os.environ.get("BOT_MODE", "webhook"),
        # The webhook's secret, in its URL and in the X-Telegram-Bot-Api-Secret-Token header
        # (16+ of A-Z a-z 0-9 _ -); the webhook is off while it is empty.
        "BOT_WEBHOOK_SECRET": os.environ.get("BOT_WEBHOOK_SECRET", ""),
        # Off only for a Bot API server that does not send the header.
        "BOT_WEBHOOK_REQUIRE_HEADER": env_bool("BOT_WEBHOOK_REQUIRE_HEADER", True),
        # How outbox messages on the bot channel leave: "http" (the Bot API above), "console", "file";
        # empty: "http" when BOT_TOKEN is set, else like SMS_BACKEND.
        "BOT_BACKEND": os.environ.get("BOT_BACKEND", ""),
    }
)
