"""The benchmark's pages and its in-process measurements (run inside Django by scripts/bench.py).

A page is measured only if its URL name exists, so the benchmark grows as pages land.
"""

import resource
import statistics
import time

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

HTMX = {"HX-Request": "true"}
PAST_DATE = "2024-06-30"


def ensure_users(password: str) -> dict:
    users = {}
    for username, group in {
        "bench_viewer": "Viewers",
        "bench_manager": "Managers",
        "bench_admin": None,
    }.items():
        user, _ = get_user_model().objects.get_or_create(username=username)
        user.set_password(password)
        user.is_staff = user.is_superuser = group is None
        user.save()
        if group:
            user.groups.set([Group.objects.get(name=group)])
        users[username] = user
    return users


def url(name: str, *args) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def candidate_pages() -> list[dict]:
    """label, URL name, args, query string, user, headers."""
    viewer, manager, admin = "bench_viewer", "bench_manager", "bench_admin"
    return [
        ("constant view", "bench_constant", (), "", viewer, {}),
        ("healthz", "healthz", (), "", None, {}),
        ("login page (anonymous)", "login", (), "", None, {}),
        ("dashboard", "dashboard", (), "", viewer, {}),
        ("dashboard as of a past date", "dashboard", (), f"date={PAST_DATE}", viewer, {}),
        ("dashboard htmx results (as of)", "dashboard", (), f"date={PAST_DATE}", viewer, HTMX),
        (
            "dashboard htmx status table",
            "dashboard",
            (),
            "sort=status",
            viewer,
            {**HTMX, "HX-Target": "status-table"},
        ),
        ("dashboard htmx country panel", "dashboard_panel", ("serbia",), "", viewer, HTMX),
        ("country list", "country_list", (), "", viewer, {}),
        ("country page (Serbia)", "country_detail", ("serbia",), "", viewer, {}),
        ("scheme page (UK)", "scheme_detail", ("uk-return-hubs-2025",), "", viewer, {}),
        ("event log", "event_log", (), "", viewer, {}),
        ("event log page 50", "event_log", (), "page=50", viewer, {}),
        ("event log search htmx", "event_log", (), "q=ministry", viewer, HTMX),
        ("briefings", "briefings", (), "", manager, {}),
        ("admin changelist (talk events)", "admin:talks_talkevent_changelist", (), "", admin, {}),
    ]


def existing_pages() -> list[dict]:
    pages = []
    for label, name, args, query, user, headers in candidate_pages():
        path = url(name, *args)
        if path is not None:
            path += f"?{query}" if query else ""
            pages.append({"label": label, "path": path, "user": user, "headers": headers})
    return pages


def count_queries(client: Client, page: dict) -> tuple[int, int]:
    headers = page["headers"]
    client.get(page["path"], headers=headers)  # warm caches (content types, templates)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(page["path"], headers=headers)
    return len(queries), response.status_code


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure_csv_export(client: Client) -> str:
    """Stream the CSV of every event; the process's peak memory before and after."""
    path = url("export_events", "csv")
    if path is None:
        return "not measured: no CSV export yet"
    before = _peak_rss_mb()
    started = time.perf_counter()
    response = client.get(path)
    rows = size = 0
    for chunk in response.streaming_content if response.streaming else [response.content]:
        size += len(chunk)
        rows += chunk.count(b"\n")
    seconds = time.perf_counter() - started
    return (
        f"HTTP {response.status_code}, {rows:,} lines, {size / 1e6:.1f} MB in {seconds:.1f} s; "
        f"process peak memory {before:.0f} MB before, {_peak_rss_mb():.0f} MB after"
    )


def measure_pdf_briefing(client: Client) -> str:
    from django.utils import timezone

    from talks.models import Scheme

    path = url("briefing_download", "pdf")
    if path is None:
        return "not measured: no PDF briefing yet"
    today = timezone.localdate()
    query = {
        "schemes": Scheme.objects.get(slug="uk-return-hubs-2025").pk,
        "as_of_day": today.day,
        "as_of_month": today.month,
        "as_of_year": today.year,
        "changes_since_day": 1,
        "changes_since_month": 1,
        "changes_since_year": 2025,
    }
    times, status, size = [], 0, 0
    for _ in range(4):
        started = time.perf_counter()
        response = client.get(path, query)
        body = b"".join(response.streaming_content if response.streaming else [response.content])
        times.append(time.perf_counter() - started)
        status, size = response.status_code, len(body)
    return (
        f"HTTP {status}, {size / 1000:.0f} KB; first {times[0]:.2f} s (imports WeasyPrint), "
        f"then median {statistics.median(times[1:]):.2f} s"
    )


def measure_in_process(password: str) -> dict:
    users = ensure_users(password)
    clients = {}
    for username, user in users.items():
        clients[username] = Client()
        clients[username].force_login(user)
    extras = {"CSV export of all events": measure_csv_export(clients["bench_manager"])}
    extras["PDF briefing (UK scheme)"] = measure_pdf_briefing(clients["bench_manager"])
    pages = existing_pages()
    for page in pages:
        client = clients[page["user"]] if page["user"] else Client()
        page["queries"], page["status"] = count_queries(client, page)
    dashboard = url("dashboard")
    return {"pages": pages, "dashboard_path": dashboard, "extras": extras}
