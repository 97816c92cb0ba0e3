"""Scheme pages: every scheme, and one scheme's shortlist and timeline."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from talks import page_selectors
from talks.views.page_tools import paginate, template_for


@require_GET
def scheme_list(request: HttpRequest) -> HttpResponse:
    schemes = page_selectors.scheme_list(user=request.user)
    return render(request, "talks/scheme_list.html", {"schemes": schemes})


@require_GET
@vary_on_headers("HX-Request")
def scheme_detail(request: HttpRequest, slug: str) -> HttpResponse:
    scheme = page_selectors.scheme_detail(slug=slug)
    if scheme is None:
        raise Http404("No scheme with that address.")
    shortlist = page_selectors.scheme_shortlist(user=request.user, scheme=scheme)
    context = {
        "scheme": scheme,
        "shortlist": shortlist,
        "unnamed": max((scheme.shortlist_size or 0) - len(shortlist), 0),
        "page_obj": paginate(
            request, page_selectors.scheme_timeline(user=request.user, scheme=scheme)
        ),
    }
    template = template_for(
        request,
        "talks/scheme_detail.html",
        partials=["scheme-shortlist", "scheme-timeline"],
        default="scheme-timeline",
    )
    return render(request, template, context)
