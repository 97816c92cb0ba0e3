"""Reference data for the demo set: countries, neighbours, the Western Balkans route.

Capitals and EU status are common knowledge; population is given only where the reference
reporting states it. Route figures come from `shared/reference/facts.md` section 2.4 and, for 2025,
`facts-2026.md` section 15. They stay in code: a route figure has no import path and no CSV
schema of its own, and a second file format for six rows would be a second schema to keep.
"""

from typing import Any

from django.db import transaction

from countries.models import Country, EUStatus, MigrationRoute, Region, RouteFigure, RouteWaypoint

WB = Region.WESTERN_BALKANS
EU = Region.REST_OF_EUROPE

# name, code, region, capital, EU status, label (lat, lon)
COUNTRIES = [
    ("Kosovo", "XKX", WB, "Pristina", EUStatus.POTENTIAL_CANDIDATE, (42.6, 20.9)),
    ("Serbia", "SRB", WB, "Belgrade", EUStatus.CANDIDATE, (44.0, 20.8)),
    ("North Macedonia", "MKD", WB, "Skopje", EUStatus.CANDIDATE, (41.6, 21.7)),
    ("Bosnia and Herzegovina", "BIH", WB, "Sarajevo", EUStatus.CANDIDATE, (44.2, 17.8)),
    ("Albania", "ALB", WB, "Tirana", EUStatus.CANDIDATE, (41.1, 20.0)),
    ("Montenegro", "MNE", WB, "Podgorica", EUStatus.CANDIDATE, (42.8, 19.3)),
    ("Croatia", "HRV", EU, "Zagreb", EUStatus.MEMBER, (45.4, 15.8)),
    ("Slovenia", "SVN", EU, "Ljubljana", EUStatus.MEMBER, (46.1, 14.8)),
    ("Hungary", "HUN", EU, "Budapest", EUStatus.MEMBER, (47.1, 19.4)),
    ("Austria", "AUT", EU, "Vienna", EUStatus.MEMBER, (47.6, 14.1)),
    ("Greece", "GRC", EU, "Athens", EUStatus.MEMBER, (39.3, 22.0)),
    ("Bulgaria", "BGR", EU, "Sofia", EUStatus.MEMBER, (42.7, 25.3)),
    ("Romania", "ROU", EU, "Bucharest", EUStatus.MEMBER, (45.9, 24.9)),
    ("Turkey", "TUR", EU, "Ankara", EUStatus.CANDIDATE, (39.0, 35.0)),
    ("Italy", "ITA", EU, "Rome", EUStatus.MEMBER, (42.8, 12.5)),
    ("United Kingdom", "GBR", EU, "London", EUStatus.NONE, (53.0, -1.5)),
    ("Netherlands", "NLD", EU, "Amsterdam", EUStatus.MEMBER, (52.2, 5.5)),
    ("Denmark", "DNK", EU, "Copenhagen", EUStatus.MEMBER, (56.0, 9.5)),
    ("Germany", "DEU", EU, "Berlin", EUStatus.MEMBER, (51.0, 10.4)),
    ("Rwanda", "RWA", Region.AFRICA, "Kigali", EUStatus.NONE, (-2.0, 29.9)),
    ("Uganda", "UGA", Region.AFRICA, "Kampala", EUStatus.NONE, (1.4, 32.3)),
    ("United States", "USA", Region.AMERICAS, "Washington, D.C.", EUStatus.NONE, (39.8, -98.6)),
]

POPULATIONS = {"XKX": (1_600_000, 2025)}  # "about 1.6 million", the news report of May 2025

NEIGHBOURS = {
    "XKX": ["SRB", "MKD", "ALB", "MNE"],
    "SRB": ["HUN", "ROU", "BGR", "MKD", "MNE", "BIH", "HRV"],
    "MKD": ["ALB", "GRC", "BGR"],
    "BIH": ["HRV", "MNE"],
    "ALB": ["MNE", "GRC"],
    "MNE": ["HRV"],
    "HRV": ["SVN", "HUN"],
    "SVN": ["AUT", "HUN", "ITA"],
    "HUN": ["AUT", "ROU"],
    "AUT": ["DEU", "ITA"],
    "GRC": ["BGR", "TUR"],
    "BGR": ["ROU", "TUR"],
    "DEU": ["NLD", "DNK"],
    "RWA": ["UGA"],
}

ROUTE_SLUG = "western-balkans"
# The main corridor: Turkey, Greece, North Macedonia, Serbia, then into the EU via Hungary.
WAYPOINTS = [
    ("TUR", "Istanbul", 41.01, 28.98),
    ("GRC", "Thessaloniki", 40.64, 22.94),
    ("MKD", "Gevgelija", 41.14, 22.50),
    ("MKD", "Skopje", 42.00, 21.43),
    ("SRB", "Preševo", 42.31, 21.65),
    ("SRB", "Belgrade", 44.79, 20.45),
    ("SRB", "Subotica", 46.10, 19.67),
    ("HUN", "Szeged", 46.25, 20.15),
    ("AUT", "Vienna", 48.21, 16.37),
]

DETECTIONS = "Detections of irregular border crossings on the Western Balkan route (Frontex)"
CAVEAT = "Frontex counts detections, not people: one person may be detected several times."
FIGURES: list[dict[str, Any]] = [
    {
        "year": 2023,
        "count": 99_068,
        "is_approximate": False,
        "source_name": "Frontex preliminary data, January 2024 (via BIRN)",
        "source_url": "https://zilnice.news/balkan-migrant-route-still-active-despite-falling-numbers-frontex/",
        "note": "Down 31% on 2022; the second most used route, 26% of about 380,000 EU detections.",
    },
    {
        "year": 2024,
        "count": 21_000,
        "is_approximate": True,
        "source_name": "Frontex, 'Last month in the field – January', 24 February 2025",
        "source_url": "https://frontex.europa.eu/media-centre/news/news-release/last-month-in-the-field-january-rQGz0z",
        "note": (
            "Down 78% on 2023. The exact Frontex total is unverified (about 21,500); UK reporting "
            "quotes the Foreign Office figure of 'almost 22,000'. The 2025 release (12,525, "
            "down 42%) implies about 21,600."
        ),
    },
    {
        "year": 2025,
        "count": 12_525,
        "is_approximate": False,
        "source_name": "Frontex preliminary data, 15 January 2026 (via ANSA/CEI)",
        "source_url": "https://www.cei.int/ansa/169412",
        "note": (
            "Down 42% on 2024. EU total just under 178,000 (down 26%), the lowest since 2021. "
            "Frontex credits a new joint operation in Bosnia and Herzegovina (November 2025)."
        ),
    },
]


@transaction.atomic
def load_reference_data() -> dict[str, Country]:
    """Create or update the demo countries and route; return countries by code."""
    countries = {}
    for name, code, region, capital, eu_status, (lat, lon) in COUNTRIES:
        population, year = POPULATIONS.get(code, (None, None))
        countries[code], _ = Country.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "slug": name.lower().replace(" ", "-"),
                "region": region,
                "capital": capital,
                "eu_status": eu_status,
                "population": population,
                "population_year": year,
                "label_latitude": lat,
                "label_longitude": lon,
            },
        )
    for code, others in NEIGHBOURS.items():
        countries[code].neighbours.add(*(countries[other] for other in others))
    _load_route(countries)
    return countries


def _load_route(countries: dict[str, Country]) -> None:
    route, _ = MigrationRoute.objects.update_or_create(
        slug=ROUTE_SLUG,
        defaults={
            "name": "Western Balkans route",
            "description": (
                "From Turkey through Greece, North Macedonia and Serbia towards Hungary, "
                "Croatia and the Schengen area."
            ),
        },
    )
    for position, (code, place, lat, lon) in enumerate(WAYPOINTS, start=1):
        RouteWaypoint.objects.update_or_create(
            route=route,
            position=position,
            defaults={
                "country": countries[code],
                "place": place,
                "latitude": lat,
                "longitude": lon,
            },
        )
    route.waypoints.filter(position__gt=len(WAYPOINTS)).delete()
    for figure in FIGURES:
        RouteFigure.objects.update_or_create(
            route=route,
            year=figure["year"],
            defaults={**figure, "counted": DETECTIONS, "caveat": CAVEAT},
        )
