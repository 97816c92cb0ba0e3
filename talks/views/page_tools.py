"""Small helpers shared by the read-side page views: pagination and choosing a partial."""

from collections.abc import Iterable

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, QueryDict

PAGE_SIZE = 25


def paginate(request: HttpRequest, items: QuerySet, *, per_page: int = PAGE_SIZE) -> Page:
    """The requested page; a missing, invalid or out-of-range number gives the nearest page."""
    return Paginator(items, per_page).get_page(request.GET.get("page"))


def template_for(request: HttpRequest, page: str, *, partials: Iterable[str], default: str) -> str:
    """The whole page, or for htmx the partial the request targets (by its wrapper's id).

    A history-restore request (back button after a push) and a boosted link aimed at anything
    but one of the partials (say, the whole body) need the whole page.
    """
    htmx = getattr(request, "htmx", None)
    if not htmx or htmx.history_restore_request:
        return page
    if htmx.target in set(partials):
        return f"{page}#{htmx.target}"
    return page if htmx.boosted else f"{page}#{default}"


def tidy_query(request: HttpRequest) -> QueryDict:
    """The request's GET parameters without empty values (a GET form sends every field)."""
    query = QueryDict(mutable=True)
    for key, values in request.GET.lists():
        kept = [value for value in values if value]
        if kept:
            query.setlist(key, kept)
    return query
