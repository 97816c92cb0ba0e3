"""Fixtures and helpers shared by the country, scheme and event-log page tests."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from talks.models import TalkEvent
from talks.services.bulk import generate_bulk_events
from talks.services.demo import load_demo_data

SENSITIVE_TITLE = "The Times: UK opens talks with Skopje"
HX = {"HX-Request": "true"}

# Generous but fixed ceilings: the counts themselves must not grow with the data (see below).
MAX_QUERIES = 16


def load_demo(cleared_analyst):
    """Load the demo data set recorded by a cleared analyst; return that analyst.

    Each test module wraps this in its own `demo` fixture.
    """
    load_demo_data(recorded_by=cleared_analyst)
    return cleared_analyst


def with_events(total: int) -> None:
    """Top the demo data up with synthetic events until there are `total`."""
    missing = total - TalkEvent.objects.count()
    if missing > 0:
        generate_bulk_events(events=missing)


def queries_for(client, url: str, **kwargs) -> int:
    """How many queries a GET of `url` runs (the response must be 200)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **kwargs)
    assert response.status_code == 200
    return len(queries)
