"""How every page answers: the whole page, or for htmx the one partial it asks for.

    return render_page(request, "talks/scheme_detail.html", context,
                       partials=["scheme-shortlist", "scheme-timeline"], default="scheme-timeline")

Partials are `{% partialdef %}` blocks of the page's own template, named by their wrapper's id.
"""

from collections.abc import Iterable

from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    """A request that went through django-htmx's middleware (every request here does)."""

    htmx: HtmxDetails


class SignedInRequest(HtmxHttpRequest):
    """A request to a page that needs a sign-in (LoginRequiredMiddleware sends everyone else
    to the sign-in page first): its user is a real one."""

    user: User


def partial_for(
    request: HttpRequest, *, partials: Iterable[str] = (), default: str | None = None
) -> str | None:
    """The partial an htmx request targets (by its wrapper's id), or None for the whole page.

    A plain request, a history-restore request (back button after a push) and a boosted link
    aimed at anything but one of the partials (say, the whole body) need the whole page; any
    other htmx request gets its target, else `default` (the whole page when there is none).
    """
    htmx = getattr(request, "htmx", None)
    if not htmx or htmx.history_restore_request:
        return None
    if htmx.target in set(partials):
        return htmx.target
    return None if htmx.boosted else default


def render_page(
    request: HttpRequest,
    template: str,
    context: dict,
    *,
    partials: Iterable[str] = (),
    default: str | None = None,
    status: int = 200,
) -> HttpResponse:
    """The whole page with `status`, or the partial `partial_for` picks (always 200: htmx swaps
    only 2xx responses)."""
    name = partial_for(request, partials=partials, default=default)
    if name is None:
        return render(request, template, context, status=status)
    return render(request, f"{template}#{name}", context)


def tidy_query(request: HttpRequest) -> QueryDict:
    """The request's GET parameters without empty values (a GET form sends every field)."""
    query = QueryDict(mutable=True)
    for key, values in request.GET.lists():
        kept = [value for value in values if value]
        if kept:
            query.setlist(key, kept)
    return query
