"""Drill: two analysts change one candidacy's status 200 times at once. Every attempt either wins
or is told the candidacy changed (StaleVersion); nothing is lost or written twice."""

import datetime
import threading
from collections import Counter

import pytest
from django.db import connection

from talks.models import AuditEntry, Candidacy, TalkEvent
from talks.rules.statuses import Status
from talks.services.events import StaleVersion, record_event
from tests.factories import CandidacyFactory, add_event, details

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
ATTEMPTS = 200
NEXT = {Status.SHORTLISTED: Status.OPEN, Status.OPEN: Status.SHORTLISTED}


def change_status(candidacy_id: int, analyst, attempts: int, start, outcomes: Counter, lock):
    start.wait()
    try:
        for _ in range(attempts):
            seen = Candidacy.objects.select_related("scheme").get(pk=candidacy_id)
            try:
                record_event(
                    scheme=seen.scheme,
                    candidacy=seen,
                    details=details(
                        occurred_on=datetime.date(2025, 6, 1),
                        title=f"{analyst.username} moves it on",
                        new_status=NEXT[seen.status],
                    ),
                    by=analyst,
                    expected_version=seen.version,
                )
                outcome = "won"
            except StaleVersion:
                outcome = "stale"
            except Exception as error:  # noqa: BLE001 - any other outcome fails the drill
                outcome = f"error: {error!r}"
            with lock:
                outcomes[outcome] += 1
    finally:
        connection.close()


def test_200_concurrent_status_changes_from_two_analysts_lose_nothing(analyst, cleared_analyst):
    candidacy = CandidacyFactory()
    add_event(candidacy, analyst, new_status=Status.SHORTLISTED)
    candidacy.refresh_from_db()
    initial_version = candidacy.version
    initial_audit = AuditEntry.objects.filter(candidacy=candidacy).count()
    initial_events = TalkEvent.objects.filter(candidacy=candidacy).count()
    outcomes, lock, start = Counter(), threading.Lock(), threading.Barrier(2)
    threads = [
        threading.Thread(
            target=change_status,
            args=(candidacy.pk, user, ATTEMPTS // 2, start, outcomes, lock),
        )
        for user in (analyst, cleared_analyst)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    wins = outcomes["won"]
    assert set(outcomes) <= {"won", "stale"}, outcomes
    assert wins + outcomes["stale"] == ATTEMPTS
    assert wins > 0
    candidacy.refresh_from_db()
    assert candidacy.version == initial_version + wins
    assert AuditEntry.objects.filter(candidacy=candidacy).count() == initial_audit + wins
    assert TalkEvent.objects.filter(candidacy=candidacy).count() == initial_events + wins
    # The cached status agrees with the last winning event (statuses alternate with each win).
    expected = Status.SHORTLISTED if wins % 2 == 0 else Status.OPEN
    assert candidacy.status == expected
    versions = list(
        AuditEntry.objects.filter(candidacy=candidacy, version_after__gt=initial_version)
        .order_by("version_after")
        .values_list("version_after", flat=True)
    )
    assert versions == list(range(initial_version + 1, initial_version + wins + 1))
    print(f"\n200 attempts: {wins} won, {outcomes['stale']} refused as stale")
