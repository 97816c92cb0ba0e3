"""Loaded by pytest before Django starts (`-p tests.environment` in pyproject.toml).

Tests run with DEBUG off, as production does, so they need a SECRET_KEY of their own.
"""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-not-a-secret")

# Playwright's sync API runs an event loop in the test thread; the ORM calls that browser tests
# make around it are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# Production settings stay on (DEBUG off, CSP, hashed-static *templates*) except what a plain-http
# test server cannot do: no redirect to https, cookies without the Secure flag, static files
# served from static/ so tests never need collectstatic (STATICFILES_MODE, see settings.py).
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("SECURE_COOKIES", "false")
os.environ.setdefault("STATICFILES_MODE", "plain")

# MFA is required for Analysts, Managers and administrators with DEBUG off. Tests that are not
# about MFA sign those users in with a password alone; tests/accounts turn it on where it matters.
os.environ.setdefault("MFA_REQUIRED", "false")

# On SQLite the test database is a file under var/ (settings.py), so that a worker process
# started by a test can open it; one per test run, so two runs never share one.
from pathlib import Path  # noqa: E402

_var = Path(__file__).resolve().parents[1] / "var"
_var.mkdir(exist_ok=True)
os.environ.setdefault("SQLITE_TEST_DATABASE", str(_var / f"test-db-{os.getpid()}.sqlite3"))
