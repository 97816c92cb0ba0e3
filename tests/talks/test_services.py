import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from talks.models import AuditAction, AuditEntry, Classification, Source, TalkEvent
from talks.rules.statuses import Status, TransitionRefused
from talks.services.events import (
    StaleVersion,
    correct_event,
    record_event,
    retract_event,
    save_event,
)
from tests.factories import CandidacyFactory, add_event, details

pytestmark = pytest.mark.django_db


@pytest.fixture
def candidacy(analyst):
    candidacy = CandidacyFactory()
    add_event(candidacy, analyst, new_status=Status.SHORTLISTED)
    candidacy.refresh_from_db()
    return candidacy


def record(candidacy, by, version, **overrides):
    return record_event(
        scheme=candidacy.scheme,
        candidacy=candidacy,
        details=details(**overrides),
        by=by,
        expected_version=version,
    )


def test_record_event_moves_the_status_and_leaves_an_audit_row(candidacy, analyst):
    version = candidacy.version
    event = record(candidacy, analyst, version, new_status=Status.OPEN, title="Open to talks")
    candidacy.refresh_from_db()
    assert candidacy.status == Status.OPEN
    assert candidacy.version == version + 1
    entry = AuditEntry.objects.get(event=event)
    assert (entry.action, entry.changed_by, entry.status_before, entry.status_after) == (
        AuditAction.RECORDED,
        analyst,
        Status.SHORTLISTED,
        Status.OPEN,
    )
    assert event.recorded_by == analyst


def test_record_event_rejects_stale_version_and_writes_nothing(candidacy, analyst):
    stale = candidacy.version
    record(candidacy, analyst, stale, title="First save wins")
    events, audits = TalkEvent.objects.count(), AuditEntry.objects.count()
    with pytest.raises(StaleVersion, match="changed by someone else"):
        record(candidacy, analyst, stale, title="Second save", new_status=Status.OPEN)
    candidacy.refresh_from_db()
    assert (TalkEvent.objects.count(), AuditEntry.objects.count()) == (events, audits)
    assert candidacy.status == Status.SHORTLISTED


def test_refused_transition_writes_nothing(candidacy, analyst):
    events = TalkEvent.objects.count()
    with pytest.raises(TransitionRefused):
        record(candidacy, analyst, candidacy.version, new_status=Status.OPERATIONAL)
    assert TalkEvent.objects.count() == events
    candidacy.refresh_from_db()
    assert candidacy.status == Status.SHORTLISTED


def test_transition_is_checked_against_the_status_on_the_event_date(candidacy, analyst):
    # Before 16 May the candidacy had no status, so any first status is allowed then.
    record(
        candidacy,
        analyst,
        candidacy.version,
        occurred_on=datetime.date(2025, 1, 1),
        new_status=Status.OPERATIONAL,
    )
    candidacy.refresh_from_db()
    assert candidacy.status == Status.SHORTLISTED


def test_status_change_cannot_be_dated_in_the_future(candidacy, analyst, today):
    with pytest.raises(ValidationError, match="future"):
        record(
            candidacy,
            analyst,
            candidacy.version,
            occurred_on=today + datetime.timedelta(days=1),
            new_status=Status.OPEN,
        )


def test_viewers_and_managers_cannot_write(candidacy, viewer, manager):
    for user in (viewer, manager):
        with pytest.raises(PermissionDenied):
            record(candidacy, user, candidacy.version)


def test_sensitive_events_need_clearance(candidacy, analyst, cleared_analyst):
    sensitive = {"classification": Classification.OFFICIAL_SENSITIVE}
    with pytest.raises(PermissionDenied, match="clearance"):
        record(candidacy, analyst, candidacy.version, **sensitive)
    event = record(candidacy, cleared_analyst, candidacy.version, **sensitive)
    candidacy.refresh_from_db()
    with pytest.raises(PermissionDenied):
        retract_event(event=event, reason="x", by=analyst, expected_version=candidacy.version)


def test_correction_keeps_both_events_and_cannot_be_applied_twice(candidacy, analyst):
    original = candidacy.events.get()
    correction = correct_event(
        event=original,
        details=details(title="Corrected title", new_status=Status.SHORTLISTED),
        by=analyst,
        expected_version=candidacy.version,
    )
    original.refresh_from_db()
    candidacy.refresh_from_db()
    assert original.superseded_by == correction
    assert list(TalkEvent.objects.effective().filter(candidacy=candidacy)) == [correction]
    assert AuditEntry.objects.filter(action=AuditAction.CORRECTED, event=correction).exists()
    with pytest.raises(ValidationError, match="already been corrected"):
        correct_event(
            event=original, details=details(), by=analyst, expected_version=candidacy.version
        )


def test_retraction_needs_a_reason_and_keeps_the_event(candidacy, analyst):
    event = candidacy.events.get()
    with pytest.raises(ValidationError, match="reason"):
        retract_event(event=event, reason="  ", by=analyst, expected_version=candidacy.version)
    retract_event(
        event=event,
        reason="Source withdrew the story",
        by=analyst,
        expected_version=candidacy.version,
    )
    event.refresh_from_db()
    candidacy.refresh_from_db()
    assert event.retracted_by == analyst
    assert event.retraction_reason == "Source withdrew the story"
    assert candidacy.status == ""
    assert TalkEvent.objects.filter(pk=event.pk).exists()


def test_scheme_wide_events_cannot_carry_a_status(candidacy, analyst):
    with pytest.raises(ValidationError, match="scheme-wide"):
        record_event(
            scheme=candidacy.scheme,
            candidacy=None,
            by=analyst,
            expected_version=None,
            details=details(new_status=Status.OPEN),
        )
    event = record_event(
        scheme=candidacy.scheme,
        candidacy=None,
        by=analyst,
        expected_version=None,
        details=details(title="Summit in London"),
    )
    assert AuditEntry.objects.get(event=event).candidacy is None


NEW_SOURCE = {
    "outlet": "Koha",
    "title": "Kurti on hubs",
    "url": "",
    "published_on": None,
    "reliability": "C",
}


def test_save_event_records_the_event_with_the_new_source_it_cites(candidacy, analyst):
    saved = save_event(
        scheme=candidacy.scheme,
        candidacy=candidacy,
        event=None,
        details=details(new_status=Status.OPEN),
        new_source=NEW_SOURCE,
        by=analyst,
        expected_version=candidacy.version,
    )
    assert saved.source.outlet == "Koha"
    assert saved.candidacy.status == Status.OPEN


def test_save_event_refused_leaves_no_new_source_behind(candidacy, analyst):
    sources = Source.objects.count()
    with pytest.raises(TransitionRefused):
        save_event(
            scheme=candidacy.scheme,
            candidacy=candidacy,
            event=None,
            details=details(new_status=Status.OPERATIONAL),
            new_source=NEW_SOURCE,
            by=analyst,
            expected_version=candidacy.version,
        )
    assert Source.objects.count() == sources
