"""Migration routes: waypoints and yearly figures, and how a route is labelled."""

from dataclasses import dataclass

from django.db.models import Prefetch

from countries.models import MigrationRoute, RouteFigure, RouteWaypoint


@dataclass(frozen=True)
class Waypoint:
    place: str
    country_name: str
    latitude: float
    longitude: float


@dataclass(frozen=True)
class RouteYear:
    year: int
    count: int
    is_approximate: bool
    counted: str
    caveat: str
    source_name: str
    source_url: str
    note: str


@dataclass(frozen=True)
class RouteData:
    name: str
    slug: str
    waypoints: list[Waypoint]
    figures: list[RouteYear]

    def figure_for(self, year: int | None) -> RouteYear | None:
        return next((f for f in self.figures if f.year == year), None)


def route_data(*, slug: str) -> RouteData | None:
    """A migration route with its waypoints and yearly figures (three queries), or None."""
    route = (
        MigrationRoute.objects.filter(slug=slug)
        .prefetch_related(
            Prefetch("waypoints", RouteWaypoint.objects.select_related("country")), "figures"
        )
        .first()
    )
    if route is None:
        return None
    return RouteData(
        name=route.name,
        slug=route.slug,
        waypoints=[
            Waypoint(w.place, w.country.name, w.latitude, w.longitude)
            for w in route.waypoints.all()
        ],
        figures=[
            RouteYear(
                f.year,
                f.count,
                f.is_approximate,
                f.counted,
                f.caveat,
                f.source_name,
                f.source_url,
                f.note,
            )
            for f in route.figures.all()
        ],
    )


def route_years(*, slug: str) -> list[int]:
    """The years a route has figures for (one query): what a page that does not draw the route
    needs to read a route year in its address."""
    return list(
        RouteFigure.objects.filter(route__slug=slug).order_by("year").values_list("year", flat=True)
    )


def route_label(route: RouteData, figure: RouteYear | None) -> str:
    if figure is None:
        return route.name
    about = "about " if figure.is_approximate else ""
    return f"{route.name}: {about}{figure.count:,} detections in {figure.year}"


def route_bar_figure(route: RouteData, selected_year: int | None) -> dict:
    """The route's yearly figures as a small Plotly bar chart (plain JSON for json_script).

    Bars are filled rectangles of a scatter trace, the one trace type the served Plotly bundle
    holds besides the maps; the chosen year is the darker bar. The page's table has the numbers.
    """
    traces = []
    for figure in route.figures:
        low, high = figure.year - 0.35, figure.year + 0.35
        approximate = " (approximate)" if figure.is_approximate else ""
        traces.append(
            {
                "type": "scatter",
                "mode": "lines",
                "x": [low, high, high, low, low],
                "y": [0, 0, figure.count, figure.count, 0],
                "fill": "toself",
                "fillcolor": "#1D70B8" if figure.year == selected_year else "#9BC1E3",
                "line": {"color": "#0B0C0C", "width": 0.5},
                "name": f"{figure.year}: {figure.count:,} detections{approximate}",
                "hoveron": "fills",
                "hoverinfo": "name",
                "showlegend": False,
            }
        )
    years = [figure.year for figure in route.figures]
    layout = {
        "height": 180,
        "margin": {"l": 60, "r": 10, "t": 10, "b": 30},
        "font": {"family": "Arial, Liberation Sans, sans-serif", "size": 13, "color": "#0B0C0C"},
        "paper_bgcolor": "#FFFFFF",
        "plot_bgcolor": "#FFFFFF",
        "xaxis": {
            "tickvals": years,
            "ticktext": [str(year) for year in years],
            "range": [min(years, default=0) - 0.6, max(years, default=0) + 0.6],
            "fixedrange": True,
            "showgrid": False,
        },
        "yaxis": {"rangemode": "tozero", "fixedrange": True, "gridcolor": "#DDDDDD"},
        "hovermode": "closest",
        "dragmode": False,
    }
    return {"data": traces, "layout": layout}
