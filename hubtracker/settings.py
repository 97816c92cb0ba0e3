"""HubTracker settings: one module, configured from environment variables.

Every variable is listed in the README's configuration table.
"""

import os
import re
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false (got {value!r}).")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name) or str(default)
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number (got {value!r}).") from None


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", default=False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set the SECRET_KEY environment variable to a long random "
            "string (for example the output of: python -c 'import secrets; "
            "print(secrets.token_urlsafe(50))'), or set DEBUG=true for local development."
        )
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.mfa",
    "axes",
    "hubtracker",
    "django_tasks_db",
    "hubtracker.accounts",
    "countries",
    "talks",
    "talks.jobs",
    "talks.following",
    "talks.api",
    "talks.feeds",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Every error under /api/ as JSON, including those the middleware below answers itself.
    "talks.api.middleware.ApiErrorsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Refuses oversized bodies (413) and NUL characters in the address (400) before sessions,
    # CSRF or sign-in read anything.
    "hubtracker.request_guards.RequestGuardMiddleware",
    # Compresses HTML and JSON (WhiteNoise serves static files precompressed). Django's gzip adds
    # random padding against BREACH, and CSRF tokens are masked per response.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # `Cache-Control: private, no-store` on every answer to a signed-in user (talks.access).
    "talks.access.NoStoreMiddleware",
    # ETags and 304s under /api/ (inside gzip, which pads at random).
    "talks.api.middleware.ApiConditionalMiddleware",
    "hubtracker.auth.HtmxLoginRedirectMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # Every page needs the action the permission table names for it (talks.access).
    "talks.access.ReadGateMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "hubtracker.accounts.middleware.MfaEnrolmentRequiredMiddleware",
    # Last: turns a sign-in refused for too many failures into the lockout page (429).
    "axes.middleware.AxesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "hubtracker.urls"
# BENCHMARK=true adds /bench/constant, a view that does no work, as the benchmark's yardstick.
BENCHMARK = env_bool("BENCHMARK", default=False)
WSGI_APPLICATION = "hubtracker.wsgi.application"

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
                "django.template.context_processors.csp",
                "countries.context_processors.map_attribution",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL: readers do not block writers, so a worker can write progress while another
    # connection reads (and the web pages keep reading while a worker writes).
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # The test suite names a file for its test database (not memory), so that a worker process
    # started by a test can open it too (tests/environment.py; one file per test run).
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("SQLITE_TEST_DATABASE") or None}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "signed_out"

# Sign-in (docs/decisions/0007-sign-in-libraries.md). django-allauth: local accounts, OpenID
# Connect, MFA and rate limits; django-axes: lockout after failed passwords. AxesBackend comes
# first so that every authenticate() call (app sign-in, anything else) is checked and counted.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "hubtracker.accounts.backends.OneQueryPermissionsBackend",
]
ACCOUNT_ADAPTER = "hubtracker.accounts.adapters.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "hubtracker.accounts.adapters.SocialAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_FORMS = {"login": "hubtracker.accounts.forms.SignInForm"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_USER_DISPLAY = "hubtracker.accounts.adapters.display_name"
ACCOUNT_PREVENT_ENUMERATION = True
# allauth's own limits, kept in the shared cache (CACHES below). Failed sign-ins per address
# slow password spraying (the lockout of one username at one address is django-axes'); the
# per-key limit applies to MFA codes (key: the user) and to passwords (key: normalised username
# and address, never the username alone: see AccountAdapter).
ACCOUNT_RATE_LIMITS = {
    "login_failed": (
        f"{env_int('SIGNIN_FAILURES_PER_ADDRESS', 30)}/10m/ip,"
        f"{env_int('MFA_CODE_FAILURES', 5)}/5m/key"
    ),
}
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_EMAIL_REQUIRED = False
SOCIALACCOUNT_LOGIN_ON_GET = False
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_ONLY = False

# OpenID Connect with the department's identity provider. Off unless OIDC_ISSUER_URL is set.
OIDC_ISSUER_URL = os.environ.get("OIDC_ISSUER_URL", "").rstrip("/")
OIDC_CLIENT_ID = os.environ.get("OIDC_CLIENT_ID", "")
OIDC_CLIENT_SECRET = os.environ.get("OIDC_CLIENT_SECRET", "")
OIDC_SCOPES = os.environ.get("OIDC_SCOPES", "openid profile email").split()
OIDC_PROVIDER_NAME = os.environ.get("OIDC_PROVIDER_NAME", "your organisation's account")
# The claim that lists a user's groups or roles, and what each value gives: a comma-separated
# list of value=role, role one of Viewers, Analysts, Managers, clearance. Applied at every
# sign-in: a value that is gone from the claim takes its role away.
OIDC_ROLES_CLAIM = os.environ.get("OIDC_ROLES_CLAIM", "groups")
OIDC_ROLE_MAP = os.environ.get("OIDC_ROLE_MAP", "")
OIDC_ENABLED = bool(OIDC_ISSUER_URL)
if OIDC_ENABLED and not OIDC_CLIENT_ID:
    raise ImproperlyConfigured("OIDC_ISSUER_URL is set but OIDC_CLIENT_ID is not.")
SOCIALACCOUNT_PROVIDERS = {
    "openid_connect": {
        "provider_class": "hubtracker.accounts.oidc.provider.DepartmentProvider",
        "OAUTH_PKCE_ENABLED": True,
        "APPS": (
            [
                {
                    "provider_id": "department",
                    "name": OIDC_PROVIDER_NAME,
                    "client_id": OIDC_CLIENT_ID,
                    "secret": OIDC_CLIENT_SECRET,
                    "settings": {
                        "server_url": OIDC_ISSUER_URL,
                        "oauth_pkce_enabled": True,
                        "scope": OIDC_SCOPES,
                    },
                }
            ]
            if OIDC_ENABLED
            else []
        ),
    }
}

# MFA for local accounts: TOTP and recovery codes. MFA_REQUIRED (on by default with DEBUG off)
# sends Analysts, Managers and administrators who have no authenticator to enrol before anything
# else. Users who sign in with OpenID Connect use their provider's second factor.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "HubTracker"
# A code is accepted one period (30 s) either side of now, as RFC 6238 advises for clock drift
# and for a code typed just as the app shows the next one; each code still works only once.
MFA_TOTP_TOLERANCE = env_int("MFA_TOTP_TOLERANCE", 1)
MFA_REQUIRED = env_bool("MFA_REQUIRED", default=not DEBUG)
MFA_REQUIRED_GROUPS = ["Analysts", "Managers"]

# Failed passwords (django-axes): after SIGNIN_FAILURE_LIMIT failures for one username (normalised
# as authentication normalises it) from one client address, that pair is locked out for
# SIGNIN_LOCKOUT_MINUTES. Other users at that address and the same user elsewhere are not.
# The state is in the database (shared by every process) or, with REDIS_URL, in Redis.
AXES_FAILURE_LIMIT = env_int("SIGNIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("SIGNIN_LOCKOUT_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "hubtracker.accounts.throttle.username_for_lockout"
AXES_CLIENT_IP_CALLABLE = "hubtracker.accounts.client_address.client_address"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
# The real client address: REMOTE_ADDR, unless it is one of TRUSTED_PROXIES (addresses or
# networks, comma-separated), in which case the nearest X-Forwarded-For entry that is not a
# trusted proxy. Without TRUSTED_PROXIES, X-Forwarded-For is ignored (anyone can forge it).
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")

# The shared cache: allauth's rate limits (and django-axes with REDIS_URL). The database by
# default, so every process counts together; Redis when REDIS_URL is set.
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES: dict[str, dict[str, object]]
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
    AXES_HANDLER = "axes.handlers.cache.AxesCacheHandler"
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "hubtracker_cache",
        }
    }
    AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
# Each process's own memory: the dashboard's shortlist rows and map figure, under keys that hold
# what changes them (the scheme's candidacy versions, the date, the reader's picture), so no entry
# is ever stale; a write gives the next request a new key (talks/selectors/dashboard.py).
CACHES["pages"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "hubtracker-pages",
    "TIMEOUT": env_int("PAGES_CACHE_SECONDS", 3600),
    "OPTIONS": {"MAX_ENTRIES": 2000},
}

# Requests a minute each personal API token may send (counted in the cache, like sign-ins).
API_RATE_LIMIT_PER_MINUTE = env_int("API_RATE_LIMIT_PER_MINUTE", 120)

# Sessions end after this many minutes without a request.
SESSION_IDLE_MINUTES = env_int("SESSION_IDLE_MINUTES", 60)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Request bodies: anything declaring more than REQUEST_MAX_BYTES is refused (413) before it is
# read. Below that, uploads stay in memory (never a temporary file) and form data is capped too.
# The largest legitimate body is a 2 MB CSV import plus its form.
REQUEST_MAX_BYTES = env_int("REQUEST_MAX_BYTES", 3 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = REQUEST_MAX_BYTES
FILE_UPLOAD_MAX_MEMORY_SIZE = REQUEST_MAX_BYTES

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]

# Static files. With DEBUG off they are hashed and compressed (gzip + brotli) by collectstatic and
# served by WhiteNoise from STATIC_ROOT with a ten-year "immutable" cache lifetime. "plain" serves
# the files from static/ as they are (no collectstatic needed): the default with DEBUG on, and what
# the test suite uses (tests/environment.py sets STATICFILES_MODE=plain so tests never depend on a
# collectstatic run). Decision record: docs/decisions/0005-production-static-files.md.
STATICFILES_MODE = os.environ.get("STATICFILES_MODE") or ("plain" if DEBUG else "manifest")
if STATICFILES_MODE not in {"plain", "manifest"}:
    raise ImproperlyConfigured(
        f"STATICFILES_MODE must be plain or manifest (got {STATICFILES_MODE!r})."
    )
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if STATICFILES_MODE == "manifest"
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = STATICFILES_MODE == "plain"
WHITENOISE_MAX_AGE = 0 if DEBUG else env_int("STATIC_MAX_AGE", 3600)
# Files that never change under their URL get a ten-year immutable lifetime: names hashed by the
# manifest (css/hubtracker.0123456789ab.css) and files in a versioned vendor folder
# (vendor/plotly-topojson-4.1.1/world_110m.json, which Plotly requests by its unhashed name).
_IMMUTABLE_STATIC = re.compile(r"\.[0-9a-f]{12}\.\w+$|/vendor/[\w.-]+-\d+\.\d+\.\d+/")


def _static_is_immutable(path: str, url: str) -> bool:
    return STATICFILES_MODE == "manifest" and bool(_IMMUTABLE_STATIC.search(url))


WHITENOISE_IMMUTABLE_FILE_TEST = _static_is_immutable

# HTTPS and security headers. With DEBUG off everything is on by default; each can be turned off
# for a plain-http run on 127.0.0.1 (the benchmark does: SECURE_SSL_REDIRECT=false
# SECURE_COOKIES=false). Behind a TLS-terminating proxy set BEHIND_PROXY=true so Django trusts
# its X-Forwarded-Proto header (only if the proxy overwrites that header on every request).
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=not DEBUG)
if env_bool("BEHIND_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# HSTS is sticky in browsers: the default (one hour with DEBUG off) is safe to roll back. In
# production set SECURE_HSTS_SECONDS=31536000 and the two flags once HTTPS works everywhere.
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_COOKIE_SAMESITE = "Lax"

# Content Security Policy: scripts only from this origin, each page's scripts carry a nonce;
# neither 'unsafe-inline' nor 'unsafe-eval'. Styles: stylesheets from this origin only, no inline
# <style> text and no style="" attributes. plotly.js 4.1.1 needs one exception: it creates an
# *empty* <style> element and fills it through the CSSOM (insertRule), which CSP allows once the
# empty element is allowed; the hash below is sha256 of the empty string, so it allows no style
# content at all. (Plotly's colour bar also sets an empty style attribute, which is refused
# harmlessly.) htmx's own indicator <style> is switched off in base.html (htmx-config) and its
# rules live in hubtracker.css. Decision record: docs/decisions/0006-content-security-policy.md.
EMPTY_STYLE_SHA256 = "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, EMPTY_STYLE_SHA256],
    "img-src": [CSP.SELF, "data:", "blob:"],
    "font-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
if OIDC_ENABLED:
    # Signing in and out with the provider: a form here redirects there (RP-initiated logout
    # included), which form-action governs.
    _issuer = re.match(r"^https?://[^/]+", OIDC_ISSUER_URL)
    SECURE_CSP["form-action"] = [CSP.SELF, _issuer.group(0) if _issuer else OIDC_ISSUER_URL]

# Background jobs: Django's own django.tasks API, stored in the database (django-tasks-db) and
# run by `manage.py run_worker` (the db_worker loop plus a heartbeat and the scheduler). More
# workers on more machines need nothing but the same PostgreSQL. docs/decisions/0009.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# A worker that has not written its heartbeat for this long is taken for dead: the task it was
# running goes back to the queue (retried, never lost).
JOBS_HEARTBEAT_SECONDS = env_int("JOBS_HEARTBEAT_SECONDS", 5)
JOBS_WORKER_LOST_SECONDS = env_int("JOBS_WORKER_LOST_SECONDS", 60)
# An event-log export with more rows than this runs as a background job with a progress bar.
JOBS_EXPORT_INLINE_MAX_ROWS = env_int("JOBS_EXPORT_INLINE_MAX_ROWS", 5000)
# A briefing over more events than this (in its schemes, as the user sees them) likewise.
JOBS_BRIEFING_INLINE_MAX_EVENTS = env_int("JOBS_BRIEFING_INLINE_MAX_EVENTS", 2000)
# Finished export files are kept this long, then deleted.
JOBS_FILES_KEEP_HOURS = env_int("JOBS_FILES_KEEP_HOURS", 24)
# A pause after each progress report of an export job (0: none). Spreads a big export's load on
# a busy database; the tests use it to stop a worker part-way through a job.
JOBS_PROGRESS_PAUSE_MS = env_int("JOBS_PROGRESS_PAUSE_MS", 0)

# Email digests of what changed in what people follow. Daily digests go at DIGEST_TIME (local
# time, HH:MM), weekly ones at the same time on DIGEST_WEEKDAY (1 = Monday).
DIGEST_TIME = os.environ.get("DIGEST_TIME", "07:00")
if not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", DIGEST_TIME):
    raise ImproperlyConfigured(f"DIGEST_TIME must be HH:MM, e.g. 07:00 (got {DIGEST_TIME!r}).")
DIGEST_WEEKDAY = env_int("DIGEST_WEEKDAY", 1)
if not 1 <= DIGEST_WEEKDAY <= 7:
    raise ImproperlyConfigured(f"DIGEST_WEEKDAY must be 1 (Monday) to 7 (got {DIGEST_WEEKDAY}).")
# The address people reach the site at, for links in emails (no trailing slash).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Outgoing email (Django 6.1 mailers), from environment variables.
MAILERS = {
    "default": {
        "BACKEND": os.environ.get("EMAIL_BACKEND") or "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": os.environ.get("EMAIL_HOST", "localhost"),
            "port": env_int("EMAIL_PORT", 25),
            "username": os.environ.get("EMAIL_HOST_USER", ""),
            "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
            "use_tls": env_bool("EMAIL_USE_TLS", default=False),
            "use_ssl": env_bool("EMAIL_USE_SSL", default=False),
            "timeout": env_int("EMAIL_TIMEOUT", 30),
        },
    }
}
if MAILERS["default"]["BACKEND"] != "django.core.mail.backends.smtp.EmailBackend":
    MAILERS["default"]["OPTIONS"] = {}
DEFAULT_FROM_EMAIL = os.environ.get("EMAIL_FROM", "HubTracker <hubtracker@localhost>")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
