"""Two analysts save against the same candidacy version at the same moment (PostgreSQL only).

Each save runs in its own thread, connection and transaction. The row lock makes the second
wait for the first; it then sees a newer version and is refused with StaleVersion. Nothing is
lost: exactly one event is written, and the audit trail has one row for it.
"""

import datetime
import threading
import time

import pytest
from django.db import connection, connections

from talks.models import AuditEntry, Candidacy, TalkEvent
from talks.rules.statuses import Status
from talks.services import events
from talks.services.events import StaleVersion, record_event
from tests.factories import CandidacyFactory, add_event, details
from tests.groups import ensure_groups

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(autouse=True)
def groups(transactional_db):
    """An earlier transactional test may have flushed the migration's groups."""
    ensure_groups()


@pytest.fixture(autouse=True)
def needs_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip(
            "needs PostgreSQL row locks (SELECT ... FOR UPDATE); "
            "run with DATABASE_URL=postgres://... to include it"
        )


def save_in_thread(candidacy_pk, user, version, title, barrier, results):
    try:
        candidacy = Candidacy.objects.get(pk=candidacy_pk)
        barrier.wait(timeout=10)
        event = record_event(
            scheme=candidacy.scheme,
            candidacy=candidacy,
            details=details(
                occurred_on=datetime.date(2025, 10, 21),
                title=title,
                new_status=Status.EXPLORATORY,
            ),
            by=user,
            expected_version=version,
        )
        results[title] = event.pk
    except StaleVersion as stale:
        results[title] = stale
    except Exception as error:  # noqa: BLE001 - reported by the test
        results[title] = error
    finally:
        connections.close_all()


def test_two_concurrent_saves_on_one_version_one_wins_one_is_refused(
    analyst, cleared_analyst, monkeypatch
):
    # Hold the winner's transaction open (row lock taken, not yet committed) for a moment, so
    # the other save really runs while it is in flight and has to wait for the lock.
    real_refresh = events.refresh_cached_status

    def slow_refresh(candidacy, **options):
        real_refresh(candidacy, **options)
        time.sleep(0.5)

    monkeypatch.setattr(events, "refresh_cached_status", slow_refresh)
    candidacy = CandidacyFactory()
    add_event(candidacy, analyst, occurred_on=datetime.date(2025, 5, 16), new_status=Status.OPEN)
    candidacy.refresh_from_db()
    version = candidacy.version
    events_before = TalkEvent.objects.count()
    barrier = threading.Barrier(2)
    results: dict = {}
    threads = [
        threading.Thread(
            target=save_in_thread,
            args=(candidacy.pk, user, version, title, barrier, results),
        )
        for user, title in ((analyst, "First analyst"), (cleared_analyst, "Second analyst"))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    outcomes = sorted(type(value).__name__ for value in results.values())
    assert outcomes == ["StaleVersion", "int"], results
    winner = next(title for title, value in results.items() if isinstance(value, int))
    loser = next(value for value in results.values() if isinstance(value, StaleVersion))
    assert loser.expected_version == version
    assert loser.candidacy.version == version + 1

    candidacy.refresh_from_db()
    assert candidacy.version == version + 1
    assert candidacy.status == Status.EXPLORATORY
    assert TalkEvent.objects.count() == events_before + 1
    assert TalkEvent.objects.filter(title=winner).exists()
    audit = AuditEntry.objects.filter(candidacy=candidacy, version_after__gt=version)
    assert [(a.event.title, a.status_before, a.status_after, a.version_after) for a in audit] == [
        (winner, Status.OPEN, Status.EXPLORATORY, version + 1)
    ]
