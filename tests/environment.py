"""Loaded by pytest before Django starts (`-p tests.environment` in pyproject.toml).

Tests run with DEBUG off, as production does, so they need a SECRET_KEY of their own.
"""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-not-a-secret")

# Playwright's sync API runs an event loop in the test thread; the ORM calls that browser tests
# make around it are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
