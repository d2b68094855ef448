"""All settings in one module; differences between machines come from environment variables."""

import datetime as dt
import os
import secrets
from pathlib import Path

import dj_database_url
import dj_email_url
from csp.constants import NONE, SELF

from archive import rate_limits
from config import embedded_pg

BASE_DIR = Path(__file__).resolve().parent.parent


def env_flag(name: str, default: bool = False) -> bool:
    """Read a boolean environment variable ("1", "true", "yes", "on" are true)."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def read_secret_key() -> str:
    """DJANGO_SECRET_KEY, else a key generated once into the ignored file .secret_key."""
    if os.environ.get("DJANGO_SECRET_KEY"):
        return os.environ["DJANGO_SECRET_KEY"]
    key_file = BASE_DIR / ".secret_key"
    try:
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return key_file.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(secrets.token_urlsafe(50))
    return key_file.read_text().strip()


SECRET_KEY = read_secret_key()
DEBUG = env_flag("DJANGO_DEBUG")
ALLOWED_HOSTS = [
    host.strip()
    for host in os.environ.get("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",")
    if host.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django_filters",
    "csp",
    "reversion",
    "reversion_compare",
    "axes",
    "archive",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before CommonMiddleware: its host check answers a disallowed Host with a 400 that passes only
    # through the middleware above it, and that page needs its frame and CSP headers too.
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The interface language: the switcher's cookie, else Accept-Language, else English.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "axes.middleware.AxesMiddleware",
    "archive.rate_limits.RateLimitMiddleware",
    "archive.middleware.RejectNulBytesMiddleware",
    "archive.replicas.middleware.ReplicaReadsMiddleware",
    "archive.middleware.StatementTimeoutMiddleware",
    "archive.middleware.DatabaseUnavailableMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: it refuses locked-out logins before any password check
    "django.contrib.auth.backends.ModelBackend",
]
# Login throttling (django-axes): 5 failures for one (username, client address) lock that pair out
# for 15 minutes, and 20 failures from one address whatever the usernames (password spraying) lock the
# address out; `manage.py axes_reset` unlocks everyone (see README).
AXES_ENABLED = env_flag("DJANGO_AXES", default=True)
AXES_HANDLER = "archive.login_throttle.AddressLimitedAxesHandler"
AXES_FAILURE_LIMIT = 5
AXES_ADDRESS_FAILURE_LIMIT = 20
AXES_COOLOFF_TIME = dt.timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True

# Requests a minute per client for each group of archive/rate_limits.py (DJANGO_RATE_LIMITS=0: none).
RATE_LIMITS = rate_limits.parse_limits(os.environ.get("DJANGO_RATE_LIMITS"))

# Public read views run under this statement timeout (0 switches it off; imports and exports are never timed).
PUBLIC_STATEMENT_TIMEOUT_MS = int(os.environ.get("DJANGO_STATEMENT_TIMEOUT_MS", "5000"))

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
            ],
        },
    },
]


def database_settings(entry: dict, *, pool_timeout: float = 3) -> dict:
    """One server's DATABASES entry with the project's connection handling."""
    if os.environ.get("DJANGO_DB_NAME"):  # another database on the same servers (the browser tests use one)
        entry["NAME"] = os.environ["DJANGO_DB_NAME"]
    entry["CONN_MAX_AGE"] = int(os.environ.get("DJANGO_CONN_MAX_AGE", "60"))
    entry["CONN_HEALTH_CHECKS"] = True
    if env_flag("DJANGO_DB_POOL"):  # psycopg's pool per process (make run, make load); never persistent
        entry["CONN_MAX_AGE"] = 0
        entry.setdefault("OPTIONS", {})["pool"] = {
            "min_size": 1,
            "max_size": int(os.environ.get("DJANGO_DB_POOL_SIZE", "8")),
            # While the primary is down a request waits this long, then gets the 503 page; a replica
            # that is down costs a request this long before its reads go to the primary.
            "timeout": pool_timeout,
        }
    return entry


# DATABASE_URL is the primary (else the embedded server); DATABASE_REPLICA_URLS (comma-separated)
# adds read replicas as replica_1, replica_2 …, read by archive/replicas (see README, "Replicas").
if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": database_settings(dj_database_url.parse(os.environ["DATABASE_URL"]))}
else:
    DATABASES = {"default": database_settings(embedded_pg.connection_settings())}
REPLICA_URLS = [u.strip() for u in os.environ.get("DATABASE_REPLICA_URLS", "").split(",") if u.strip()]
for number, url in enumerate(REPLICA_URLS, start=1):
    replica = database_settings(dj_database_url.parse(url), pool_timeout=1)
    replica.setdefault("OPTIONS", {}).setdefault("connect_timeout", 2)  # a host that drops packets
    DATABASES[f"replica_{number}"] = replica | {"TEST": {"MIRROR": "default"}}
REPLICA_ALIASES = [alias for alias in DATABASES if alias != "default"]
DATABASE_ROUTERS = ["archive.replicas.routing.ReplicaRouter"]
# Seconds: a client that wrote reads the primary for PIN_S; a replica further behind than MAX_LAG_S
# is skipped; each process checks each replica every CHECK_S.
REPLICA_PIN_S = float(os.environ.get("DJANGO_REPLICA_PIN_S", "10"))
REPLICA_MAX_LAG_S = float(os.environ.get("DJANGO_REPLICA_MAX_LAG_S", "5"))
REPLICA_CHECK_S = float(os.environ.get("DJANGO_REPLICA_CHECK_S", "1"))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The interface in English (the default) and French; the admin follows Django's own French.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("fr", "Français")]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

LOGIN_URL = "archive:login"  # researchers' pages; the admin has its own
LOGIN_REDIRECT_URL = "admin:index"  # where an admin login whose `next` is missing or unsafe lands

# Mail (password resets, alert digests): DJANGO_EMAIL_URL, e.g. smtp+tls://user:password@host:587,
# read by dj-email-url; without it the console backend prints every mail (make run).
EMAIL_CONFIG = dj_email_url.parse(os.environ.get("DJANGO_EMAIL_URL", "console:"))
globals().update({key: value for key, value in EMAIL_CONFIG.items() if value is not None})
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "News archive <archive@localhost>")
PASSWORD_RESET_TIMEOUT = 3 * 24 * 3600

# Behind HTTPS (DJANGO_HTTPS=1): redirect, secure cookies, a year of HSTS, and trust the proxy's header.
if env_flag("DJANGO_HTTPS"):
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 31_536_000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}
