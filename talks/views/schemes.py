"""Scheme pages: every scheme, and one scheme's shortlist and timeline."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from hubtracker.rendering import render_page, tidy_query
from talks.following.services import page_visit
from talks.selectors import standings
from talks.selectors.event_log import timeline_rows
from talks.selectors.paging import timeline_page
from talks.selectors.status_over_time import (
    MARKS_PER_LANE,
    plotly_figure,
    scheme_status_over_time,
)
from talks.views import pages_by_keyset


@require_GET
def scheme_list(request: HttpRequest) -> HttpResponse:
    schemes = standings.scheme_list(user=request.user)
    return render(request, "talks/scheme_list.html", {"schemes": schemes})


@require_GET
@vary_on_headers("HX-Request")
@pages_by_keyset
def scheme_detail(request: HttpRequest, slug: str) -> HttpResponse:
    scheme = standings.scheme_detail(slug=slug)
    if scheme is None:
        raise Http404("No scheme with that address.")
    query = tidy_query(request)
    page = timeline_page(
        standings.scheme_timeline(user=request.user, scheme=scheme),
        query,
        name=f"scheme:{scheme.slug}",
    )
    shortlist = standings.scheme_shortlist(user=request.user, scheme=scheme)
    chart = scheme_status_over_time(user=request.user, scheme=scheme, until=timezone.localdate())
    context = {
        "chart": chart,
        "chart_figure": plotly_figure(chart),
        "chart_marks_per_lane": MARKS_PER_LANE,
        "scheme": scheme,
        "shortlist": shortlist,
        "unnamed": max((scheme.shortlist_size or 0) - len(shortlist), 0),
        "page_obj": page,
        "rows": timeline_rows(page.object_list, user=request.user),
        "query": query,
        **page_visit(request, scheme=scheme),
    }
    return render_page(
        request,
        "talks/scheme_detail.html",
        context,
        partials=["scheme-shortlist", "scheme-timeline"],
        default="scheme-timeline",
    )
