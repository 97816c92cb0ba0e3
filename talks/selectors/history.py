"""Reads for the change history: audited writes as a user may see them."""

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet

from talks import access
from talks.models import AuditEntry, Candidacy, Person
from talks.rules.dates import date_label


@dataclass(frozen=True)
class Change:
    """One audited write as a user may see it."""

    changed_at: datetime.datetime
    changed_by: str
    action: str
    event_id: int
    event_title: str
    event_date: str
    classification: str
    status_before: str
    status_after: str
    version_after: int | None
    detail: str
    full_picture_note: str = ""


def _change(row: AuditEntry, *, user: Person) -> Change:
    """An audit row at the reader's clearance (talks.access.seen_audit)."""
    event = row.event
    seen = access.seen_audit(user, row)
    return Change(
        changed_at=row.changed_at,
        changed_by=row.changed_by.get_username() if row.changed_by else "system",
        event_id=row.event_id,
        event_title=event.title,
        event_date=date_label(event.occurred_on, event.precision),
        classification=event.get_classification_display(),
        action=seen.action,
        status_before=seen.status_before,
        status_after=seen.status_after,
        version_after=seen.version_after,
        detail=seen.detail,
        full_picture_note=seen.full_picture_note,
    )


def _changes(entries: QuerySet[AuditEntry], *, user: Person) -> list[Change]:
    """Audit rows as Changes: for uncleared readers only rows about OFFICIAL events."""
    rows = access.visible_audit_entries(user, entries).select_related(
        "event", "event__supersedes", "changed_by"
    )
    return [_change(row, user=user) for row in rows.order_by("-changed_at", "-id")]


def candidacy_history(*, candidacy: Candidacy, user: Person) -> list[Change]:
    """Every audited write on a candidacy, newest first."""
    return _changes(AuditEntry.objects.filter(candidacy=candidacy), user=user)


def changes_since(*, candidacy: Candidacy, version: int | None, user: Person) -> list[Change]:
    """The writes on a candidacy after the version a user saw (what a stale form missed)."""
    entries = AuditEntry.objects.filter(candidacy=candidacy)
    if access.sees_sensitive(user):
        entries = entries.filter(version_after__gt=version or 0)
    else:
        entries = entries.filter(official_version_after__gt=version or 0)
    return _changes(entries, user=user)
