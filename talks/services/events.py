"""Writes. Every change to talk events and statuses goes through these functions.

Each takes the acting user and the candidacy version the user saw, runs in one transaction,
locks the candidacy, refuses a stale version or a refused status move without writing
anything, and leaves an audit row. Nothing is deleted: corrections supersede, retractions mark.

What a user may see decides what their write is checked against (talks.access, decision 0010):
a cleared user's version and status moves are those of the full picture, an uncleared user's
those of the OFFICIAL picture, so a refusal or a conflict never reveals an OFFICIAL-SENSITIVE item.
"""

import datetime
from dataclasses import dataclass, fields, replace
from typing import Any, cast

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from talks import access
from talks.models import (
    AuditAction,
    AuditEntry,
    Candidacy,
    Classification,
    Person,
    Scheme,
    Source,
    TalkEvent,
)
from talks.rules.dates import period_start, year_problem
from talks.rules.statuses import TransitionRefused, check_transition
from talks.selectors.status import status_in, status_on


class StaleVersion(Exception):
    """The candidacy changed (as the user sees it) after the user loaded it; nothing was written."""

    def __init__(self, candidacy: Candidacy, expected_version: int | None, seen: int) -> None:
        self.candidacy = candidacy
        self.expected_version = expected_version
        self.seen_version = seen
        super().__init__(
            f"{candidacy} was changed by someone else after you opened this form "
            f"(you saw version {expected_version}, it is now version {seen}). "
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

    def as_model_fields(self) -> dict[str, Any]:
        values = {field.name: getattr(self, field.name) for field in fields(self)}
        values["occurred_on"] = period_start(self.occurred_on, self.precision)
        return values


def _authorise(user: Person, *, classification: str) -> User:
    """The user, if they may record an event of this classification; else PermissionDenied."""
    access.require(user, access.RECORD)
    access.check_classification(user, classification)
    return cast(User, user)


def _validate(details: EventDetails, candidacy: Candidacy | None) -> None:
    if not details.title.strip():
        raise ValidationError({"title": "Enter a title."})
    if problem := year_problem(details.occurred_on.year):
        raise ValidationError({"year": problem})
    if details.new_status and candidacy is None:
        raise ValidationError({"new_status": "A scheme-wide event cannot change a status."})
    if details.new_status and details.occurred_on > timezone.localdate():
        raise ValidationError({"new_status": "A status change cannot be dated in the future."})


def _lock(candidacy: Candidacy, expected_version: int | None, user: Person) -> Candidacy:
    """Lock the candidacy; refuse if it changed since the version the user saw (their picture)."""
    locked = Candidacy.objects.select_for_update().get(pk=candidacy.pk)
    seen = access.seen_version(user, locked)
    if expected_version is None or seen != expected_version:
        raise StaleVersion(locked, expected_version, seen)
    return locked


@dataclass(frozen=True)
class _Judgement:
    """Which picture a status move was checked against, and what the full picture says of it."""

    picture: str = ""
    full_picture_note: str = ""


def _check_status_move(
    candidacy: Candidacy, details: EventDetails, by: Person, *, replacing: TalkEvent | None = None
) -> _Judgement:
    """Check the move against the status on the event's own date, in the user's picture.

    An uncleared analyst's move is checked against the OFFICIAL picture only; when the full
    picture would have refused it, the audit row says so for cleared readers.
    """
    if not details.new_status:
        return _Judgement()
    on = period_start(details.occurred_on, details.precision)
    excluding = replacing.pk if replacing else None
    picture = access.picture(by)
    before = status_in(picture, candidacy, on, excluding_event_id=excluding)
    check_transition(before.status or None, details.new_status)
    note = ""
    if picture == access.OFFICIAL:
        full = status_in(access.FULL, candidacy, on, excluding_event_id=excluding)
        try:
            check_transition(full.status or None, details.new_status)
        except TransitionRefused as refused:
            note = (
                "Checked against the OFFICIAL picture only (recorded without clearance). Over "
                f"every event: {refused} Review it."
            )
    return _Judgement(picture=picture, full_picture_note=note)


def refresh_cached_status(candidacy: Candidacy, *, official_changed: bool = True) -> None:
    """Bring the candidacy's cached statuses in step with the rule as of today; bump its version
    (and its official version when the write touched an OFFICIAL event)."""
    today = timezone.localdate()
    full = status_on(candidacy=candidacy, on=today, include_sensitive=True)
    official = status_on(candidacy=candidacy, on=today, include_sensitive=False)
    candidacy.status, candidacy.status_since = full.status, full.since
    candidacy.official_status, candidacy.official_status_since = official.status, official.since
    candidacy.version += 1
    if official_changed:
        candidacy.official_version += 1
    candidacy.save(
        update_fields=[
            "status",
            "status_since",
            "official_status",
            "official_status_since",
            "version",
            "official_version",
        ]
    )


def _settle(
    *,
    candidacy: Candidacy | None,
    event: TalkEvent,
    action: str,
    by: User,
    official_changed: bool,
    judgement: _Judgement = _Judgement(),
    detail: str = "",
) -> None:
    """After the event is saved: bring the candidacy's cached statuses and the audit trail in step.

    The cached statuses still hold the values from before the write: the audit's "before".
    """
    before = (candidacy.status, candidacy.official_status) if candidacy else ("", "")
    if candidacy is not None:
        refresh_cached_status(candidacy, official_changed=official_changed)
    AuditEntry.objects.create(
        scheme_id=event.scheme_id,
        candidacy=candidacy,
        event=event,
        action=action,
        changed_by=by,
        status_before=before[0],
        status_after=candidacy.status if candidacy else "",
        version_after=candidacy.version if candidacy else None,
        official_status_before=before[1],
        official_status_after=candidacy.official_status if candidacy else "",
        official_version_after=candidacy.official_version if candidacy else None,
        judged_against=judgement.picture,
        full_picture_note=judgement.full_picture_note,
        detail=detail,
    )


def add_source(
    *,
    outlet: str,
    reliability: str,
    by: Person,
    title: str = "",
    url: str = "",
    published_on: datetime.date | None = None,
    reliability_note: str = "",
) -> Source:
    """Add a source that events can cite. Call inside the transaction that records the event."""
    access.require(by, access.RECORD)
    access.require(by, access.ADD_SOURCE)
    if not outlet.strip():
        raise ValidationError({"source_outlet": "Enter the outlet that published the source."})
    source = Source(
        outlet=outlet.strip(),
        title=title.strip(),
        url=url,
        published_on=published_on,
        reliability=reliability,
        reliability_note=reliability_note.strip(),
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
    by: Person,
    expected_version: int | None,
    action: str = AuditAction.RECORDED,
) -> TalkEvent:
    """Record a talk event, optionally moving the candidacy's status."""
    author = _authorise(by, classification=details.classification)
    _validate(details, candidacy)
    if access.cited_hidden_source(by, details.source):
        raise ValidationError({"source": "Select a source from the list."})
    judgement = _Judgement()
    if candidacy is not None:
        if candidacy.scheme_id != scheme.pk:
            raise ValidationError("That country is not a candidate in this scheme.")
        candidacy = _lock(candidacy, expected_version, by)
        judgement = _check_status_move(candidacy, details, by)
    event = TalkEvent(
        scheme=scheme, candidacy=candidacy, recorded_by=author, **details.as_model_fields()
    )
    event.save()
    _settle(
        candidacy=candidacy,
        event=event,
        action=action,
        by=author,
        official_changed=not event.is_sensitive,
        judgement=judgement,
    )
    return event


def _lock_effective_event(
    event: TalkEvent, by: Person, expected_version: int | None
) -> tuple[User, Candidacy | None, TalkEvent]:
    author = _authorise(by, classification=event.classification)
    candidacy = _lock(event.candidacy, expected_version, by) if event.candidacy else None
    current = TalkEvent.objects.select_for_update().get(pk=event.pk)
    if current.is_retracted or current.is_superseded:
        raise ValidationError("This event has already been corrected or retracted.")
    return author, candidacy, current


@transaction.atomic
def correct_event(
    *, event: TalkEvent, details: EventDetails, by: Person, expected_version: int | None
) -> TalkEvent:
    """Record a correction that supersedes `event`. Both stay in the history.

    An OFFICIAL event cannot become OFFICIAL-SENSITIVE (uncleared readers would see it vanish);
    an OFFICIAL-SENSITIVE one may become OFFICIAL, which uncleared readers see as a new event.
    """
    _authorise(by, classification=details.classification)
    refused = access.check_correction(event, details.classification)
    if refused:
        raise ValidationError({"classification": refused})
    author, candidacy, original = _lock_effective_event(event, by, expected_version)
    _validate(details, candidacy)
    if access.cited_hidden_source(by, details.source):
        raise ValidationError({"source": "Select a source from the list."})
    judgement = _Judgement()
    if candidacy is not None:
        judgement = _check_status_move(candidacy, details, by, replacing=original)
    correction = TalkEvent(
        scheme_id=original.scheme_id,
        candidacy=candidacy,
        recorded_by=author,
        **details.as_model_fields(),
    )
    correction.save()
    original.superseded_by = correction
    original.save(update_fields=["superseded_by"])
    _settle(
        candidacy=candidacy,
        event=correction,
        action=AuditAction.CORRECTED,
        by=author,
        official_changed=not (original.is_sensitive and correction.is_sensitive),
        judgement=judgement,
        detail=f"Supersedes event {original.pk}: {original.title}",
    )
    return correction


@transaction.atomic
def retract_event(
    *, event: TalkEvent, reason: str, by: Person, expected_version: int | None
) -> TalkEvent:
    """Mark an event as retracted with a reason; it stays visible in the history."""
    if not reason.strip():
        raise ValidationError({"reason": "Enter the reason for retracting this event."})
    author, candidacy, original = _lock_effective_event(event, by, expected_version)
    original.retracted_at = timezone.now()
    original.retracted_by = author
    original.retraction_reason = reason.strip()
    original.save(update_fields=["retracted_at", "retracted_by", "retraction_reason"])
    _settle(
        candidacy=candidacy,
        event=original,
        action=AuditAction.RETRACTED,
        by=author,
        official_changed=not original.is_sensitive,
        detail=reason,
    )
    return original


def save_event(
    *,
    scheme: Scheme,
    candidacy: Candidacy | None,
    event: TalkEvent | None,
    details: EventDetails,
    new_source: dict[str, Any] | None,
    by: Person,
    expected_version: int | None,
) -> TalkEvent:
    """Record an event (or a correction of `event`) and the new source it cites, if any, in one
    transaction: a refused event leaves no orphan source behind."""
    with transaction.atomic():
        if new_source is not None:
            details = replace(details, source=add_source(by=by, **new_source))
        if event is not None:
            return correct_event(
                event=event, details=details, by=by, expected_version=expected_version
            )
        return record_event(
            scheme=scheme,
            candidacy=candidacy,
            details=details,
            by=by,
            expected_version=expected_version,
        )
