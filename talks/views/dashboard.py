"""The map dashboard at "/": map, counts, legend, table, latest events, key dates, country panel.

Every part works without JavaScript (a GET form, links with query strings); htmx swaps the
regions in place. Reads come from `talks.selectors.dashboard`, the figure from
`talks.selectors.status_map`.
"""

from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from countries.geography import BALKANS, VIEWS
from countries.models import Country
from countries.routes import route_bar_figure, route_data, route_label
from hubtracker.rendering import HtmxHttpRequest, partial_for
from talks import access
from talks.documents.static_map import cached_web_map
from talks.forms.dashboard import SORTS, DashboardFilters, resolve_filters
from talks.models import Scheme
from talks.rules.statuses import DEFINITIONS
from talks.selectors.dashboard import (
    LEGEND,
    SchemeEventLines,
    Shortlist,
    ShortlistRow,
    cached_candidacy_events,
    cached_scheme_events,
    cached_shortlist,
    dashboard_route_years,
    dashboard_schemes,
    sort_rows,
    status_counts,
)
from talks.selectors.kept import kept
from talks.selectors.kept import key as kept_key
from talks.selectors.lookups import find_country
from talks.selectors.status_map import cached_status_map, map_legend

TEMPLATE = "talks/dashboard.html"
ROUTE_SLUG = "western-balkans"
# Regions an htmx request may ask for by id (HX-Target); anything else gets the results region.
PARTIALS = ("dashboard-results", "status-table", "country-panel")


@require_GET
@vary_on_headers("HX-Request", "HX-Target")
def dashboard(request: HttpRequest) -> HttpResponse:
    target = partial_for(request, partials=PARTIALS, default="dashboard-results")
    filters, schemes, years = _filters(request)
    context = _board(request, filters, schemes, years)
    if target is None:
        return render(request, TEMPLATE, context)
    return _render_partial(request, target, context)


@require_GET
@vary_on_headers("HX-Request")
def country_panel(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """One country's panel beside the map; a plain browser gets the dashboard with it open."""
    filters, _schemes, _years = _filters(request)
    filters = replace(filters, country=slug)
    shortlist = _shortlist(request, filters)
    on_list = any(row.country_slug == slug for row in shortlist.rows)
    country = None if on_list else find_country(slug=slug)
    if not on_list and country is None:
        raise Http404("No such country.")
    page_url = f"{reverse('dashboard')}?{filters.query()}"
    if not request.htmx:
        return redirect(f"{page_url}#country-panel")
    context = {
        "filters": filters,
        "panel": _once(lambda: _panel(request, filters, shortlist, country)),
    }
    context["country_panel"] = _once(lambda: _country_panel(request, filters, shortlist, context))
    response = _render_partial(request, "country-panel", context)
    response["HX-Push-Url"] = page_url
    return response


def _filters(request: HttpRequest) -> tuple[DashboardFilters, list[Scheme], list[int]]:
    """The filters in the address, the schemes and the route's years (two queries): the route
    itself is read only by a region that draws it and is not kept."""
    schemes = dashboard_schemes()
    years = dashboard_route_years(slug=ROUTE_SLUG)
    today = timezone.localdate()
    filters = resolve_filters(request.GET, schemes=schemes, years=years, today=today)
    return filters, schemes, years


def _render_partial(request: HttpRequest, name: str, context: dict) -> HttpResponse:
    """The region `name`, plus the form's hidden state (sort, open country) out of band."""
    kept = {
        "dashboard-results": "dashboard_results",
        "status-table": "status_table",
        "country-panel": "country_panel",
    }
    html = context[kept[name]]()
    html += render_to_string(f"{TEMPLATE}#filter-state", {**context, "oob": True}, request)
    return HttpResponse(html)


def _shortlist(request: HttpRequest, filters: DashboardFilters) -> Shortlist:
    if filters.scheme is None:
        return Shortlist(key="", rows=[])
    return cached_shortlist(scheme=filters.scheme, as_of=filters.as_of, user=request.user)


def _once(compute: Callable[[], Any]) -> Callable[[], Any]:
    """A context value worked out when a template first asks for it (templates call callables),
    then kept: each partial pays only for what it shows."""
    return cache(compute)


def _board(request, filters: DashboardFilters, schemes: list[Scheme], years: list[int]) -> dict:
    scheme, as_of, user = filters.scheme, filters.as_of, request.user
    shortlist = _once(lambda: _shortlist(request, filters))
    route = _once(lambda: route_data(slug=ROUTE_SLUG))

    def figure() -> dict:
        rows = shortlist().rows
        selected = next((r.country_code for r in rows if r.country_slug == filters.country), None)
        return cached_status_map(
            shortlist(), route(), filters.view, route_year=filters.year, selected=selected
        )

    rows = _once(lambda: shortlist().rows)
    panel_url = f"{reverse('dashboard_panel', args=['COUNTRY'])}?{filters.query_string}"
    view_name = "the Western Balkans" if filters.view == BALKANS else "Europe and Africa"
    map_label = f"Map of {view_name}: statuses on {filters.as_of:%-d %B %Y}"

    def scheme_events() -> SchemeEventLines:
        assert scheme is not None  # asked for only when there is a scheme
        kept = shortlist()
        return cached_scheme_events(shortlist=kept, scheme=scheme, as_of=as_of, user=user)

    event_lines = _once(scheme_events)
    route_figure = _once(lambda: route().figure_for(filters.year) if route() else None)
    context: dict[str, Any] = {
        "filters": filters,
        "schemes": schemes,
        "years": years,
        "views": VIEWS,
        "view_name": view_name,
        "any_status": _once(lambda: any(row.status for row in rows())),
        "route": route,
        "route_bars": _once(
            lambda: route_bar_figure(route(), filters.year) if route() and route().figures else None
        ),
        "route_figure": route_figure,
        "route_label": _once(lambda: route_label(route(), route_figure()) if route() else ""),
        "figure": _once(figure),
        "panel_url": panel_url,
        "map_svg": _once(lambda: cached_web_map(figure(), panel_url=panel_url, label=map_label)),
        "map_legend": _once(lambda: map_legend(figure())),
        "rows": _once(lambda: sort_rows(rows(), filters.sort)),
        "sort_links": _once(lambda: _sort_links(filters)),
        "counts": _once(lambda: status_counts(rows())),
        "legend": LEGEND,
        "latest": _once(lambda: event_lines().latest if scheme else []),
        "upcoming": _once(lambda: event_lines().upcoming if scheme else []),
        "panel": _once(
            lambda: _panel(request, filters, shortlist(), None) if filters.country else None
        ),
        "today": timezone.localdate(),
        "cleared": access.sees_sensitive(user),
    }
    context["status_table"] = _once(lambda: _status_table(request, filters, shortlist(), context))
    context["country_panel"] = _once(lambda: _country_panel(request, filters, shortlist(), context))
    context["dashboard_results"] = _once(
        lambda: _results(request, filters, shortlist(), years, context)
    )
    return context


def _kept_html(request, name: str, state: tuple | None, context: dict) -> str:
    """The template part `name` rendered with `context`, kept in the pages cache under the
    reader's picture and `state`: everything else the HTML shows. Rendered afresh (and not kept)
    when `state` is None."""
    if state is None:
        return mark_safe(render_to_string(f"{TEMPLATE}#{name}", context, request))
    html = kept(
        kept_key(name, access.picture(request.user), state),
        lambda: render_to_string(f"{TEMPLATE}#{name}", context, request),
    )
    return mark_safe(html)  # our own template's output, escaped as it was rendered


def _scheme_state(filters: DashboardFilters) -> tuple:
    """What the regions show of the scheme itself (its edits need not touch a candidacy)."""
    scheme = filters.scheme
    if scheme is None:
        return ()
    return (scheme.pk, scheme.name, scheme.slug, scheme.shortlist_size, scheme.ended_on)


def _reader_state(request) -> tuple:
    """What the regions show differently by the reader's permissions: the event form's links
    (which carry the page's own address back) and the downloads."""
    records = access.can(request.user, access.RECORD)
    exports = access.can(request.user, access.EXPORT)
    return (records, exports, request.get_full_path() if records else "")


def _status_table(request, filters: DashboardFilters, shortlist: Shortlist, context: dict) -> str:
    """The sorted table's HTML, kept under the rows' key (which changes with every write the
    reader can see, and with the countries' names) plus everything else the table shows: the
    scheme, the filters (sort, date, links) and whether it offers downloads."""
    state = (shortlist.key, _scheme_state(filters), filters.query(), _reader_state(request))
    return _kept_html(request, "status-table", state if shortlist.key else None, context)


def _country_panel(request, filters: DashboardFilters, shortlist: Shortlist, context: dict) -> str:
    """The country panel's HTML, kept under the event lines' key (any write, an edit in the
    admin) while the country is on the list; a country off the list is read and shown afresh."""
    on_list = any(row.country_slug == filters.country for row in shortlist.rows)
    state = (shortlist.events_key, _scheme_state(filters), filters.query(), _reader_state(request))
    return _kept_html(
        request, "country-panel", state if shortlist.events_key and on_list else None, context
    )


def _results(
    request, filters: DashboardFilters, shortlist: Shortlist, years: list[int], context: dict
) -> str:
    """The results region (map, legend, route, counts, table, panel, event lines), kept under
    the event lines' key, which changes with every write and every edit in the admin (routes
    included), plus the route's years, the filters and their errors, today's date (the region
    marks "today") and the reader's permissions. Drawing it reads the route; sending it
    kept reads nothing more. With a country off the list open in its panel, the region is drawn
    afresh (that country is read afresh too)."""
    state = (
        shortlist.events_key,
        _scheme_state(filters),
        filters.query(),
        filters.errors,
        tuple(years),
        timezone.localdate(),
        _reader_state(request),
    )
    off_list = filters.country and not any(
        r.country_slug == filters.country for r in shortlist.rows
    )
    keep = shortlist.events_key and not off_list  # a country off the list is read afresh
    return _kept_html(request, "dashboard-results", state if keep else None, context)


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


def _panel(request, filters: DashboardFilters, shortlist: Shortlist, country) -> Panel:
    row = next((r for r in shortlist.rows if r.country_slug == filters.country), None)
    if country is None and row is None:
        country = find_country(slug=filters.country or "")
    events = []
    if row is not None:
        events = cached_candidacy_events(
            shortlist=shortlist,
            candidacy_id=row.candidacy_id,
            as_of=filters.as_of,
            user=request.user,
        )
    definition = DEFINITIONS.get(row.status, "") if row else ""
    slug = country.slug if country else filters.country
    return Panel(country=country, slug=slug, row=row, events=events, definition=definition)


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
