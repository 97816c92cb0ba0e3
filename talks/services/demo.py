"""The demo data set: sourced events from `shared/reference/` (the May 2025 news report,
facts.md and facts-2026.md), stored as data in `talks/demo_data/<scheme slug>.csv`.

The files use the event CSV schema (`talks.rules.event_csv`) and load through the CSV import
service, row by row through the status rule, exactly as an analyst's upload would; rows already
present are skipped, so loading twice adds nothing. Schemes and their candidate countries stay
here: they are reference data with no import path of their own, and the import needs them to
exist before it can place a row.
"""

import datetime
from pathlib import Path
from typing import TypedDict

from django.db import transaction

from countries.demo import load_reference_data
from countries.models import Country
from talks.models import Candidacy, Person, Scheme, SchemeModel
from talks.services.imports import run_import

DATA_DIR = Path(__file__).resolve().parent.parent / "demo_data"


def day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


class SchemeSpec(TypedDict):
    slug: str
    name: str
    sender: str  # ISO alpha-3 of the sending country
    model: SchemeModel
    announced_on: datetime.date | None
    ended_on: datetime.date | None
    shortlist_size: int | None
    summary: str
    countries: list[str]  # ISO alpha-3 of the candidate countries


SCHEMES: list[SchemeSpec] = [
    {
        "slug": "uk-return-hubs-2025",
        "name": "UK return hubs (2025)",
        "sender": "GBR",
        "model": SchemeModel.RETURN_HUB,
        "announced_on": day("2025-05-15"),
        "ended_on": None,
        "shortlist_size": 9,
        "summary": (
            "Return hubs in third countries for people whose asylum claims have been refused and "
            "who have exhausted their appeals. The Times reported a list of nine potential host "
            "countries; four were named (Kosovo, Serbia, North Macedonia, Bosnia and "
            "Herzegovina) and some outside Europe were not. No agreement with a host country had "
            "been reported by November 2026."
        ),
        "countries": ["XKX", "SRB", "MKD", "BIH", "ALB", "MNE"],
    },
    {
        "slug": "uk-rwanda-partnership",
        "name": "UK–Rwanda partnership (2022–2024)",
        "sender": "GBR",
        "model": SchemeModel.OFFSHORE_PROCESSING,
        "announced_on": None,
        "ended_on": day("2024-07-22"),
        "shortlist_size": None,
        "summary": (
            "The Migration and Economic Development Partnership: asylum claims to be processed "
            "in Rwanda before a decision. Ended by the new government in July 2024; no asylum "
            "seeker was deported under it. In November 2025 Rwanda filed a notice of arbitration: "
            "it says the treaty was never formally terminated."
        ),
        "countries": ["RWA"],
    },
    {
        "slug": "italy-albania-protocol",
        "name": "Italy–Albania protocol (2023)",
        "sender": "ITA",
        "model": SchemeModel.EXTRATERRITORIAL_CENTRE,
        "announced_on": day("2023-11-06"),
        "ended_on": None,
        "shortlist_size": None,
        "summary": (
            "Centres in Albania (Shëngjin and Gjadër) run under Italian law. Five years with "
            "automatic renewal, about 36,000 people a year, costs borne by Italy. Repeatedly "
            "challenged in Italian courts and before the Court of Justice of the EU."
        ),
        "countries": ["ALB"],
    },
    {
        "slug": "netherlands-uganda-return-hub",
        "name": "Netherlands–Uganda return hub (2025)",
        "sender": "NLD",
        "model": SchemeModel.TRANSIT_HUB,
        "announced_on": day("2025-09-25"),
        "ended_on": None,
        "shortlist_size": None,
        "summary": (
            "A small-scale pilot transit hub in Uganda for rejected asylum seekers from "
            "countries near Uganda who cannot be returned directly or voluntarily within a "
            "reasonable time. The Dutch coalition agreement of January 2026 puts it on hold."
        ),
        "countries": ["UGA"],
    },
    {
        "slug": "denmark-kosovo-prison-places",
        "name": "Denmark–Kosovo prison places (2021)",
        "sender": "DNK",
        "model": SchemeModel.EXTRATERRITORIAL_CENTRE,
        "announced_on": day("2021-12-01"),
        "ended_on": None,
        "shortlist_size": None,
        "summary": (
            "300 prison places in Kosovo (Gjilan prison) for third-country nationals awaiting "
            "deportation from Denmark. Kosovo ratified the treaty in May 2024; the first transfers "
            "are expected in April 2027, and further delays are reported."
        ),
        "countries": ["XKX"],
    },
    {
        "slug": "eu-return-hubs-working-group",
        "name": "EU member states' return-hubs working group (2026)",
        "sender": "DEU",
        "model": SchemeModel.RETURN_HUB,
        "announced_on": day("2026-01-22"),
        "ended_on": None,
        "shortlist_size": None,
        "summary": (
            "Germany, Austria, Denmark, the Netherlands and Greece drawing up a roadmap for "
            "return hubs under the EU's Return Regulation (provisional agreement June 2026). A "
            "road map was agreed in March 2026; talks were reported in July 2026 to have narrowed "
            "to Rwanda and Uzbekistan (unverified)."
        ),
        "countries": [],
    },
    {
        "slug": "us-third-country-deportations-kosovo",
        "name": "US third-country deportations to Kosovo (2025)",
        "sender": "USA",
        "model": SchemeModel.TRANSIT_HUB,
        "announced_on": day("2025-06-11"),
        "ended_on": None,
        "shortlist_size": None,
        "summary": (
            "Kosovo agreed to take up to 50 third-country nationals deported by the United "
            "States, for one year, with the aim of their return to their countries of origin. "
            "The first arrived in December 2025."
        ),
        "countries": ["XKX"],
    },
]


def _load_schemes(countries: dict[str, Country]) -> dict[str, Scheme]:
    schemes: dict[str, Scheme] = {}
    for spec in SCHEMES:
        scheme, _ = Scheme.objects.update_or_create(
            slug=spec["slug"],
            defaults={
                "name": spec["name"],
                "sending_country": countries[spec["sender"]],
                "model": spec["model"],
                "announced_on": spec["announced_on"],
                "ended_on": spec["ended_on"],
                "shortlist_size": spec["shortlist_size"],
                "summary": spec["summary"],
            },
        )
        for code in spec["countries"]:
            Candidacy.objects.get_or_create(scheme=scheme, country=countries[code])
        schemes[spec["slug"]] = scheme
    return schemes


class DemoDataRefused(Exception):
    """A demo file that the import refuses: the data set and the rules disagree."""


def demo_files() -> dict[str, Path]:
    """The demo event files by scheme slug."""
    return {path.stem: path for path in sorted(DATA_DIR.glob("*.csv"))}


@transaction.atomic
def load_demo_data(*, recorded_by: Person) -> int:
    """Build the demo set; returns how many events were added (0 on a second run)."""
    countries = load_reference_data()
    schemes = _load_schemes(countries)
    added = 0
    for slug, path in demo_files().items():
        text = path.read_text(encoding="utf-8")
        report = run_import(scheme=schemes[slug], text=text, by=recorded_by, commit=True)
        if not report.ok:
            problems = report.file_errors + [
                f"line {row.line}: {'; '.join(row.errors)}" for row in report.error_rows
            ]
            raise DemoDataRefused(f"{path.name}: " + " | ".join(problems))
        added += report.new_count
    return added
