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
import io
import os
import resource
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "scripts")]


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
        from talks.services.bulk import generate_bulk_events

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
    from talks.documents.exports import EVENT_HEADER, csv_stream, event_rows
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

    from talks.documents.briefings import render_docx, render_pdf
    from talks.models import Scheme
    from talks.selectors.briefings import BriefingRequest, build_briefing

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


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _timed_csv(user, events) -> dict:
    """Rows, size, seconds and RSS growth (MB, sampled every few megabytes) of the events CSV."""
    from talks.documents.exports import event_csv_blocks

    counted: list[int] = []
    size, before, peak = 0, _rss_mb(), 0.0
    started = time.perf_counter()
    for block in event_csv_blocks(user=user, events=events, on_done=counted.append):
        size += len(block)
        if size % (64 * 1024 * 64) < len(block):  # every few megabytes
            peak = max(peak, _rss_mb() - before)
    seconds = time.perf_counter() - started
    growth = max(peak, _rss_mb() - before)
    return {"rows": counted[0], "mb": size / 1e6, "seconds": seconds, "growth_mb": growth}


def _timed_xlsx(user, events) -> dict:
    from talks.documents.exports import events_workbook

    before = _rss_mb()
    started = time.perf_counter()
    workbook, count = events_workbook(user=user, events=events)
    seconds = time.perf_counter() - started
    on_disk = isinstance(getattr(workbook, "raw", None), io.FileIO)
    size = workbook.seek(0, 2) / 1e6
    workbook.close()
    growth = _rss_mb() - before
    return {"rows": count, "seconds": seconds, "mb": size, "on_disk": on_disk, "growth_mb": growth}


FORMULA_PROBES = ('=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx")


def formula_probes(user) -> dict:
    """Events whose title starts as a formula, written in a transaction that is rolled back, run
    through the events CSV (the database-written one on PostgreSQL): how many title cells come
    out neutralised (a leading quote)."""
    import csv

    from django.db import transaction

    from talks.documents.exports import EVENT_HEADER, event_csv_blocks
    from talks.models import Scheme, TalkEvent

    title = EVENT_HEADER.index("title")
    with transaction.atomic():
        scheme = Scheme.objects.order_by("pk").first()
        template = TalkEvent.objects.filter(scheme=scheme).order_by("pk").first()
        probes = []
        for text in FORMULA_PROBES:
            template.pk, template.title = None, text
            template.save(force_insert=True)
            probes.append(template.pk)
        events = TalkEvent.objects.filter(pk__in=probes).order_by("pk")
        data = b"".join(event_csv_blocks(user=user, events=events)).decode("utf-8-sig")
        transaction.set_rollback(True)
    cells = [row[title] for row in list(csv.reader(io.StringIO(data, newline="")))[1:]]
    safe = [cell == "'" + text for cell, text in zip(cells, FORMULA_PROBES, strict=True)]
    return {"cells": len(FORMULA_PROBES), "neutralised": sum(safe)}


def timed_pdf_briefing(user, slug: str = "uk-return-hubs-2025") -> dict:
    """The PDF briefing a background job makes for `slug` (as of today, changes since 1 January
    2025, OFFICIAL material): the first build and the fastest of two more."""
    import datetime

    from django.utils import timezone

    from talks.documents.briefings import render_pdf
    from talks.models import Scheme, TalkEvent
    from talks.selectors.briefings import BriefingRequest, build_briefing

    scheme = Scheme.objects.get(slug=slug)
    request = BriefingRequest(
        schemes=[scheme],
        as_of=timezone.localdate(),
        changes_since=datetime.date(2025, 1, 1),
        include_sensitive=False,
    )
    times = []
    for _ in range(3):
        started = time.perf_counter()
        render_pdf(build_briefing(request=request, user=user, now=timezone.localtime()))
        times.append(time.perf_counter() - started)
    events = TalkEvent.objects.filter(scheme=scheme).count()
    return {"first_seconds": times[0], "warm_seconds": min(times[1:]), "events": events}


def export_figures(user) -> dict:
    """Issue 13's export and briefing figures (the export job's code path: every event, in the
    event log's order, through the gate), for scripts/bench_targets.py to judge."""
    import talks.documents.briefings  # noqa: F401  (imports WeasyPrint before timing)
    from talks.models import TalkEvent

    events = TalkEvent.objects.order_by("-occurred_on", "-id")
    return {
        "csv": _timed_csv(user, events),
        "xlsx": _timed_xlsx(user, events),
        "formula_probes": formula_probes(user),
        "pdf": timed_pdf_briefing(user),
    }


def cleared_user():
    """A user who sees every event (an administrator), for exports of all of them."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(is_superuser=True).order_by("pk").first()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument(
        "--targets-only", action="store_true", help="only issue 13's export and briefing targets"
    )
    args = parser.parse_args()
    setup_django(args.events)
    import talks.documents.briefings  # noqa: F401  (import WeasyPrint before timing)

    user = prepare_data(args.events)
    from talks.models import TalkEvent

    if args.targets_only:
        from bench_targets import export_lines

        print(f"load average (1, 5, 15 min): {os.getloadavg()}")
        figures = export_figures(cleared_user() or user)
        print("\n".join(export_lines(f"{TalkEvent.objects.count():,} events", figures)))
        print(f"load average (1, 5, 15 min): {os.getloadavg()}")
        return
    print(f"database: {os.environ['DATABASE_URL'].split('@')[-1]}")
    print(f"events in database: {TalkEvent.objects.count():,}")
    for label, url in [("candidacies CSV", "/exports/candidacies.csv?scheme=uk-return-hubs-2025")]:
        print(f"{label}: {measure_csv(user, url)}")
    try:
        import talks.selectors.event_log  # noqa: F401

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
