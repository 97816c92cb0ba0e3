"""Small helpers shared by the read-side page views: pagination and choosing a partial."""

from collections.abc import Iterable

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest

PAGE_SIZE = 25


def paginate(request: HttpRequest, items: QuerySet, *, per_page: int = PAGE_SIZE) -> Page:
    """The requested page; a missing, invalid or out-of-range number gives the nearest page."""
    return Paginator(items, per_page).get_page(request.GET.get("page"))


def template_for(request: HttpRequest, page: str, *, partials: Iterable[str], default: str) -> str:
    """The whole page, or for htmx the partial the request targets (by its wrapper's id).

    A history-restore request (back button after a push) needs the whole page.
    """
    htmx = getattr(request, "htmx", None)
    if not htmx or htmx.history_restore_request:
        return page
    target = htmx.target if htmx.target in set(partials) else default
    return f"{page}#{target}"
