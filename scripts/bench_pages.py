"""The benchmark's in-process measurements (run inside Django by scripts/bench.py); the pages it
drives come from the page registry, tests/pages.py.
"""

import time
from urllib.parse import parse_qs, urlencode, urlsplit

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse


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


BENCH_USERS = {"viewer": "bench_viewer", "manager": "bench_manager", "admin": "bench_admin"}


def api_pages(user) -> list[dict]:
    """The API's events endpoint read with a personal token (no session): its first page, a
    search, and its last page by cursor (which should cost what the first does)."""
    from talks.api.api import event_params, query_id
    from talks.api.pagination import cursor_at
    from talks.api.reads import events_for
    from talks.api.tokens import create_token
    from talks.forms.event_log import EventLogFilters

    path = url("api-v1:list_events")
    if path is None:
        return []
    token = create_token(user=user, name="benchmark", days=1).raw
    headers = {"Authorization": f"Bearer {token}"}
    form = EventLogFilters({})
    form.is_valid()
    events = events_for(user, form.filters())
    last = max(0, events.count() - 50)
    cursor = cursor_at(events, offset=last - 1, query_id=query_id(path, 50, event_params()))
    pages = [
        ("API events (first page)", "limit=50"),
        ("API events search", "q=ministry&limit=50"),
        ("API events last page (cursor)", urlencode({"limit": 50, "cursor": cursor})),
    ]
    return [
        {"label": label, "path": f"{path}?{query}", "user": None, "headers": headers}
        for label, query in pages
    ]


def feed_pages(user) -> list[dict]:
    """Atom feeds at the viewer's secret address (no session): the event-log search feed and a
    country's feed."""
    from talks.feeds.keys import feed_token

    token = feed_token(user)
    pages = [
        ("feed: event log search (Atom)", url("feed_events", token), "q=Kosovo"),
        ("feed: country (Serbia, Atom)", url("feed_country", token, "serbia"), ""),
    ]
    return [
        {"label": label, "path": f"{path}?{query}" if query else path, "user": None, "headers": {}}
        for label, path, query in pages
        if path is not None
    ]


def _mean_ms(action, times: int) -> float:
    started = time.perf_counter()
    for _ in range(times):
        action()
    return (time.perf_counter() - started) / times * 1000


def measure_fixed_costs() -> str:
    """What every signed-in request pays before its page: the session write
    (SESSION_SAVE_EVERY_REQUEST) and the connection health check (CONN_HEALTH_CHECKS, a
    round trip when a kept connection is reused)."""
    from django.conf import settings
    from django.contrib.sessions.backends.db import SessionStore

    store = SessionStore()
    store["bench"] = 1
    store.create()
    write = _mean_ms(store.save, 200)
    store.delete()
    connection.ensure_connection()
    check = _mean_ms(connection.is_usable, 500)
    return (
        f"session write {write:.2f} ms a request (SESSION_SAVE_EVERY_REQUEST="
        f"{settings.SESSION_SAVE_EVERY_REQUEST}); connection health check {check:.2f} ms "
        f"(CONN_HEALTH_CHECKS={settings.DATABASES['default'].get('CONN_HEALTH_CHECKS')}, "
        f"CONN_MAX_AGE={settings.DATABASES['default'].get('CONN_MAX_AGE')}); in-process, "
        "one client, no load"
    )


def existing_pages() -> list[dict]:
    """The requests the page registry (tests/pages.py) marks for the benchmark, whose URLs exist
    in this configuration (the constant view only with BENCHMARK=true)."""
    from tests.pages import ENDPOINTS, PAGE_TYPES

    pages = []
    for entry in [*ENDPOINTS, *PAGE_TYPES]:
        for bench in entry.bench:
            path = url(entry.name, *(entry.args if bench.args is None else bench.args))
            if path is None:
                continue
            path += f"?{bench.query}" if bench.query else ""
            user = BENCH_USERS[entry.role] if entry.role else None
            pages.append(
                {"label": bench.label, "path": path, "user": user, "headers": bench.headers}
            )
    return pages


def asked_page(path: str) -> int | None:
    """The page number the address asks for (`page=200`), if it names one."""
    number = parse_qs(urlsplit(path).query).get("page", [""])[0]
    return int(number) if number.isdigit() else None


def count_queries(client: Client, page: dict) -> tuple[int, int, bool]:
    """The page's queries and status, and whether the page it asks for exists: a numbered page
    beyond the last is answered with the last page (its pagination marks that one current)."""
    headers = page["headers"]
    client.get(page["path"], headers=headers)  # warm caches (content types, templates)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(page["path"], headers=headers)
    number = asked_page(page["path"])
    current = f'aria-label="Page {number}" aria-current="page"'
    exists = number is None or current in response.content.decode(errors="replace")
    return len(queries), response.status_code, exists


def measure_in_process(password: str, *, exports: bool) -> dict:
    """The pages to drive with their query counts, the fixed costs per request and (with
    `exports`) issue 13's export and briefing figures, measured on the code paths the background
    jobs run (a big export or briefing is offered as a job, not sent by the page)."""
    from measure_exports import cleared_user, export_figures

    users = ensure_users(password)
    clients = {}
    for username, user in users.items():
        clients[username] = Client()
        clients[username].force_login(user)
    pages = existing_pages() + api_pages(users["bench_viewer"]) + feed_pages(users["bench_viewer"])
    for page in pages:
        client = clients[page["user"]] if page["user"] else Client()
        page["queries"], page["status"], page["exists"] = count_queries(client, page)
    return {
        "pages": pages,
        "dashboard_path": url("dashboard"),
        "fixed_costs": measure_fixed_costs(),
        "exports": export_figures(cleared_user()) if exports else None,
    }
