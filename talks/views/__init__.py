"""The talks app's pages. Shared by the views whose lists page by keyset: `pages_by_keyset`
(a damaged page link answers 400) and `kept_timeline` (a country's or scheme's timeline section)."""

from collections.abc import Callable
from functools import wraps
from typing import Any, Concatenate

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string

from hubtracker.rendering import tidy_query
from talks import access
from talks.selectors.event_log import timeline_rows
from talks.selectors.kept import kept, key
from talks.selectors.paging import BadPageLink, timeline_page, without_paging


def pages_by_keyset[Q: HttpRequest, **P](
    view: Callable[Concatenate[Q, P], HttpResponse],
) -> Callable[Concatenate[Q, P], HttpResponse]:
    """View decorator: a damaged or foreign page link (`BadPageLink`, talks.selectors.paging)
    answers 400 with a page that says so and links to the first page of the same list (the
    same parameters without the paging ones)."""

    @wraps(view)
    def wrapped(request: Q, /, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except BadPageLink as error:
            search = without_paging(tidy_query(request)).urlencode()
            first = f"{request.path}?{search}" if search else request.path
            problem = {"problem": str(error), "first_page": first}
            return render(request, "talks/bad_page_link.html", problem, status=400)

    return wrapped


def kept_timeline(
    request: HttpRequest,
    *,
    owner: tuple[str, Any],
    timeline: Callable[[], QuerySet[Any]],
    template: str,
    state: str,
) -> str:
    """A country's or a scheme's timeline section (`owner`: ("country", country) or ("scheme",
    scheme)), rendered, kept under the page's state (every write to one of its events, and every
    admin edit, changes it), the address (its page, its links) and whether the reader may record
    events (the rows' Correct and Retract links)."""
    kind, thing = owner

    def build() -> str:
        query = tidy_query(request)
        page = timeline_page(timeline(), query, name=f"{kind}:{thing.slug}")
        context = {
            kind: thing,
            "page_obj": page,
            "rows": timeline_rows(page.object_list, user=request.user),
            "query": query,
        }
        return render_to_string(template, context, request=request)

    can_record = access.can(request.user, access.RECORD)
    return kept(key(state, request.get_full_path(), can_record), build)
