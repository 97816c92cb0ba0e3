"""Keyset pagination at 100,000 events (PostgreSQL): every event once, in order, and the last
page reads as few rows as the first (its query starts from the cursor in the date index)."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from talks.models import TalkEvent
from tests.api.helpers import API, bearer, token_for
from tests.talks.page_data import load_demo, with_events

pytestmark = [pytest.mark.django_db, pytest.mark.postgres_only]

EVENTS = 100_000
LIMIT = 200


@pytest.fixture
def big(cleared_analyst):
    load_demo(cleared_analyst)
    with_events(EVENTS)
    with connection.cursor() as cursor:  # planner statistics, as autovacuum keeps them
        cursor.execute("ANALYZE talks_talkevent")
    return cleared_analyst


def rows_read(sql: str) -> int:
    """Rows the plan's scans of the events table touched (returned plus filtered out)."""
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan

    def walk(node) -> int:
        own = 0
        if (
            node.get("Relation Name") == "talks_talkevent"
            and node.get("Alias") == "talks_talkevent"
        ):
            loops = node.get("Actual Loops", 1)
            own = (node["Actual Rows"] + node.get("Rows Removed by Filter", 0)) * loops
        return own + sum(walk(child) for child in node.get("Plans", []))

    return walk(plan[0]["Plan"])


def events_sql(client, token: str, **params) -> tuple[str, dict]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"{API}/events", params, headers=bearer(token))
    assert response.status_code == 200
    sql = next(
        q["sql"] for q in queries if "ORDER BY" in q["sql"] and "talks_talkevent" in q["sql"]
    )
    return sql, response.json()


def test_walking_100k_events_gives_each_once_in_order_and_the_last_page_costs_the_first(
    client, big, viewer, settings
):
    settings.API_RATE_LIMIT_PER_MINUTE = 1_000_000
    token = token_for(viewer)
    expected = TalkEvent.objects.filter(classification="official").count()
    first_sql, body = events_sql(client, token, limit=LIMIT)
    seen, keys, last_cursor = [], [], None
    while True:
        seen += [item["id"] for item in body["items"]]
        keys += [(item["occurred_on"], item["id"]) for item in body["items"]]
        if body["next_cursor"] is None:
            break
        last_cursor = body["next_cursor"]
        response = client.get(
            f"{API}/events", {"limit": LIMIT, "cursor": last_cursor}, headers=bearer(token)
        )
        body = response.json()
    assert len(seen) == len(set(seen)) == expected > 90_000
    assert keys == sorted(keys, reverse=True)

    last_sql, _ = events_sql(client, token, limit=LIMIT, cursor=last_cursor)
    first, last = rows_read(first_sql), rows_read(last_sql)
    assert first <= 2 * LIMIT and last <= 2 * LIMIT, (first, last)
