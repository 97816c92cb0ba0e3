"""Production settings: `check --deploy` is clean, HTTPS and cookies are on by default with DEBUG
off, and each can be turned off by environment for a plain-http run."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "SECRET_KEY": "a-long-random-production-secret-0123456789-abcdefghijklmnopqrstuvwxyz",
    "ALLOWED_HOSTS": "hubtracker.example.gov.uk",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "true",
    "SECURE_HSTS_PRELOAD": "true",
    "BEHIND_PROXY": "true",
}
OUR_VARIABLES = {
    "DEBUG",
    "SECRET_KEY",
    "DATABASE_URL",
    "SECURE_SSL_REDIRECT",
    "SECURE_COOKIES",
    "STATICFILES_MODE",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "BEHIND_PROXY",
    "DJANGO_ALLOW_ASYNC_UNSAFE",  # the test environment sets it for Playwright
}


def run(args: list[str], **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in OUR_VARIABLES}
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def setting(name: str, **env: str) -> str:
    result = run(["-c", f"import hubtracker.settings as s; print(repr(s.{name}))"], **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_check_deploy_is_clean_with_the_production_environment():
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("SECURE_SSL_REDIRECT", "True"),
        ("SESSION_COOKIE_SECURE", "True"),
        ("CSRF_COOKIE_SECURE", "True"),
        ("SECURE_HSTS_SECONDS", "3600"),
        ("SECURE_HSTS_PRELOAD", "False"),
        ("STATICFILES_MODE", "'manifest'"),
        ("SECURE_REFERRER_POLICY", "'same-origin'"),
    ],
)
def test_debug_off_turns_https_protections_on_by_default(name, expected):
    assert setting(name, SECRET_KEY="x") == expected


@pytest.mark.parametrize(
    "name", ["SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE", "SECURE_HSTS_SECONDS"]
)
def test_debug_mode_serves_plain_http(name):
    assert setting(name, DEBUG="true") in {"False", "0"}


def test_a_plain_http_run_can_turn_redirect_and_secure_cookies_off():
    env = {"SECRET_KEY": "x", "SECURE_SSL_REDIRECT": "false", "SECURE_COOKIES": "false"}
    assert setting("SECURE_SSL_REDIRECT", **env) == "False"
    assert setting("SESSION_COOKIE_SECURE", **env) == "False"
    assert setting("CSRF_COOKIE_SECURE", **env) == "False"


def test_behind_a_proxy_django_trusts_x_forwarded_proto():
    assert setting("SECURE_PROXY_SSL_HEADER", SECRET_KEY="x", BEHIND_PROXY="true") == (
        "('HTTP_X_FORWARDED_PROTO', 'https')"
    )


def test_manifest_mode_uses_hashed_compressed_static_files():
    backend = setting("STORAGES['staticfiles']['BACKEND']", SECRET_KEY="x")
    assert backend == "'whitenoise.storage.CompressedManifestStaticFilesStorage'"
    assert setting("WHITENOISE_USE_FINDERS", SECRET_KEY="x") == "False"


def test_a_wrong_static_files_mode_is_refused_with_its_name():
    result = run(["-c", "import hubtracker.settings"], SECRET_KEY="x", STATICFILES_MODE="fast")
    assert result.returncode != 0
    assert "STATICFILES_MODE must be plain or manifest" in result.stderr


@pytest.mark.parametrize(
    ("url", "immutable"),
    [
        ("/static/css/hubtracker.0123456789ab.css", True),
        ("/static/vendor/plotly-topojson-4.1.1/world_110m.json", True),
        ("/static/css/hubtracker.css", False),
        ("/static/geo/countries-50m.geojson", False),
    ],
)
def test_hashed_and_versioned_static_files_are_cached_for_ever(url, immutable, settings):
    from hubtracker import settings as module

    original = module.STATICFILES_MODE
    module.STATICFILES_MODE = "manifest"
    try:
        assert module._static_is_immutable("", url) is immutable
    finally:
        module.STATICFILES_MODE = original
