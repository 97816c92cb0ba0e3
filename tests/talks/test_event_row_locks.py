"""Correcting or retracting an event locks its row (PostgreSQL only, real transactions).

A scheme-wide event has no candidacy, so no candidacy version guards it: only the event's row
lock stops two analysts from retracting or superseding it twice at the same moment. One
transaction takes the lock and holds it; the second must wait for it, then find the event
already retracted or corrected, and write nothing.
"""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction

from talks.models import AuditEntry, TalkEvent
from talks.services.events import correct_event, record_event, retract_event
from tests.factories import SchemeFactory, details
from tests.groups import ensure_groups

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(autouse=True)
def groups(transactional_db):
    ensure_groups()


@pytest.fixture(autouse=True)
def needs_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks (SELECT ... FOR UPDATE)")


def scheme_wide_event(by) -> TalkEvent:
    return record_event(
        scheme=SchemeFactory(),
        candidacy=None,
        details=details(occurred_on=datetime.date(2025, 10, 22), title="London summit"),
        by=by,
        expected_version=None,
    )


def race(first, second) -> dict:
    """Run `first` in a transaction that stays open for a second after it returns, and
    `second` meanwhile in another connection. Returns what each returned or raised."""
    locked, results = threading.Event(), {}

    def run(name, write, hold):
        try:
            with transaction.atomic():
                results[name] = write()
                if hold:
                    locked.set()
                    threading.Event().wait(1.0)
        except Exception as error:  # noqa: BLE001 - the test inspects it
            results[name] = error
            locked.set()
        finally:
            connections.close_all()

    holder = threading.Thread(target=run, args=("first", first, True))
    holder.start()
    assert locked.wait(timeout=20)
    other = threading.Thread(target=run, args=("second", second, False))
    other.start()
    holder.join(timeout=30)
    other.join(timeout=30)
    return results


def as_loaded(event: TalkEvent) -> TalkEvent:
    """The event as one analyst's request loaded it: its own copy, not shared with the other."""
    return TalkEvent.objects.get(pk=event.pk)


def test_a_second_retraction_waits_for_the_first_and_writes_nothing(analyst, cleared_analyst):
    event = scheme_wide_event(analyst)
    audits = AuditEntry.objects.count()
    mine, theirs = as_loaded(event), as_loaded(event)  # both loaded before either retracts

    results = race(
        lambda: retract_event(event=mine, reason="First", by=analyst, expected_version=None),
        lambda: retract_event(
            event=theirs, reason="Second", by=cleared_analyst, expected_version=None
        ),
    )

    assert isinstance(results["first"], TalkEvent), results
    assert isinstance(results["second"], ValidationError), results
    event.refresh_from_db()
    assert event.retraction_reason == "First"
    assert AuditEntry.objects.count() == audits + 1


def test_a_second_correction_waits_for_the_first_and_writes_nothing(analyst, cleared_analyst):
    event = scheme_wide_event(analyst)
    events = TalkEvent.objects.count()
    mine, theirs = as_loaded(event), as_loaded(event)  # both loaded before either corrects

    results = race(
        lambda: correct_event(
            event=mine, details=details(title="Fixed once"), by=analyst, expected_version=None
        ),
        lambda: correct_event(
            event=theirs,
            details=details(title="Fixed twice"),
            by=cleared_analyst,
            expected_version=None,
        ),
    )

    assert isinstance(results["first"], TalkEvent), results
    assert isinstance(results["second"], ValidationError), results
    assert TalkEvent.objects.count() == events + 1
    event.refresh_from_db()
    assert event.superseded_by.title == "Fixed once"
