"""Country pages: the list of candidate countries and one country's profile and timeline."""

import datetime

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from countries.models import Country
from hubtracker.rendering import render_page
from talks.documents.status_chart import render_status_strip
from talks.following.services import page_visit
from talks.selectors import standings
from talks.selectors.kept import kept
from talks.selectors.status_over_time import DRAWN_PLACES, country_status_strips
from talks.views import kept_timeline, pages_by_keyset

STRIP_WIDTH = DRAWN_PLACES  # the status strip's drawing width (SVG units): a place a unit
STRIP_WORDS = 6  # the latest status changes a strip's words name

COUNTRY_SORT_LABELS = {"name": "Country", "region": "Region", "eu_status": "EU status"}


@require_GET
def country_list(request: HttpRequest) -> HttpResponse:
    sort = request.GET.get("sort", "name")
    sort = sort if sort in COUNTRY_SORT_LABELS else "name"
    descending = request.GET.get("order") == "desc"
    include_all = request.GET.get("all") == "1"
    rows = standings.country_rows(
        user=request.user, sort=sort, descending=descending, include_all=include_all
    )
    context = {
        "rows": rows,
        "sort": sort,
        "descending": descending,
        "include_all": include_all,
        "sort_columns": COUNTRY_SORT_LABELS,
    }
    return render(request, "talks/country_list.html", context)


@require_GET
@vary_on_headers("HX-Request")
@pages_by_keyset
def country_detail(request: HttpRequest, slug: str) -> HttpResponse:
    country = standings.country_profile(slug=slug)
    if country is None:
        raise Http404("No country with that address.")
    today = timezone.localdate()
    state = standings.country_state(user=request.user, country=country, until=today)
    context = {
        "country": country,
        **kept(state, lambda: _standing(request, country, today)),
        "timeline": kept_timeline(
            request,
            owner=("country", country),
            timeline=lambda: standings.country_timeline(user=request.user, country=country),
            template="talks/_country_timeline.html",
            state=state,
        ),
        **page_visit(request, country=country),
    }
    return render_page(
        request,
        "talks/country_detail.html",
        context,
        partials=["country-standing", "country-timeline"],
        default="country-timeline",
    )


def _standing(request: HttpRequest, country: Country, today: datetime.date) -> dict[str, list]:
    """The country's standing in each scheme and its status strips (kept by the view under
    `standings.country_state`: one small query when kept)."""
    return {
        "standings": standings.country_standings(user=request.user, country=country),
        "strips": _status_strips(request, country, today),
    }


def _status_strips(request: HttpRequest, country: Country, today: datetime.date) -> list[dict]:
    """Each scheme's status strip (inline SVG, drawn on the server) and its words: the strip
    as its width can show it, the words for the latest changes (a long history would otherwise
    be thousands of rectangles and sentences on every visit)."""
    found = country_status_strips(user=request.user, country=country, until=today)
    strips = []
    for scheme, lane in found.strips:
        if not lane.segments:
            continue
        title = f"{country.name} in {scheme.name}: status over time"
        svg = render_status_strip(
            lane, start=found.start, end=found.end, title=title, width=STRIP_WIDTH
        )
        # render_status_strip escapes every text it places in the SVG.
        strips.append(
            {
                "scheme": scheme,
                "svg": mark_safe(svg),
                "latest": lane.latest[-STRIP_WORDS:],
                "earlier": lane.earlier + max(0, len(lane.latest) - STRIP_WORDS),
            }
        )
    return strips
