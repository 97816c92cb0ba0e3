import datetime

import pytest
from django.contrib.auth.models import Group, Permission

from tests.factories import UserFactory
from tests.groups import ensure_groups


def _user_in(group_name: str | None, username: str, *, cleared: bool = False):
    user = UserFactory(username=username)
    if group_name:
        if not Group.objects.filter(name=group_name).exists():
            ensure_groups()  # a transactional test's flush removed the migration's groups
        user.groups.add(Group.objects.get(name=group_name))
    if cleared:
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label="talks", codename="view_sensitive")
        )
    return user


@pytest.fixture
def viewer(db):
    return _user_in("Viewers", "viewer")


@pytest.fixture
def analyst(db):
    return _user_in("Analysts", "analyst")


@pytest.fixture
def cleared_analyst(db):
    return _user_in("Analysts", "cleared_analyst", cleared=True)


@pytest.fixture
def manager(db):
    return _user_in("Managers", "manager")


@pytest.fixture
def cleared_manager(db):
    return _user_in("Managers", "cleared_manager", cleared=True)


@pytest.fixture
def today() -> datetime.date:
    from django.utils import timezone

    return timezone.localdate()


def pytest_runtest_setup(item):
    if item.get_closest_marker("postgres_only"):
        from django.db import connection

        if connection.vendor != "postgresql":
            pytest.skip(
                "needs PostgreSQL (row locks, threads or full-text search); scripts/test runs it "
                "in its PostgreSQL pass"
            )


@pytest.fixture(autouse=True, scope="session")
def fast_password_hashing():
    """Hashing passwords with PBKDF2 costs a second per user; tests do not need the cost."""
    from django.test.utils import override_settings

    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(autouse=True)
def empty_pages_cache():
    """Each test starts with an empty pages cache: its keys hold candidacy ids and versions,
    which a rolled-back test database hands out again."""
    from django.core.cache import caches

    caches["pages"].clear()
    yield
