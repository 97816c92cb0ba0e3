"""Reads: the status rule and the plain data that pages and exports need."""

import datetime
from dataclasses import dataclass

from django.db.models import OuterRef, QuerySet, Subquery

from talks.models import Candidacy, Classification, Scheme, TalkEvent


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
