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
    "hubtracker",
    "countries",
    "talks",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Compresses HTML and JSON (WhiteNoise serves static files precompressed). Django's gzip adds
    # random padding against BREACH, and CSRF tokens are masked per response.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "hubtracker.auth.HtmxLoginRedirectMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
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
    DATABASES["default"]["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 20}
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

# Failed sign-ins: after LOGIN_MAX_FAILURES failures for one username from one IP address, that
# pair is locked out for LOGIN_LOCKOUT_MINUTES. Counted in the cache (per process with the
# default local-memory cache).
LOGIN_MAX_FAILURES = env_int("LOGIN_MAX_FAILURES", 5)
LOGIN_LOCKOUT_MINUTES = env_int("LOGIN_LOCKOUT_MINUTES", 15)

# Sessions end after this many minutes without a request.
SESSION_IDLE_MINUTES = env_int("SESSION_IDLE_MINUTES", 60)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

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

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
