"""What pages keep between requests: values in each process's pages cache (settings.CACHES
"pages") under keys made of everything they show, so no entry is ever stale (a write or an admin
edit gives the next request a new key; old entries age out)."""

import hashlib
from collections.abc import Callable
from typing import Any

from django.contrib.admin.models import LogEntry
from django.core.cache import caches
from django.db import connection
from django.db.models import QuerySet, Subquery

PAGES_CACHE = "pages"

# The newest entry of the admin's log: every edit in the admin (a source, a country, a scheme).
LAST_EDIT = Subquery(LogEntry.objects.order_by("-pk").values("pk")[:1])


def key(*parts: object) -> str:
    """A cache key for `parts` (hashed: any length, any characters)."""
    return "kept:" + hashlib.sha256(repr(parts).encode()).hexdigest()[:40]


def kept[T](key: str, build: Callable[[], T]) -> T:
    """`build()`, kept in the pages cache under `key`."""
    cache = caches[PAGES_CACHE]
    found: T | None = cache.get(key)
    if found is None:
        found = build()
        cache.set(key, found)
    return found


_COMPILED: dict[tuple[object, ...], tuple[str, tuple[Any, ...]]] = {}


def rows_of(name: tuple[object, ...], build: Callable[[], QuerySet[Any]]) -> list[tuple[Any, ...]]:
    """The rows of `build()` (a `values_list` queryset) as the database returns them, its SQL
    compiled once per process for `name` (everything the queryset depends on: the reader's
    picture, the object's id). A page's state is the same query on every request, and Django
    takes longer to compile it than the database to run it."""
    compiled = _COMPILED.get(name)
    if compiled is None:
        sql, params = build().query.sql_with_params()
        compiled = _COMPILED[name] = (sql, tuple(params))
    with connection.cursor() as cursor:
        cursor.execute(*compiled)
        return [tuple(row) for row in cursor.fetchall()]
