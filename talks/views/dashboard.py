"""The map dashboard at "/": map, counts, legend, table, latest events, key dates, country panel.

Every part works without JavaScript (a GET form, links with query strings); htmx swaps the
regions in place. Reads come from `talks.selectors`, the figure from `talks.maps`.
"""

import datetime
from dataclasses import dataclass, replace

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from countries.models import Country
from talks.filters import SORTS, DashboardFilters, resolve_filters
from talks.maps import BALKANS, VIEWS, build_status_map, route_label
from talks.models import Scheme
from talks.selectors import (
    NO_STATUS_COLOUR,
    RouteData,
    ShortlistRow,
    can_see_sensitive,
    candidacy_events,
    latest_events,
    route_data,
    shortlist_rows,
    upcoming_events,
)
from talks.statuses import COLOURS, DEFINITIONS, Status, label

TEMPLATE = "talks/dashboard.html"
ROUTE_SLUG = "western-balkans"
# Regions an htmx request may ask for by id (HX-Target); anything else gets the results region.
PARTIALS = ("dashboard-results", "status-table", "country-panel")


@require_GET
@vary_on_headers("HX-Request", "HX-Target")
def dashboard(request: HttpRequest) -> HttpResponse:
    filters, schemes, route = _filters(request)
    context = _board(request, filters, schemes, route)
    htmx = request.htmx
    if not htmx or htmx.history_restore_request:
        return render(request, TEMPLATE, context)
    target = htmx.target if htmx.target in PARTIALS else "dashboard-results"
    return _render_partial(request, target, context)


@require_GET
@vary_on_headers("HX-Request")
def country_panel(request: HttpRequest, slug: str) -> HttpResponse:
    """One country's panel beside the map; a plain browser gets the dashboard with it open."""
    country = get_object_or_404(Country, slug=slug)
    filters, _schemes, _route = _filters(request)
    filters = replace(filters, country=country.slug)
    page_url = f"{reverse('dashboard')}?{filters.query(country=country.slug)}"
    if not request.htmx:
        return redirect(f"{page_url}#country-panel")
    scheme, as_of = filters.scheme, filters.as_of
    rows = shortlist_rows(scheme=scheme, as_of=as_of, user=request.user) if scheme else []
    context = {"filters": filters, "panel": _panel(request, filters, rows, country)}
    response = _render_partial(request, "country-panel", context)
    response["HX-Push-Url"] = page_url
    return response


def _filters(request: HttpRequest) -> tuple[DashboardFilters, list[Scheme], RouteData | None]:
    schemes = list(Scheme.objects.select_related("sending_country"))
    route = route_data(slug=ROUTE_SLUG)
    years = [figure.year for figure in route.figures] if route else []
    today = timezone.localdate()
    filters = resolve_filters(request.GET, schemes=schemes, years=years, today=today)
    return filters, schemes, route


def _render_partial(request: HttpRequest, name: str, context: dict) -> HttpResponse:
    """The region `name`, plus the form's hidden state (sort, open country) out of band."""
    html = render_to_string(f"{TEMPLATE}#{name}", context, request)
    html += render_to_string(f"{TEMPLATE}#filter-state", {**context, "oob": True}, request)
    return HttpResponse(html)


def _board(request, filters: DashboardFilters, schemes: list[Scheme], route) -> dict:
    scheme, as_of, user = filters.scheme, filters.as_of, request.user
    rows = shortlist_rows(scheme=scheme, as_of=as_of, user=user) if scheme else []
    figure = build_status_map(rows, route, filters.view, route_year=filters.year)
    return {
        "filters": filters,
        "schemes": schemes,
        "views": VIEWS,
        "view_name": "the Western Balkans" if filters.view == BALKANS else "Europe and Africa",
        "any_status": any(row.status for row in rows),
        "route": route,
        "route_figure": route.figure_for(filters.year) if route else None,
        "route_label": route_label(route, route.figure_for(filters.year)) if route else "",
        "figure": figure,
        "rows": sort_rows(rows, filters.sort),
        "sort_links": _sort_links(filters),
        "counts": status_counts(rows),
        "legend": LEGEND,
        "latest": latest_events(scheme=scheme, as_of=as_of, user=user) if scheme else [],
        "upcoming": upcoming_events(scheme=scheme, as_of=as_of, user=user) if scheme else [],
        "panel": _panel(request, filters, rows, None) if filters.country else None,
        "today": timezone.localdate(),
        "cleared": can_see_sensitive(user),
    }


@dataclass(frozen=True)
class Panel:
    country: Country | None
    slug: str
    row: ShortlistRow | None
    events: list
    definition: str

    @property
    def name(self) -> str:
        if self.row:
            return self.row.country_name
        return self.country.name if self.country else ""


def _panel(request, filters: DashboardFilters, rows: list[ShortlistRow], country) -> Panel:
    row = next((r for r in rows if r.country_slug == filters.country), None)
    if country is None and row is None:
        country = Country.objects.filter(slug=filters.country).first()
    events = []
    if row is not None:
        events = candidacy_events(
            candidacy_id=row.candidacy_id, as_of=filters.as_of, user=request.user
        )
    definition = DEFINITIONS.get(row.status, "") if row else ""
    slug = country.slug if country else filters.country
    return Panel(country=country, slug=slug, row=row, events=events, definition=definition)


def _legend() -> list[dict]:
    entries = [
        {"status": s, "label": s.label, "colour": COLOURS[s], "definition": DEFINITIONS[s]}
        for s in Status
    ]
    entries.append(
        {
            "status": "",
            "label": label(""),
            "colour": NO_STATUS_COLOUR,
            "definition": "On the list, but no event has set a status by this date.",
        }
    )
    return entries


LEGEND = _legend()
_STAGE = {status: index for index, status in enumerate([*Status, ""])}


def status_counts(rows: list[ShortlistRow]) -> list[dict]:
    """How many countries stand at each status, in stage order; statuses with none left out."""
    counts: dict[str, int] = {}
    for row in rows:
        counts[row.status] = counts.get(row.status, 0) + 1
    return [
        {**entry, "count": counts[entry["status"]]} for entry in LEGEND if entry["status"] in counts
    ]


_EARLIEST = datetime.date.min
SORT_KEYS = {
    "country": lambda r: r.country_name,
    "status": lambda r: (_STAGE[r.status], r.country_name),
    "since": lambda r: (r.since or _EARLIEST, r.country_name),
    "last_event": lambda r: (r.last_event_on or _EARLIEST, r.country_name),
}


def sort_rows(rows: list[ShortlistRow], sort: str) -> list[ShortlistRow]:
    key = sort.removeprefix("-")
    return sorted(rows, key=SORT_KEYS.get(key, SORT_KEYS["country"]), reverse=sort.startswith("-"))


def _sort_links(filters: DashboardFilters) -> list[dict]:
    """Column headings: each links to its sort, the current one to the reverse order."""
    links = []
    for key, heading in SORTS.items():
        current = filters.sort.removeprefix("-") == key
        descending = filters.sort.startswith("-")
        next_sort = key if not current or descending else f"-{key}"
        aria = ("descending" if descending else "ascending") if current else "none"
        query = filters.query(sort=next_sort)
        links.append({"key": key, "heading": heading, "query": query, "aria_sort": aria})
    return links
