"""PAKAR settings: one file, every value from the environment.

Development (the default) keeps all state under ``PAKAR_DATA_DIR`` and creates
missing development keys there. Production (``PAKAR_ENV=production``) refuses to
start unless every secret is given explicitly.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from exc


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


def env_secret(name: str) -> str | None:
    """A secret from ``NAME`` or from the file named by ``NAME_FILE``."""
    value = os.environ.get(name)
    if value:
        return value
    path = os.environ.get(f"{name}_FILE")
    if path:
        try:
            return Path(path).read_text().strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE: cannot read {path}: {exc}") from exc
    return None


PAKAR_ENV = env_str("PAKAR_ENV", "development")
PRODUCTION = PAKAR_ENV == "production"
TESTING = env_bool("PAKAR_TESTING")
DEBUG = env_bool("DJANGO_DEBUG", default=not PRODUCTION and not TESTING)

PAKAR_DATA_DIR = Path(env_str("PAKAR_DATA_DIR", str(BASE_DIR / "var"))).resolve()
if TESTING and os.environ.get("PYTEST_XDIST_WORKER"):
    # Parallel test workers each get their own state (cache, keys, SQLite file).
    PAKAR_DATA_DIR = PAKAR_DATA_DIR / os.environ["PYTEST_XDIST_WORKER"]
PAKAR_KEY_DIR = PAKAR_DATA_DIR / "keys"
PAKAR_STORAGE_DIR = Path(env_str("PAKAR_STORAGE_DIR", str(PAKAR_DATA_DIR / "files"))).resolve()


def mandatory_secret(name: str, dev_file: str, nbytes: int) -> str:
    """Production needs the secret given; development creates one under the data dir."""
    value = env_secret(name)
    if value:
        return value
    if PRODUCTION:
        raise ImproperlyConfigured(f"{name} (or {name}_FILE) must be set in production; see .env.example")
    import base64
    import secrets

    path = PAKAR_KEY_DIR / dev_file
    if not path.exists():
        PAKAR_KEY_DIR.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(base64.b64encode(secrets.token_bytes(nbytes)).decode())
    return path.read_text().strip()


SECRET_KEY = mandatory_secret("DJANGO_SECRET_KEY", "django-secret.key", 48)
# Instance key: wraps every per-case key. Kept outside the database.
PAKAR_INSTANCE_KEY = mandatory_secret("PAKAR_INSTANCE_KEY", "instance.key", 32)
# Instance salt: access-code hashes are looked up through it; without it a stolen
# database cannot even be brute-forced.
# Instance keys retired by rotate_instance_key, still needed to unwrap old case
# keys until the rotation has finished (comma-separated base64).
PAKAR_RETIRED_INSTANCE_KEYS = env_list("PAKAR_RETIRED_INSTANCE_KEYS")
PAKAR_LOOKUP_SALT = mandatory_secret("PAKAR_LOOKUP_SALT", "lookup-salt.key", 16)
# Keys for short-lived hashes of client addresses used by throttling.
PAKAR_THROTTLE_KEY = mandatory_secret("PAKAR_THROTTLE_KEY", "throttle.key", 32)

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost")
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must be set in production")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "pakar.common",
    "pakar.accounts",
    "pakar.org",
    "pakar.cases",
    "pakar.public",
    "pakar.workdays",
    "pakar.backoffice",
    "pakar.audit",
    "pakar.consultations",
    "pakar.guidance",
    "pakar.reports",
    "pakar.identity",
    "pakar.notify",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "pakar.common.middleware.PrivacyHeadersMiddleware",
]

# The issuer shown in authenticator apps beside the staff member's username.
OTP_TOTP_ISSUER = "PAKAR"

ROOT_URLCONF = "pakar.urls"
WSGI_APPLICATION = "pakar.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "pakar.common.context_processors.branding",
            ],
        },
    }
]

# Database: SQLite (WAL) under the data dir unless DATABASE_URL says otherwise.
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
    if env_str("PAKAR_TEST_DB_NAME"):
        DATABASES["default"]["TEST"] = {"NAME": env_str("PAKAR_TEST_DB_NAME")}
else:
    PAKAR_DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(PAKAR_DATA_DIR / "pakar.sqlite3"),
            "OPTIONS": {
                # IMMEDIATE takes the write lock at BEGIN, so two writers queue
                # instead of failing half-way with "database is locked".
                "transaction_mode": "IMMEDIATE",
                "timeout": 30,
                "init_command": ("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"),
            },
            "TEST": {"NAME": str(PAKAR_DATA_DIR / "test.sqlite3")},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHE_URL = env_str("PAKAR_CACHE_URL")
CACHES: dict[str, dict[str, Any]]
if CACHE_URL.startswith("redis://"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}}
else:
    # A file cache is shared by every worker process on one host; throttling needs that.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(PAKAR_DATA_DIR / "cache"),
            # Throttle counters must not be evicted early by a small entry cap.
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        }
    }

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "/staff/login/"

# Internationalisation: Bahasa Indonesia first, English second.
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("PAKAR_TIME_ZONE", "Asia/Jakarta")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = PAKAR_DATA_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)

# Uploads: every file goes through PAKAR's encrypting handler, never to a plain temp file.
FILE_UPLOAD_HANDLERS = ["pakar.cases.uploads.EncryptingUploadHandler"]
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 200

# Sessions: database-backed, short, never readable by scripts.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env_int("PAKAR_SESSION_MINUTES", 30) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "pakar.common.views.csrf_failure"
LANGUAGE_COOKIE_SAMESITE = "Lax"

# Web security.
SECURE_CONTENT_TYPE_NOSNIFF = True
# "same-origin", not "no-referrer": with "no-referrer" browsers send "Origin: null"
# on form posts and Django's CSRF check refuses every form. Other sites still get nothing.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("PAKAR_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("PAKAR_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("PAKAR_HSTS_PRELOAD", False)
    if not SECURE_HSTS_PRELOAD:
        # Silenced with a reason: preloading binds every subdomain of the
        # agency's domain (often the whole local government's) to HTTPS for
        # good, a decision for the domain's owner, who opts in with
        # PAKAR_HSTS_PRELOAD=1. HSTS itself is on.
        SILENCED_SYSTEM_CHECKS = ["security.W021"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True

# Logging: no request object, client address, user agent or referrer ever
# reaches a log line. Django's request loggers attach the request to records;
# the privacy filter drops it, and no handler mails error reports.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"privacy": {"()": "pakar.common.logging.PrivacyFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["privacy"]},
    },
    "root": {"handlers": ["console"], "level": env_str("PAKAR_LOG_LEVEL", "INFO")},
    "loggers": {
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # The privacy filter also sits on the loggers that attach the request
        # or name the client, so a handler added later gets clean records too.
        "django.request": {"filters": ["privacy"]},
        "django.security.csrf": {"filters": ["privacy"]},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False, "filters": ["privacy"]},
        "django.security.DisallowedHost": {"handlers": [], "propagate": False},
        "pikepdf": {"level": "WARNING"},
    },
}
ADMINS: list[tuple[str, str]] = []

MAILERS = {
    "default": {
        "BACKEND": env_str("PAKAR_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend"),
        "OPTIONS": {
            "host": env_str("PAKAR_SMTP_HOST", "127.0.0.1"),
            "port": env_int("PAKAR_SMTP_PORT", 25),
            # A hanging mail server must not hold a worker (and its outbox row) for ever.
            "timeout": env_int("PAKAR_SMTP_TIMEOUT", 10),
        },
    }
}
DEFAULT_FROM_EMAIL = env_str("PAKAR_FROM_EMAIL", "pakar@localhost")
# Where reporters open the portal; notice e-mails link here (no trailing slash needed).
PAKAR_PUBLIC_URL = env_str("PAKAR_PUBLIC_URL", "http://127.0.0.1:8000")

# --- PAKAR domain settings ------------------------------------------------
# Argon2id cost for access codes. Tests lower it through these variables; the
# default is the production cost (64 MiB).
PAKAR_KDF_MEMORY_KIB = env_int("PAKAR_KDF_MEMORY_KIB", 65536)
PAKAR_KDF_TIME_COST = env_int("PAKAR_KDF_TIME_COST", 1)
PAKAR_KDF_PARALLELISM = env_int("PAKAR_KDF_PARALLELISM", 1)
if PRODUCTION and PAKAR_KDF_MEMORY_KIB < 65536:
    raise ImproperlyConfigured("PAKAR_KDF_MEMORY_KIB must be at least 65536 in production")

PAKAR_MAX_FILE_BYTES = env_int("PAKAR_MAX_FILE_MB", 20) * 1024 * 1024
PAKAR_MAX_FILES = env_int("PAKAR_MAX_FILES", 5)
PAKAR_MAX_TEXT_CHARS = env_int("PAKAR_MAX_TEXT_CHARS", 20000)
PAKAR_STAGING_HOURS = env_int("PAKAR_STAGING_HOURS", 6)
PAKAR_CODE_ATTEMPTS = env_int("PAKAR_CODE_ATTEMPTS", 10)
PAKAR_CODE_WINDOW_SECONDS = env_int("PAKAR_CODE_WINDOW_SECONDS", 900)
# Behind a reverse proxy, the header that carries the client address (used
# only to make a short-lived keyed hash for throttling; never stored).
PAKAR_CLIENT_IP_HEADER = env_str("PAKAR_CLIENT_IP_HEADER")
# Evidence hygiene (pakar.vault.scrub) and optional virus scanning through clamd.
PAKAR_SCRUB_MAX_PIXELS = env_int("PAKAR_SCRUB_MAX_PIXELS", 60_000_000)
PAKAR_SCRUB_MAX_EXPANDED_BYTES = env_int("PAKAR_SCRUB_MAX_EXPANDED_MB", 200) * 1024 * 1024
PAKAR_SCRUB_MAX_RATIO = env_int("PAKAR_SCRUB_MAX_RATIO", 100)
PAKAR_CLAMD_SOCKET = env_str("PAKAR_CLAMD_SOCKET")
PAKAR_CLAMD_HOST = env_str("PAKAR_CLAMD_HOST")
PAKAR_CLAMD_PORT = env_int("PAKAR_CLAMD_PORT", 3310)
PAKAR_CLAMD_TIMEOUT = env_int("PAKAR_CLAMD_TIMEOUT", 30)
PAKAR_ORGANISATION = env_str("PAKAR_ORGANISATION", "Inspektorat Kota Sukabumi")
