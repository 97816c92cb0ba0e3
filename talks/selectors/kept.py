"""What pages keep between requests: values in each process's pages cache (settings.CACHES
"pages") under keys made of everything they show, so no entry is ever stale (a write or an admin
edit gives the next request a new key; old entries age out)."""

import hashlib
from collections.abc import Callable

from django.contrib.admin.models import LogEntry
from django.core.cache import caches
from django.db.models import Subquery

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
