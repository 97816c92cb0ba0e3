"""Writes. Every change to talk events and statuses goes through these functions.

Each takes the acting user and the candidacy version the user saw, runs in one transaction,
locks the candidacy, refuses a stale version or a refused status move without writing
anything, and leaves an audit row. Nothing is deleted: corrections supersede, retractions mark.
"""

import datetime
from dataclasses import dataclass, fields

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from talks.dates import period_start
from talks.models import (
    AuditAction,
    AuditEntry,
    Candidacy,
    Classification,
    Scheme,
    Source,
    TalkEvent,
)
from talks.selectors import can_see_sensitive, status_on
from talks.statuses import check_transition


class StaleVersion(Exception):
    """The candidacy changed after the user loaded it; nothing was written."""

    def __init__(self, candidacy: Candidacy, expected_version: int | None) -> None:
        self.candidacy = candidacy
        self.expected_version = expected_version
        super().__init__(
            f"{candidacy} was changed by someone else after you opened this form "
            f"(you saw version {expected_version}, it is now version {candidacy.version}). "
            "Nothing was saved. Check the latest events, then submit again."
        )


@dataclass(frozen=True, kw_only=True)
class EventDetails:
    """What an analyst says happened: the fields of a talk event that a user types."""

    occurred_on: datetime.date
    precision: str
    kind: str
    title: str
    summary: str = ""
    quote: str = ""
    speaker: str = ""
    source: Source | None = None
    new_status: str = ""
    classification: str = Classification.OFFICIAL

    def as_model_fields(self) -> dict:
        values = {field.name: getattr(self, field.name) for field in fields(self)}
        values["occurred_on"] = period_start(self.occurred_on, self.precision)
        return values


def _authorise(user, *, classification: str) -> None:
    if not user.has_perm("talks.record_event"):
        raise PermissionDenied("You need the permission to record events (the Analysts group).")
    if classification == Classification.OFFICIAL_SENSITIVE and not can_see_sensitive(user):
        raise PermissionDenied("You need clearance to see or enter OFFICIAL-SENSITIVE items.")


def _validate(details: EventDetails, candidacy: Candidacy | None) -> None:
    if not details.title.strip():
        raise ValidationError({"title": "Enter a title."})
    if details.new_status and candidacy is None:
        raise ValidationError({"new_status": "A scheme-wide event cannot change a status."})
    if details.new_status and details.occurred_on > timezone.localdate():
        raise ValidationError({"new_status": "A status change cannot be dated in the future."})


def _lock(candidacy: Candidacy, expected_version: int | None) -> Candidacy:
    locked = Candidacy.objects.select_for_update().get(pk=candidacy.pk)
    if expected_version is None or locked.version != expected_version:
        raise StaleVersion(locked, expected_version)
    return locked


def _check_status_move(
    candidacy: Candidacy, details: EventDetails, *, replacing: TalkEvent | None = None
) -> None:
    if not details.new_status:
        return
    before = status_on(
        candidacy=candidacy,
        on=period_start(details.occurred_on, details.precision),
        include_sensitive=True,
        excluding_event_id=replacing.pk if replacing else None,
    )
    check_transition(before.status or None, details.new_status)


def refresh_cached_status(candidacy: Candidacy) -> None:
    """Bring the candidacy's cached statuses in step with the rule as of today; bump its version."""
    today = timezone.localdate()
    full = status_on(candidacy=candidacy, on=today, include_sensitive=True)
    official = status_on(candidacy=candidacy, on=today, include_sensitive=False)
    candidacy.status, candidacy.status_since = full.status, full.since
    candidacy.official_status, candidacy.official_status_since = official.status, official.since
    candidacy.version += 1
    candidacy.save(
        update_fields=[
            "status",
            "status_since",
            "official_status",
            "official_status_since",
            "version",
        ]
    )


def _audit(
    *,
    event: TalkEvent,
    candidacy: Candidacy | None,
    action: str,
    by,
    status_before: str,
    detail: str = "",
) -> None:
    AuditEntry.objects.create(
        scheme_id=event.scheme_id,
        candidacy=candidacy,
        event=event,
        action=action,
        changed_by=by,
        status_before=status_before,
        status_after=candidacy.status if candidacy else "",
        version_after=candidacy.version if candidacy else None,
        detail=detail,
    )


def _settle(
    *, candidacy: Candidacy | None, event: TalkEvent, action: str, by, detail: str = ""
) -> None:
    """After the event is saved: bring the candidacy's cached status and the audit trail in step.

    The cached status still holds the value from before the write, so it is the audit's "before".
    """
    status_before = candidacy.status if candidacy else ""
    if candidacy is not None:
        refresh_cached_status(candidacy)
    _audit(
        event=event,
        candidacy=candidacy,
        action=action,
        by=by,
        status_before=status_before,
        detail=detail,
    )


def add_source(
    *,
    outlet: str,
    reliability: str,
    by,
    title: str = "",
    url: str = "",
    published_on: datetime.date | None = None,
) -> Source:
    """Add a source that events can cite. Call inside the transaction that records the event."""
    if not (by.has_perm("talks.add_source") and by.has_perm("talks.record_event")):
        raise PermissionDenied("You need the permission to add sources (the Analysts group).")
    if not outlet.strip():
        raise ValidationError({"source_outlet": "Enter the outlet that published the source."})
    source = Source(
        outlet=outlet.strip(),
        title=title.strip(),
        url=url,
        published_on=published_on,
        reliability=reliability,
    )
    source.full_clean()
    source.save()
    return source


@transaction.atomic
def record_event(
    *,
    scheme: Scheme,
    candidacy: Candidacy | None,
    details: EventDetails,
    by,
    expected_version: int | None,
    action: str = AuditAction.RECORDED,
) -> TalkEvent:
    """Record a talk event, optionally moving the candidacy's status."""
    _authorise(by, classification=details.classification)
    _validate(details, candidacy)
    if candidacy is not None:
        if candidacy.scheme_id != scheme.pk:
            raise ValidationError("That country is not a candidate in this scheme.")
        candidacy = _lock(candidacy, expected_version)
        _check_status_move(candidacy, details)
    event = TalkEvent(
        scheme=scheme, candidacy=candidacy, recorded_by=by, **details.as_model_fields()
    )
    event.save()
    _settle(candidacy=candidacy, event=event, action=action, by=by)
    return event


def _lock_effective_event(event: TalkEvent, by, expected_version: int | None) -> tuple:
    _authorise(by, classification=event.classification)
    candidacy = _lock(event.candidacy, expected_version) if event.candidacy_id else None
    current = TalkEvent.objects.select_for_update().get(pk=event.pk)
    if current.is_retracted or current.is_superseded:
        raise ValidationError("This event has already been corrected or retracted.")
    return candidacy, current


@transaction.atomic
def correct_event(
    *, event: TalkEvent, details: EventDetails, by, expected_version: int | None
) -> TalkEvent:
    """Record a correction that supersedes `event`. Both stay in the history."""
    _authorise(by, classification=details.classification)
    candidacy, original = _lock_effective_event(event, by, expected_version)
    _validate(details, candidacy)
    if candidacy is not None:
        _check_status_move(candidacy, details, replacing=original)
    correction = TalkEvent(
        scheme_id=original.scheme_id,
        candidacy=candidacy,
        recorded_by=by,
        **details.as_model_fields(),
    )
    correction.save()
    original.superseded_by = correction
    original.save(update_fields=["superseded_by"])
    _settle(
        candidacy=candidacy,
        event=correction,
        action=AuditAction.CORRECTED,
        by=by,
        detail=f"Supersedes event {original.pk}: {original.title}",
    )
    return correction


@transaction.atomic
def retract_event(*, event: TalkEvent, reason: str, by, expected_version: int | None) -> TalkEvent:
    """Mark an event as retracted with a reason; it stays visible in the history."""
    if not reason.strip():
        raise ValidationError({"reason": "Enter the reason for retracting this event."})
    candidacy, original = _lock_effective_event(event, by, expected_version)
    original.retracted_at = timezone.now()
    original.retracted_by = by
    original.retraction_reason = reason.strip()
    original.save(update_fields=["retracted_at", "retracted_by", "retraction_reason"])
    _settle(candidacy=candidacy, event=original, action=AuditAction.RETRACTED, by=by, detail=reason)
    return original
