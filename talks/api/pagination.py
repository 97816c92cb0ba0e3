"""Keyset (cursor) pagination over any ordered queryset.

The cursor holds the sort keys of the last row sent, signed so that it cannot be forged, plus a
fingerprint of the query it belongs to. The next page is `WHERE (keys) > (last keys)` in the
queryset's own ORDER BY, so the last page costs what the first does: the first sort key also
gets an inclusive bound (`occurred_on <= D`) that PostgreSQL can start an index scan from.
"""

import datetime
import hashlib
from dataclasses import dataclass

from django.core import signing
from django.db.models import F, FloatField, Q, QuerySet
from django.db.models.expressions import OrderBy
from django.db.models.functions import Cast

SALT = "talks.api.cursor"
# No timestamp in the signature: the same page always carries the same cursor, so its ETag holds.
SIGNER = signing.Signer(salt=SALT)
KEY = "keyset_{}"


class BadCursor(ValueError):
    """The cursor was not made by this API for this query."""


@dataclass(frozen=True)
class SortKey:
    name: str  # annotation holding the key's value
    descending: bool
    nulls_last: bool


@dataclass(frozen=True)
class Page:
    items: list
    next_cursor: str | None


def _encode(value):
    if isinstance(value, datetime.date):
        return {"d": value.isoformat()}
    return value


def _decode(value):
    if isinstance(value, dict):
        return datetime.date.fromisoformat(value["d"])
    return value


def fingerprint(params: dict) -> str:
    text = "&".join(f"{k}={params[k]}" for k in sorted(params))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _sort_keys(queryset: QuerySet) -> tuple[QuerySet, list[SortKey]]:
    """Annotate the ORDER BY's expressions as keyset_0, keyset_1, … (a float key, the search
    rank, as double precision so the value read back compares equal to the row's)."""
    keys, annotations = [], {}
    for index, order in enumerate(queryset.query.order_by):
        if isinstance(order, str):
            order = F(order[1:]).desc() if order.startswith("-") else F(order).asc()
        elif not isinstance(order, OrderBy):
            raise TypeError(f"Cannot page by {order!r}: order by field names or OrderBy.")
        expression = order.expression
        if getattr(expression, "name", "") == "rank":
            expression = Cast(expression, FloatField())
        annotations[KEY.format(index)] = expression
        keys.append(SortKey(KEY.format(index), order.descending, bool(order.nulls_last)))
    return queryset.annotate(**annotations), keys


def _after(key: SortKey, value) -> Q:
    """Rows whose key comes after `value` in the key's direction (NULLs last if so ordered)."""
    if value is None:
        return Q(pk__in=[])  # nothing comes after NULL when NULLs are last
    beyond = Q(**{f"{key.name}__lt" if key.descending else f"{key.name}__gt": value})
    return beyond | Q(**{f"{key.name}__isnull": True}) if key.nulls_last else beyond


def _equal(key: SortKey, value) -> Q:
    return Q(**{f"{key.name}__isnull": True}) if value is None else Q(**{key.name: value})


def _bound(key: SortKey, value) -> Q:
    """The inclusive bound on the first key, for the index (NULLs keep their place)."""
    if value is None:
        return Q(**{f"{key.name}__isnull": True})
    bound = Q(**{f"{key.name}__lte" if key.descending else f"{key.name}__gte": value})
    return bound | Q(**{f"{key.name}__isnull": True}) if key.nulls_last else bound


def _seek(keys: list[SortKey], values: list) -> Q:
    condition, equal_so_far = Q(pk__in=[]), Q()
    for key, value in zip(keys, values, strict=True):
        condition |= equal_so_far & _after(key, value)
        equal_so_far &= _equal(key, value)
    return _bound(keys[0], values[0]) & condition


def paginate(queryset: QuerySet, *, cursor: str | None, limit: int, query_id: str) -> Page:
    """One page of `queryset` (which must be ordered, ending with a unique key such as id)."""
    queryset, keys = _sort_keys(queryset)
    if cursor:
        values = _read(cursor, query_id)
        if len(values) != len(keys):
            raise BadCursor("This cursor belongs to another query.")
        queryset = queryset.filter(_seek(keys, values))
    rows = list(queryset[: limit + 1])
    items, more = rows[:limit], len(rows) > limit
    if not more:
        return Page(items=items, next_cursor=None)
    last = items[-1]
    values = [_encode(getattr(last, key.name)) for key in keys]
    return Page(items=items, next_cursor=_sign({"q": query_id, "k": values}))


def cursor_at(queryset: QuerySet, *, offset: int, query_id: str) -> str:
    """The cursor whose next page starts after row `offset` (for the benchmark's deep pages)."""
    queryset, keys = _sort_keys(queryset)
    row = queryset[offset]
    values = [_encode(getattr(row, key.name)) for key in keys]
    return _sign({"q": query_id, "k": values})


def _sign(data: dict) -> str:
    return SIGNER.sign_object(data, compress=True)


def _read(cursor: str, query_id: str) -> list:
    try:
        data = SIGNER.unsign_object(cursor)
    except signing.BadSignature:
        raise BadCursor(
            "The cursor is not valid: use the next_cursor of a previous page."
        ) from None
    if not isinstance(data, dict) or data.get("q") != query_id:
        raise BadCursor("This cursor belongs to another query: repeat the same parameters.")
    return [_decode(value) for value in data["k"]]
