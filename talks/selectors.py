"""Reads: the status rule and the plain data that pages and exports need."""

import datetime
from dataclasses import dataclass

from django.db.models import OuterRef, QuerySet, Subquery

from talks.dates import date_label
from talks.models import AuditEntry, Candidacy, Classification, Scheme, TalkEvent


@dataclass(frozen=True)
class StatusAt:
    """A candidacy's status on a date, the date it took effect and the event that set it."""

    status: str
    since: datetime.date | None
    event_id: int | None


NO_STATUS = StatusAt(status="", since=None, event_id=None)


def can_see_sensitive(user) -> bool:
    return user.has_perm("talks.view_sensitive")


def status_events(*, include_sensitive: bool) -> QuerySet[TalkEvent]:
    """The events the status rule reads: effective ones that carry a status."""
    events = TalkEvent.objects.effective().exclude(new_status="")
    if not include_sensitive:
        events = events.filter(classification=Classification.OFFICIAL)
    return events


def status_on(
    *,
    candidacy: Candidacy,
    on: datetime.date,
    include_sensitive: bool,
    excluding_event_id: int | None = None,
) -> StatusAt:
    """The status rule: the latest effective status-carrying event on or before `on` sets it."""
    events = status_events(include_sensitive=include_sensitive).filter(
        candidacy=candidacy, occurred_on__lte=on
    )
    if excluding_event_id is not None:
        events = events.exclude(pk=excluding_event_id)
    latest = events.order_by("-occurred_on", "-id").values("new_status", "occurred_on", "id")
    row = latest.first()
    if row is None:
        return NO_STATUS
    return StatusAt(status=row["new_status"], since=row["occurred_on"], event_id=row["id"])


def candidacies_with_status_on(
    *, on: datetime.date, include_sensitive: bool, candidacies: QuerySet[Candidacy] | None = None
) -> QuerySet[Candidacy]:
    """Candidacies annotated with `rule_status`, `rule_since` and `rule_event_id` on `on`.

    One query whatever the number of events (a correlated subquery per candidacy row, served by
    the partial index `event_status_rule_idx`).
    """
    latest = (
        status_events(include_sensitive=include_sensitive)
        .filter(candidacy=OuterRef("pk"), occurred_on__lte=on)
        .order_by("-occurred_on", "-id")
    )
    base = candidacies if candidacies is not None else Candidacy.objects.all()
    return base.annotate(
        rule_status=Subquery(latest.values("new_status")[:1]),
        rule_since=Subquery(latest.values("occurred_on")[:1]),
        rule_event_id=Subquery(latest.values("id")[:1]),
    )


def statuses_on(
    *, scheme: Scheme, on: datetime.date, include_sensitive: bool
) -> dict[int, StatusAt]:
    """Every candidacy of a scheme mapped to its StatusAt on `on`, in one query."""
    rows = candidacies_with_status_on(
        on=on, include_sensitive=include_sensitive, candidacies=scheme.candidacies.all()
    ).values("pk", "rule_status", "rule_since", "rule_event_id")
    return {
        row["pk"]: StatusAt(
            status=row["rule_status"] or "",
            since=row["rule_since"],
            event_id=row["rule_event_id"],
        )
        for row in rows
    }


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


def _changes(entries, *, user, candidacy: Candidacy | None) -> list[Change]:
    """Audit rows as Changes, with OFFICIAL-SENSITIVE events' rows left out for uncleared users.

    Audit rows store the candidacy's status over every event. Where a candidacy has sensitive
    events, an uncleared user sees only the status each event set, never the cached ones.
    """
    cleared = can_see_sensitive(user)
    if not cleared:
        entries = entries.filter(event__classification=Classification.OFFICIAL)
    hide_cached = (
        not cleared
        and candidacy is not None
        and candidacy.events.filter(classification=Classification.OFFICIAL_SENSITIVE).exists()
    )
    rows = entries.select_related("event", "changed_by").order_by("-changed_at", "-id")
    return [
        Change(
            changed_at=row.changed_at,
            changed_by=row.changed_by.get_username() if row.changed_by else "system",
            action=row.get_action_display(),
            event_id=row.event_id,
            event_title=row.event.title,
            event_date=date_label(row.event.occurred_on, row.event.precision),
            classification=row.event.get_classification_display(),
            status_before="" if hide_cached else row.status_before,
            status_after=(row.event.new_status if hide_cached else row.status_after),
            version_after=row.version_after,
            detail=row.detail,
        )
        for row in rows
    ]


def candidacy_history(*, candidacy: Candidacy, user) -> list[Change]:
    """Every audited write on a candidacy, newest first."""
    return _changes(AuditEntry.objects.filter(candidacy=candidacy), user=user, candidacy=candidacy)


def changes_since(*, candidacy: Candidacy, version: int | None, user) -> list[Change]:
    """The writes on a candidacy after the version a user saw (what a stale form missed)."""
    entries = AuditEntry.objects.filter(candidacy=candidacy, version_after__gt=version or 0)
    return _changes(entries, user=user, candidacy=candidacy)
