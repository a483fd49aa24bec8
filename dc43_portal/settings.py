"""Settings, driven by environment variables (DESIGN §5)."""

from __future__ import annotations

import json
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

# Templates, static files and the demo ship inside the package, so an installed wheel finds them too.
PACKAGE_DIR = Path(__file__).resolve().parent
BASE_DIR = PACKAGE_DIR.parent
# A checkout keeps its state in var/ beside manage.py; an installed portal in ./var of its working folder,
# never inside site-packages.
_DEFAULT_VAR = BASE_DIR / "var" if (BASE_DIR / "manage.py").is_file() else Path.cwd() / "var"
VAR_DIR = Path(os.environ.get("DC43_VAR_DIR") or _DEFAULT_VAR)


def envbool(name: str, default: str = "false") -> bool:
    return os.environ.get(name, default).strip().lower() in {"1", "true", "yes", "on"}


def envint(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


def envjson(name: str, default: object) -> object:
    value = os.environ.get(name, "").strip()
    return json.loads(value) if value else default


def email_settings(env: dict[str, str]) -> dict[str, object]:
    """``EMAIL_URL`` (``smtp://user:pass@host:587?tls=true``, ``smtps://...``, ``console:``) or Django's EMAIL_*."""
    from urllib.parse import parse_qs, unquote, urlsplit

    found: dict[str, object] = {
        key: int(env[key]) if key in {"EMAIL_PORT", "EMAIL_TIMEOUT"} else env[key]
        for key in (
            "EMAIL_BACKEND",
            "EMAIL_HOST",
            "EMAIL_PORT",
            "EMAIL_HOST_USER",
            "EMAIL_HOST_PASSWORD",
            "EMAIL_TIMEOUT",
        )
        if env.get(key)
    }
    for key in ("EMAIL_USE_TLS", "EMAIL_USE_SSL"):
        if env.get(key):
            found[key] = env[key].strip().lower() in {"1", "true", "yes", "on"}
    url = env.get("EMAIL_URL", "").strip()
    if not url:
        return found
    parts = urlsplit(url)
    backends = {"console": "console", "locmem": "locmem", "dummy": "dummy", "smtp": "smtp", "smtps": "smtp"}
    if parts.scheme not in backends:
        raise ValueError(f"EMAIL_URL: unknown scheme {parts.scheme!r}; use one of {', '.join(backends)}")
    found["EMAIL_BACKEND"] = f"django.core.mail.backends.{backends[parts.scheme]}.EmailBackend"
    if parts.scheme in {"smtp", "smtps"}:
        query = parse_qs(parts.query)
        found |= {"EMAIL_HOST": parts.hostname or "localhost", "EMAIL_PORT": parts.port or 25}
        found |= {
            "EMAIL_HOST_USER": unquote(parts.username or ""),
            "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        }
        found["EMAIL_USE_SSL"] = parts.scheme == "smtps"
        found["EMAIL_USE_TLS"] = query.get("tls", ["false"])[0].lower() in {"1", "true", "yes"}
    return found


DEBUG = envbool("DJANGO_DEBUG")
# Public: `check --deploy` and the container's start refuse it (dc43_portal/accounts/checks.py).
DEFAULT_SECRET_KEY = "dev-only-insecure-key-change-me-in-production-0123456789"
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or DEFAULT_SECRET_KEY
ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h.strip()
]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",") if o]
CSRF_FAILURE_VIEW = "dc43_portal.contracts.http_errors.csrf_failure"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "dc43_portal.contracts",
    "dc43_portal.api",
    "dc43_portal.dbstore",
    "dc43_portal.accounts",
    "axes",
    "mozilla_django_oidc",
    "django_tasks",
    "django_tasks_db",
    "dc43_portal.events",
    "dc43_portal.governance",
]

MIDDLEWARE = [
    "dc43_portal.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "dc43_portal.csp.PortalCSPMiddleware",
    # Outermost after security, so every error under /api becomes JSON whichever layer answered.
    "dc43_portal.api.middleware.ApiJsonErrorsMiddleware",
    # API reads (bearer tokens) leave here, before the session, CSRF and page middleware below.
    "dc43_portal.api.fastpath.ApiReadFastPathMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "dc43_portal.guards.NulQueryMiddleware",
    "dc43_portal.guards.PageMethodMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "dc43_portal.accounts.middleware.IdleTimeoutMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "dc43_portal.urls"
WSGI_APPLICATION = "dc43_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "dc43_portal.contracts.context_processors.portal",
            ],
        },
    }
]

if not os.environ.get("DATABASE_URL"):
    # SQLite cannot create the folder of its file: a fresh DC43_VAR_DIR would fail "unable to open database file".
    VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'db.sqlite3'}", conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Wait on a locked database instead of failing at once when two requests write together.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
    # Take the write lock when a transaction starts, so a read-then-write waits instead of failing "locked".
    DATABASES["default"]["OPTIONS"]["transaction_mode"] = "IMMEDIATE"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # First, so a locked-out account is refused before its password is even checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # Answers only the provider's callback, and only when DC43_OIDC_ISSUER is set.
    "dc43_portal.accounts.oidc.PortalOIDCBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "contracts:list"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT") or VAR_DIR / "static")
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# ---------------------------------------------------------------- sign-in hardening (docs/access.md)

# django-axes: after this many wrong passwords for one username, that username is locked for the cool-off.
AXES_FAILURE_LIMIT = envint("DC43_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=envint("DC43_LOGIN_COOLOFF_MINUTES", 15))
# A username is locked whichever address tries it; an address is locked whichever usernames it tries.
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# The client's address: the socket's, unless a TLS proxy in front sets X-Forwarded-For (DJANGO_SECURE_PROXY).
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if envbool("DJANGO_SECURE_PROXY") else ["REMOTE_ADDR"]
)
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# Whom a signed-in user without any role should ask (shown on the page they get instead of contracts).
DC43_ACCESS_CONTACT = os.environ.get("DC43_ACCESS_CONTACT", "").strip()
# Sessions end after this much inactivity (0 turns the idle timeout off), and after 12 hours at most.
DC43_SESSION_IDLE_SECONDS = envint("DC43_SESSION_IDLE_SECONDS", 3600)
SESSION_COOKIE_AGE = envint("DJANGO_SESSION_COOKIE_AGE", 12 * 3600)
# Messages live in the server-side session, never in a cookie (they once carried a token).
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
# A strict Content-Security-Policy: no inline script or style anywhere (templates load static files only).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

# ---------------------------------------------------------------- single sign-on (OpenID Connect)

# Empty: local accounts only. Set, the login page offers the provider; endpoints come from its discovery.
DC43_OIDC_ISSUER = os.environ.get("DC43_OIDC_ISSUER", "").strip()
OIDC_RP_CLIENT_ID = os.environ.get("DC43_OIDC_CLIENT_ID", "").strip()
OIDC_RP_CLIENT_SECRET = os.environ.get("DC43_OIDC_CLIENT_SECRET", "").strip()
OIDC_RP_SCOPES = os.environ.get("DC43_OIDC_SCOPES", "openid email profile").strip()
OIDC_RP_SIGN_ALGO = "RS256"
OIDC_AUTHENTICATE_CLASS = "dc43_portal.accounts.oidc.AuthenticateView"
LOGIN_REDIRECT_URL_FAILURE = "/accounts/login/?sso=failed"
DC43_OIDC_NAME = os.environ.get("DC43_OIDC_NAME", "").strip() or "your identity provider"
DC43_OIDC_GROUPS_CLAIM = os.environ.get("DC43_OIDC_GROUPS_CLAIM", "groups").strip()
# {"idp-group": ["steward:finance", "author"]}: a role, optionally ":domain" (none means every domain).
DC43_OIDC_GROUP_ROLES = envjson("DC43_OIDC_GROUP_ROLES", {})

# ---------------------------------------------------------------- contract stores

_store_backend = os.environ.get("DC43_STORE_BACKEND") or "dc43_portal.stores.filesystem.FSContractStore"
# The default base_path only suits the filesystem store; another backend without options gets none.
_fs_options = {"base_path": str(VAR_DIR / "contracts")} if _store_backend.endswith(".FSContractStore") else {}
_default_store: dict[str, object] = {"BACKEND": _store_backend, "OPTIONS": envjson("DC43_STORE_OPTIONS", _fs_options)}
CONTRACT_STORES: dict[str, object] = {"default": _default_store}
CONTRACT_STORES.update(envjson("DC43_CONTRACT_STORES", {}))  # type: ignore[call-overload]

DC43_VALIDATION = os.environ.get("DC43_VALIDATION", "strict").strip().lower()
DC43_MAX_DOCUMENT_BYTES = envint("DC43_MAX_DOCUMENT_BYTES", 2 * 1024 * 1024)
DC43_MAX_PROPERTY_DEPTH = envint("DC43_MAX_PROPERTY_DEPTH", 12)
DC43_COMPATIBILITY = os.environ.get("DC43_COMPATIBILITY", "enforce").strip().lower()
DC43_API_ANONYMOUS_READ = envbool("DC43_API_ANONYMOUS_READ")
DC43_UI_ANONYMOUS_READ = envbool("DC43_UI_ANONYMOUS_READ")
DC43_API_LATEST_STATUS = os.environ.get("DC43_API_LATEST_STATUS", "").strip()
# The text diff of two versions, computed once per pair of fingerprints and shared by every worker.
DC43_TEXT_DIFF_WAIT = float(os.environ.get("DC43_TEXT_DIFF_WAIT", "0.2"))
CACHES = {
    # Per process: verdicts (1 h) and the nav counts of every signed-in user; 300 entries, the default, is few.
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 5000}},
    "textdiff": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(VAR_DIR / "cache" / "textdiff"),
        "TIMEOUT": 7 * 24 * 3600,
        "OPTIONS": {"MAX_ENTRIES": 200},
    },
}
# The body limit sits above the document limit, so the portal's own JSON 413 answers first.
DATA_UPLOAD_MAX_MEMORY_SIZE = DC43_MAX_DOCUMENT_BYTES * 2 + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = DATA_UPLOAD_MAX_MEMORY_SIZE

# ---------------------------------------------------------------- events: outbox, webhooks, mail (docs/events.md)

# The portal's public URL: the CloudEvents ``source`` and the links in events and mails.
DC43_BASE_URL = os.environ.get("DC43_BASE_URL", "http://127.0.0.1:8000").strip().rstrip("/")
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
DC43_WEBHOOK_ALLOW_PRIVATE = envbool("DC43_WEBHOOK_ALLOW_PRIVATE")
DC43_WEBHOOK_TIMEOUT_SECONDS = float(os.environ.get("DC43_WEBHOOK_TIMEOUT_SECONDS") or 10)
# Seconds after each failed attempt (5 s ... 10 h, 27.5 h in all); past the last, the delivery is failed.
DC43_WEBHOOK_RETRY_SCHEDULE = [
    int(s) for s in (os.environ.get("DC43_WEBHOOK_RETRY_SCHEDULE") or "5,300,1800,7200,18000,36000,36000").split(",")
]
DC43_WEBHOOK_LEASE_SECONDS = envint("DC43_WEBHOOK_LEASE_SECONDS", 60)
DC43_EVENTS_SWEEP_SECONDS = float(os.environ.get("DC43_EVENTS_SWEEP_SECONDS") or 30)
EMAIL_BACKEND = (
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend"
)
EMAIL_TIMEOUT = 10
globals().update(email_settings(dict(os.environ)))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "dc43 portal <portal@localhost>")

# ---------------------------------------------------------------- production behind TLS

if envbool("DJANGO_SECURE_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = envint("DJANGO_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"client_errors": {"()": "dc43_portal.logs.ClientErrorsAsWarnings"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["client_errors"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    # httpx logs every request of the HTTP and Collibra stores at INFO.
    "loggers": {"django.request": {"level": "ERROR"}, "httpx": {"level": "WARNING"}, "axes": {"level": "WARNING"}},
}
