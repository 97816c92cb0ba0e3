"""The talks app's pages. `pages_by_keyset` is shared by the views whose lists page by keyset."""

from collections.abc import Callable
from functools import wraps
from typing import Concatenate

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from hubtracker.rendering import tidy_query
from talks.selectors.paging import BadPageLink, without_paging


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
