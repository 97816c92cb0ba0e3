"""Reads: the status rule and the plain data that pages and exports need."""

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypedDict

from django.db.models import OuterRef, QuerySet, Subquery

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

from talks import access
from talks.models import Candidacy, Person, Scheme, TalkEvent


@dataclass(frozen=True)
class StatusAt:
    """A candidacy's status on a date, the date it took effect and the event that set it."""

    status: str
    since: datetime.date | None
    event_id: int | None


NO_STATUS = StatusAt(status="", since=None, event_id=None)


def status_events(*, include_sensitive: bool) -> QuerySet[TalkEvent]:
    """The events the status rule reads: effective ones that carry a status, in one picture."""
    events = TalkEvent.objects.effective().exclude(new_status="")
    return access.events_in(access.FULL if include_sensitive else access.OFFICIAL, events)


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


def status_in(
    picture_name: str,
    candidacy: Candidacy,
    on: datetime.date,
    *,
    excluding_event_id: int | None = None,
) -> StatusAt:
    """The status rule on `on` over one of the gate's pictures (`access.FULL` or `OFFICIAL`)."""
    return status_on(
        candidacy=candidacy,
        on=on,
        include_sensitive=picture_name == access.FULL,
        excluding_event_id=excluding_event_id,
    )


def seen_status_on(user: Person, candidacy: Candidacy | None, on: datetime.date) -> str:
    """The candidacy's status on `on` as `user` sees it: the rule over their picture."""
    if candidacy is None:
        return ""
    return status_in(access.picture(user), candidacy, on).status


class RuleFields(TypedDict):
    """What `candidacies_with_status_on` adds to each candidacy."""

    rule_status: str | None
    rule_since: datetime.date | None
    rule_event_id: int | None


def candidacies_with_status_on(
    *, on: datetime.date, include_sensitive: bool, candidacies: QuerySet[Candidacy] | None = None
) -> "QuerySet[WithAnnotations[Candidacy, RuleFields]]":
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
