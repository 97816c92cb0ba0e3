"""Scheme pages: every scheme, and one scheme's shortlist and timeline."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import get_template
from django.utils import timezone
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from hubtracker.rendering import render_page
from talks.following.services import page_visit
from talks.models import Scheme
from talks.selectors import standings
from talks.selectors.kept import kept
from talks.selectors.standings import Standing
from talks.selectors.status_over_time import (
    MARKS_PER_LANE,
    plotly_figure,
    scheme_status_over_time,
)
from talks.views import kept_timeline, pages_by_keyset


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
    state = standings.scheme_state(user=request.user, scheme=scheme, until=timezone.localdate())
    shortlist, status_over_time = kept(state, lambda: _standing(request, scheme))
    context = {
        "scheme": scheme,
        "shortlist": shortlist,
        "status_over_time": status_over_time,
        "unnamed": max((scheme.shortlist_size or 0) - len(shortlist), 0),
        "timeline": kept_timeline(
            request,
            owner=("scheme", scheme),
            timeline=lambda: standings.scheme_timeline(user=request.user, scheme=scheme),
            template="talks/_scheme_timeline.html",
            state=state,
        ),
        **page_visit(request, scheme=scheme),
    }
    return render_page(
        request,
        "talks/scheme_detail.html",
        context,
        partials=["scheme-shortlist", "scheme-timeline"],
        default="scheme-timeline",
    )


def _standing(request: HttpRequest, scheme: Scheme) -> tuple[list[Standing], str]:
    """The shortlist and the status-over-time section (chart and table), rendered (kept by the
    view under `standings.scheme_state`: two small queries when kept)."""
    shortlist = standings.scheme_shortlist(user=request.user, scheme=scheme)
    if not shortlist:
        return shortlist, ""
    chart = scheme_status_over_time(user=request.user, scheme=scheme, until=timezone.localdate())
    section = get_template("talks/_status_over_time.html").render(
        {
            "chart": chart,
            "chart_figure": plotly_figure(chart),
            "chart_marks_per_lane": MARKS_PER_LANE,
            "scheme": scheme,
        }
    )
    return shortlist, section
