"""Keyset paging for long, ordered lists of events (the event log, a country's timeline).

    wanted = PageRequest.from_query(request.GET)
    page = keyset_page(events, wanted, query_id="...")   # BadPageLink for a damaged link

A page is found by the sort keys of its neighbour, never by counting rows from the start: "next"
carries the keys of the page's last row (`after=`), "previous" those of its first row
(`before=`), and the last page is the first page of the reversed order. So every page costs what
the first does, served by an index on the order. Numbered pages (`page=N`, the addresses people
have bookmarked) still work: they skip N-1 pages of ids only, inside a subquery (an index-only
scan on PostgreSQL), cheap for the first few hundred pages; the rows themselves are joined for
the one page shown.

The total is exact up to EXACT_COUNT_LIMIT rows. Beyond that, on PostgreSQL, it is the
planner's estimate, shown as "about N": no page counts a million rows. The number of queries is
the same whatever the data's size (two for the total on PostgreSQL, one on SQLite; two for the
page, or one when it is empty).
"""

import datetime
import hashlib
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from django.core import signing
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import F, FloatField, Model, Q, QuerySet
from django.db.models.expressions import OrderBy
from django.db.models.functions import Cast
from django.http import QueryDict

PER_PAGE = 25
EXACT_COUNT_LIMIT = 1000
# Numbered links are offered up to this page (further ones work, but cost more to reach).
NUMBERED_LINK_LIMIT = 400
PAGING_PARAMS = ("page", "after", "before")
SIGNER = signing.Signer(salt="talks.selectors.paging")
KEY = "keyset_{}"
ELLIPSIS = str(Paginator.ELLIPSIS)
PageNumber = int | str  # a page number, or ELLIPSIS where numbers are left out


def without_paging(query: QueryDict) -> QueryDict:
    """The query's parameters but the page's own (what a cursor is bound to)."""
    kept = query.copy()
    for name in PAGING_PARAMS:
        kept.pop(name, None)
    return kept


class BadPageLink(ValueError):
    """A page link (`after=` or `before=`) this site did not make, or made for another list."""


@dataclass(frozen=True)
class Total:
    """How many rows match: exact, or the database's estimate (`estimated`)."""

    value: int
    estimated: bool = False


@dataclass(frozen=True)
class PageRequest:
    """Which page the address asks for: a number, the last page, or a neighbour by cursor."""

    number: int = 1
    last: bool = False
    after: str = ""
    before: str = ""

    @classmethod
    def from_query(cls, query: Mapping[str, Any]) -> "PageRequest":
        """`page=N`, `page=last`, `after=…` or `before=…`; a page number that is not a positive
        whole number asks for the first page (as it always has)."""
        after, before = query.get("after") or "", query.get("before") or ""
        if after or before:
            return cls(number=0, after=after, before=before)
        raw = (query.get("page") or "").strip()
        if raw == "last":
            return cls(number=0, last=True)
        return cls(number=int(raw) if raw.isdigit() and int(raw) > 0 else 1)


@dataclass(frozen=True)
class KeysetPage:
    """One page: its rows, the total, its number when known, and the links to its neighbours
    (query parameters to merge into the current address; a None value removes a parameter).
    Its methods are named as Django's Page's are (`has_next()`, `start_index()`, ...)."""

    object_list: list[Any]
    total: Total
    number: int | None
    previous_query: dict[str, str | None] | None
    next_query: dict[str, str | None] | None
    per_page: int = PER_PAGE
    page_numbers: list[PageNumber] = field(default_factory=list)
    ELLIPSIS: ClassVar[str] = ELLIPSIS

    def has_previous(self) -> bool:
        return self.previous_query is not None

    def has_next(self) -> bool:
        return self.next_query is not None

    def has_other_pages(self) -> bool:
        return self.has_previous() or self.has_next()

    @property
    def is_last(self) -> bool:
        return not self.has_next()

    def start_index(self) -> int | None:
        """The position of the page's first row, when the page's number is known."""
        if self.number is None or not self.object_list:
            return None
        return (self.number - 1) * self.per_page + 1

    def end_index(self) -> int | None:
        start = self.start_index()
        return None if start is None else start + len(self.object_list) - 1

    @property
    def last_query(self) -> dict[str, str | None]:
        return {"page": "last", "after": None, "before": None}

    @staticmethod
    def number_query(number: int) -> dict[str, str | None]:
        return {"page": None if number == 1 else str(number), "after": None, "before": None}


# --- The total ---------------------------------------------------------------------------------


def count_rows(queryset: QuerySet[Any], *, limit: int | None = None) -> Total:
    """Exact up to `limit` (EXACT_COUNT_LIMIT) rows; beyond that the planner's estimate on
    PostgreSQL (SQLite, for small installations, counts). Two queries on PostgreSQL whatever the
    size, one on SQLite."""
    limit = EXACT_COUNT_LIMIT if limit is None else limit
    plain = queryset.order_by().select_related(None)  # the rows, not what a page shows of them
    if connection.vendor != "postgresql":
        return Total(plain.count())
    counted = plain[: limit + 1].count()
    estimate = _planner_estimate(plain.values("pk"))
    if counted <= limit:
        return Total(counted)
    return Total(max(_round_estimate(estimate), limit + 1), estimated=True)


def _planner_estimate(queryset: QuerySet[Any]) -> int:
    plan = json.loads(queryset.explain(format="json"))
    rows: Any = plan[0]["Plan"]["Plan Rows"]
    return int(rows)


def _round_estimate(value: int) -> int:
    """Two significant figures: an estimate is no more precise than that."""
    if value < 100:
        return value
    scale: int = 10 ** (int(math.log10(value)) - 1)
    return int(round(value / scale)) * scale


# --- Keys and cursors ----------------------------------------------------------------------------


@dataclass(frozen=True)
class SortKey:
    name: str  # the annotation holding the key's value
    descending: bool
    nulls_last: bool
    nulls_first: bool

    def reversed(self) -> "SortKey":
        return SortKey(self.name, not self.descending, self.nulls_first, self.nulls_last)


def _orderings(queryset: QuerySet[Any]) -> list[OrderBy]:
    orders = []
    for order in queryset.query.order_by:
        if isinstance(order, str):
            order = F(order[1:]).desc() if order.startswith("-") else F(order).asc()
        if not isinstance(order, OrderBy):
            raise ValueError(f"Cannot page by {order!r}: order by fields or OrderBy expressions.")
        orders.append(order)
    return orders


def _keyed(queryset: QuerySet[Any]) -> tuple[QuerySet[Any], list[SortKey], list[OrderBy]]:
    """Annotate the ORDER BY's expressions as keyset_0, keyset_1, … (a float key such as the
    search rank as double precision, so the value read back compares equal to the row's)."""
    orders = _orderings(queryset)
    if not orders:
        raise ValueError("Keyset paging needs an ordered queryset ending with a unique key.")
    keys: list[SortKey] = []
    annotations: dict[str, Any] = {}
    for index, order in enumerate(orders):
        expression = order.expression
        if getattr(expression, "name", "") == "rank":
            expression = Cast(expression, FloatField())
        annotations[KEY.format(index)] = expression
        keys.append(
            SortKey(
                KEY.format(index), order.descending, bool(order.nulls_last), bool(order.nulls_first)
            )
        )
    return queryset.annotate(**annotations), keys, orders


def _reverse(order: OrderBy) -> OrderBy:
    return OrderBy(
        order.expression,
        descending=not order.descending,
        nulls_first=True if order.nulls_last else None,
        nulls_last=True if order.nulls_first else None,
    )


def _encode(value: Any) -> Any:
    return {"d": value.isoformat()} if isinstance(value, datetime.date) else value


def _decode(value: Any) -> Any:
    return datetime.date.fromisoformat(value["d"]) if isinstance(value, dict) else value


def _fingerprint(query_id: str) -> str:
    return hashlib.sha256(query_id.encode()).hexdigest()[:12]


def _cursor(row: Model, keys: list[SortKey], number: int | None, query_id: str) -> str:
    values = [_encode(getattr(row, key.name)) for key in keys]
    data = {"q": _fingerprint(query_id), "k": values, "n": number}
    return SIGNER.sign_object(data, compress=True)


def _read_cursor(cursor: str, keys: list[SortKey], query_id: str) -> tuple[list[Any], int | None]:
    try:
        data = SIGNER.unsign_object(cursor)
    except (signing.BadSignature, ValueError, TypeError):
        raise BadPageLink("This page link is damaged or out of date.") from None
    if (
        not isinstance(data, dict)
        or data.get("q") != _fingerprint(query_id)
        or len(data.get("k", [])) != len(keys)
    ):
        raise BadPageLink("This page link belongs to another search or order.")
    number = data.get("n")
    try:
        values = [_decode(value) for value in data["k"]]
    except (KeyError, TypeError, ValueError):
        raise BadPageLink("This page link is damaged or out of date.") from None
    return values, number if isinstance(number, int) and number > 0 else None


def _after(key: SortKey, value: Any) -> Q:
    """Rows whose key comes after `value` in the key's direction."""
    if value is None:  # NULLs sort last (nothing after them) or first (every value after them)
        return Q(pk__in=[]) if not key.nulls_first else Q(**{f"{key.name}__isnull": False})
    beyond = Q(**{f"{key.name}__lt" if key.descending else f"{key.name}__gt": value})
    return beyond | Q(**{f"{key.name}__isnull": True}) if key.nulls_last else beyond


def _equal(key: SortKey, value: Any) -> Q:
    return Q(**{f"{key.name}__isnull": True}) if value is None else Q(**{key.name: value})


def _bound(key: SortKey, value: Any) -> Q:
    """An inclusive bound on the first key that an index scan can start from."""
    if value is None:
        return Q() if key.nulls_first else Q(**{f"{key.name}__isnull": True})
    bound = Q(**{f"{key.name}__lte" if key.descending else f"{key.name}__gte": value})
    return bound | Q(**{f"{key.name}__isnull": True}) if key.nulls_last else bound


def _seek(keys: list[SortKey], values: list[Any]) -> Q:
    condition, equal_so_far = Q(pk__in=[]), Q()
    for key, value in zip(keys, values, strict=True):
        condition |= equal_so_far & _after(key, value)
        equal_so_far &= _equal(key, value)
    return _bound(keys[0], values[0]) & condition


# --- Pages ---------------------------------------------------------------------------------------


def _rows(
    keyed: QuerySet[Any], orders: list[OrderBy], *, seek: Q | None, offset: int, limit: int
) -> list[Any]:
    """Up to `limit` rows in `orders` after `seek` and `offset`: the ids first (no joins, an
    index can answer), then only those rows with their relations. Two queries: as one (`pk IN
    (subquery)`), PostgreSQL may run the subquery again for every row the filters match."""
    found = keyed.filter(seek) if seek is not None else keyed
    ids = list(found.order_by(*orders).values_list("pk", flat=True)[offset : offset + limit])
    return list(keyed.filter(pk__in=ids).order_by(*orders)) if ids else []


def keyset_page(
    queryset: QuerySet[Any],
    wanted: PageRequest,
    *,
    query_id: str,
    per_page: int = PER_PAGE,
    total: Total | None = None,
) -> KeysetPage:
    """The page `wanted` of `queryset` (ordered, the last key unique, such as id)."""
    total = total if total is not None else count_rows(queryset)
    keyed, keys, orders = _keyed(queryset)
    backwards = [_reverse(order) for order in orders]
    reversed_keys = [key.reversed() for key in keys]
    pager = _Pager(keys, query_id, per_page, total)
    if wanted.after:
        values, number = _read_cursor(wanted.after, keys, query_id)
        rows = _rows(keyed, orders, seek=_seek(keys, values), offset=0, limit=per_page + 1)
        return pager.forward(rows, number, came_from_before=True)
    if wanted.before:
        values, number = _read_cursor(wanted.before, keys, query_id)
        seek = _seek(reversed_keys, values)
        rows = _rows(keyed, backwards, seek=seek, offset=0, limit=per_page + 1)
        return pager.backward(rows, number)
    last_number = _exact_last_number(total, per_page)
    if wanted.last and last_number is None:
        rows = _rows(keyed, backwards, seek=None, offset=0, limit=per_page + 1)
        return pager.backward(rows, None, at_end=True)
    number = wanted.number
    if last_number is not None:
        # The last page, or past the end: the last page, as a paginator gives.
        number = last_number if wanted.last else min(number, last_number)
    rows = _rows(keyed, orders, seek=None, offset=(number - 1) * per_page, limit=per_page + 1)
    if not rows and number > 1:  # past the estimated end
        rows = _rows(keyed, backwards, seek=None, offset=0, limit=per_page + 1)
        return pager.backward(rows, last_number, at_end=True)
    return pager.forward(rows, number, came_from_before=number > 1)


def timeline_page(timeline: QuerySet[Any], query: QueryDict, *, name: str) -> "KeysetPage":
    """The page of a page's timeline that `query` (the address's parameters) asks for. Its
    cursors are signed for `name` (the page, e.g. "country:serbia") and the query's other
    parameters, so a link from one page or filter does not work on another."""
    return keyset_page(
        timeline,
        PageRequest.from_query(query),
        query_id=f"{name}:{without_paging(query).urlencode()}",
    )


def _exact_last_number(total: Total, per_page: int) -> int | None:
    if total.estimated:
        return None
    return max(1, math.ceil(total.value / per_page))


@dataclass
class _Pager:
    keys: list[SortKey]
    query_id: str
    per_page: int
    total: Total

    def forward(self, rows: list[Any], number: int | None, *, came_from_before: bool) -> KeysetPage:
        items, more = rows[: self.per_page], len(rows) > self.per_page
        previous = None
        if came_from_before and items:
            previous = self._link_before(items, number)
        following = None
        if more:
            following = self._link_after(items, number)
        return self._page(items, number, previous, following)

    def _link_before(self, items: list[Any], number: int | None) -> dict[str, Any]:
        """The query parameters of the page before the one that starts with `items[0]`."""
        before_number = number - 1 if number and number > 1 else None
        return {"before": self._cursor(items[0], before_number), "after": None, "page": None}

    def _link_after(self, items: list[Any], number: int | None) -> dict[str, Any]:
        """The query parameters of the page after the one that ends with `items[-1]`."""
        after_number = number + 1 if number else None
        return {"after": self._cursor(items[-1], after_number), "before": None, "page": None}

    def backward(self, rows: list[Any], number: int | None, *, at_end: bool = False) -> KeysetPage:
        """Rows read in the reversed order (nearest first): put back in the page's order."""
        items, more = list(reversed(rows[: self.per_page])), len(rows) > self.per_page
        if not more:
            number = 1
        previous = None
        if more and items:
            previous = self._link_before(items, number)
        following = None
        if not at_end and items:
            following = self._link_after(items, number)
        return self._page(items, number, previous, following)

    def _cursor(self, row: Model, number: int | None) -> str:
        return _cursor(row, self.keys, number, self.query_id)

    def _page(
        self,
        items: list[Any],
        number: int | None,
        previous: dict[str, str | None] | None,
        following: dict[str, str | None] | None,
    ) -> KeysetPage:
        return KeysetPage(
            object_list=items,
            total=self.total,
            number=number,
            previous_query=previous,
            next_query=following,
            per_page=self.per_page,
            page_numbers=_page_numbers(
                self.total, number, self.per_page, is_last=following is None
            ),
        )


def _page_numbers(
    total: Total, number: int | None, per_page: int, *, is_last: bool
) -> list[PageNumber]:
    """Numbered links: every page (elided) when the total is exact; otherwise the first page and
    the current one's neighbours while they are cheap to reach."""
    if not total.estimated:
        paginator = Paginator(range(total.value), per_page)
        current = number if number is not None else paginator.num_pages
        elided = paginator.get_elided_page_range(current, on_each_side=1, on_ends=1)
        return [n if isinstance(n, int) else ELLIPSIS for n in elided]
    if number is None:
        return [1, ELLIPSIS]
    around = [n for n in range(number - 1, number + 2) if 1 <= n <= NUMBERED_LINK_LIMIT]
    if is_last:
        around = [n for n in around if n <= number]
    numbers: list[PageNumber] = [1] if around and around[0] > 1 else []
    if around and around[0] > 2:
        numbers.append(ELLIPSIS)
    numbers += around
    if not is_last:
        numbers.append(ELLIPSIS)
    return numbers
