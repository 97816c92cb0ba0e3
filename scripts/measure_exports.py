#!/usr/bin/env python
"""Measure exports: peak memory of a streamed CSV of N events, and briefing build times.

    .venv/bin/python scripts/measure_exports.py            # 100,000 events, throwaway SQLite
    DATABASE_URL=postgres://... .venv/bin/python scripts/measure_exports.py --events 100000

Without DATABASE_URL it builds a throwaway SQLite database under /tmp (migrate, demo data, bulk
events). The CSV goes through the real view (`/exports/events.csv`) with Django's test client,
consumed chunk by chunk as a browser would; tracemalloc records the peak of Python allocations
while it streams. The result is printed as a small table.
"""

import argparse
import os
import resource
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def setup_django(events: int) -> None:
    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = f"sqlite:////tmp/hubtracker-measure-{events}.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hubtracker.settings")
    os.environ.setdefault("SECRET_KEY", "measure-exports-not-a-secret")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()


def prepare_data(events: int):
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from talks.models import TalkEvent

    call_command("migrate", verbosity=0)
    if not TalkEvent.objects.exists():
        call_command("load_demo_data", verbosity=0)
    missing = events - TalkEvent.objects.count()
    if missing > 0:
        from talks.bulk import generate_bulk_events

        generate_bulk_events(events=missing)
    return get_user_model().objects.get(username="manager")


def measure_csv(user, url: str, *, trace: bool = True) -> dict:
    from django.test import Client

    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    if trace:
        tracemalloc.start()
    started = time.perf_counter()
    response = client.get(url, secure=True)
    size = rows = 0
    for chunk in response.streaming_content:
        size += len(chunk)
        rows += chunk.count(b"\n")
    elapsed = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1] if trace else 0
    tracemalloc.stop()
    return {"rows": rows - 1, "mb": size / 1e6, "seconds": elapsed, "peak_mb": peak / 1e6}


def measure_csv_functions(user) -> dict:
    """The same generator the view streams, over every event (before the event log exists)."""
    from talks.exports import EVENT_HEADER, csv_stream, event_rows
    from talks.models import TalkEvent

    tracemalloc.start()
    started = time.perf_counter()
    size = rows = 0
    for chunk in csv_stream(EVENT_HEADER, event_rows(user=user, events=TalkEvent.objects.all())):
        size += len(chunk.encode())
        rows += chunk.count("\n")
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {"rows": rows - 1, "mb": size / 1e6, "seconds": elapsed, "peak_mb": peak / 1e6}


def measure_briefing(user, slug: str) -> dict:
    import datetime

    from django.utils import timezone

    from talks.briefing_documents import render_docx, render_pdf
    from talks.briefings import BriefingRequest, build_briefing
    from talks.models import Scheme

    request = BriefingRequest(
        schemes=[Scheme.objects.get(slug=slug)],
        as_of=timezone.localdate(),
        changes_since=timezone.localdate() - datetime.timedelta(days=365),
        include_sensitive=True,
    )
    times = {}
    started = time.perf_counter()
    briefing = build_briefing(request=request, user=user, now=timezone.localtime())
    times["build_s"] = time.perf_counter() - started
    for name, render in [("pdf_s", render_pdf), ("docx_s", render_docx)]:
        started = time.perf_counter()
        content = render(briefing)
        times[name] = time.perf_counter() - started
        times[name.replace("_s", "_kb")] = len(content) / 1e3
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    args = parser.parse_args()
    setup_django(args.events)
    import talks.briefing_documents  # noqa: F401  (import WeasyPrint before timing)

    user = prepare_data(args.events)
    from talks.models import TalkEvent

    print(f"database: {os.environ['DATABASE_URL'].split('@')[-1]}")
    print(f"events in database: {TalkEvent.objects.count():,}")
    for label, url in [("candidacies CSV", "/exports/candidacies.csv?scheme=uk-return-hubs-2025")]:
        print(f"{label}: {measure_csv(user, url)}")
    try:
        import talks.event_queries  # noqa: F401

        untraced = measure_csv(user, "/exports/events.csv", trace=False)
        print(f"events CSV without tracemalloc: {untraced['seconds']:.1f} s")
        csv = measure_csv(user, "/exports/events.csv")
    except ImportError:
        print("(event log not merged yet: measuring the CSV generator directly)")
        csv = measure_csv_functions(user)
    print(
        f"events CSV: {csv['rows']:,} rows, {csv['mb']:.1f} MB in {csv['seconds']:.1f} s, "
        f"tracemalloc peak {csv['peak_mb']:.1f} MB"
    )
    for run in ("first (cold)", "second"):
        print(
            f"briefing uk-return-hubs-2025, {run}: {measure_briefing(user, 'uk-return-hubs-2025')}"
        )
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"process max RSS: {rss:.0f} MB (includes WeasyPrint, fonts and the bulk insert)")


if __name__ == "__main__":
    main()
