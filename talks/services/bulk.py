"""Synthetic but plausible talk events at scale, for benchmarks (up to a million and more).

Events are spread over the demo candidacies; about one in ten moves a status along a path the
transition table allows, in date order, so the status rule has real work to do. Rows go in by
bulk insert, bypassing the services (no audit rows): this is benchmark data, not history.
"""

import datetime
import random
from collections.abc import Iterator
from itertools import islice

from django.db import transaction
from django.utils import timezone

from talks.models import (
    Candidacy,
    Classification,
    DatePrecision,
    EventKind,
    Reliability,
    Source,
    TalkEvent,
)
from talks.rules.dates import period_start
from talks.rules.statuses import ALLOWED, Status
from talks.services.events import refresh_cached_status

BATCH_SIZE = 5_000
FIRST_DAY = datetime.date(2015, 1, 1)
TOPICS = [
    "visit by interior ministry officials",
    "statement on return arrangements",
    "parliamentary question on the talks",
    "report on capacity of reception centres",
    "meeting of legal teams",
    "comment by opposition leader",
    "briefing to diplomats",
    "court filing by campaigners",
]


def _status_path(rng: random.Random, length: int) -> list[str]:
    path: list[str] = []
    current: str | None = None
    for _ in range(length):
        options = sorted(ALLOWED[current] - {Status.ENDED})
        if not options:
            break
        current = rng.choice(options)
        path.append(current)
    return path


def _events_for(
    candidacy: Candidacy,
    count: int,
    rng: random.Random,
    sources: list[Source],
    today: datetime.date,
) -> Iterator[TalkEvent]:
    span = (today - FIRST_DAY).days
    dates = []
    for _ in range(count):
        precision = DatePrecision.DAY if rng.random() < 0.8 else DatePrecision.MONTH
        day = FIRST_DAY + datetime.timedelta(days=rng.randrange(span))
        # A month-precision event is dated the first of its month, as the forms store it.
        dates.append((period_start(day, precision), precision))
    dates.sort()
    statuses = iter(_status_path(rng, count // 10 + 1))
    for index, (occurred_on, precision) in enumerate(dates):
        kind = rng.choice(EventKind.values)
        topic = rng.choice(TOPICS)
        new_status = next(statuses, "") if index % 10 == 0 else ""
        yield TalkEvent(
            scheme_id=candidacy.scheme_id,
            candidacy=candidacy,
            occurred_on=occurred_on,
            precision=precision,
            kind=kind,
            title=f"{candidacy.country.name}: {topic}",
            summary=f"Synthetic {EventKind(kind).label.lower()} about the {topic} (bench data).",
            source=rng.choice(sources),
            new_status=new_status,
            classification=(
                Classification.OFFICIAL_SENSITIVE
                if rng.random() < 0.05
                else Classification.OFFICIAL
            ),
        )


def _sources(rng: random.Random) -> list[Source]:
    existing = list(Source.objects.filter(outlet__startswith="Synthetic outlet"))
    if existing:
        return existing
    return Source.objects.bulk_create(
        Source(
            outlet=f"Synthetic outlet {n}",
            title=f"Synthetic report {n}",
            reliability=rng.choice(Reliability.values),
        )
        for n in range(1, 201)
    )


def generate_bulk_events(*, events: int, seed: int = 1) -> int:
    """Add `events` synthetic events over the existing candidacies; return how many were added."""
    rng = random.Random(seed)
    candidacies = list(Candidacy.objects.select_related("country"))
    if not candidacies:
        raise ValueError("No candidacies: run load_demo_data first.")
    today = timezone.localdate()
    sources = _sources(rng)
    share, extra = divmod(events, len(candidacies))
    stream = (
        event
        for position, candidacy in enumerate(candidacies)
        for event in _events_for(
            candidacy, share + (1 if position < extra else 0), rng, sources, today
        )
    )
    with transaction.atomic():
        while batch := list(islice(stream, BATCH_SIZE)):
            TalkEvent.objects.bulk_create(batch)
        for candidacy in candidacies:
            refresh_cached_status(candidacy)
    return events
