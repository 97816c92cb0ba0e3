"""Reads for following: what a user follows, and what changed in it since a moment.

"Changed" means an event recorded (a new event or a correction) or retracted after that moment.
Every read starts from the events the user may see, so for a user without clearance
OFFICIAL-SENSITIVE events do not exist here; for a cleared user they are counted apart, so that
pages and emails can say how many without showing them where they must not.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.http import QueryDict

from talks import access
from talks.following.models import Follow, FollowKind
from talks.forms.event_log import EventLogFilters
from talks.models import TalkEvent
from talks.selectors.event_log import filtered_events

IGNORED_SEARCH_PARAMS = {"page", "after", "before"}


def normalise_search(query: QueryDict) -> str:
    """An event-log query string in one canonical form (sorted, no paging, no blanks)."""
    pairs = sorted(
        (key, value)
        for key, values in query.lists()
        for value in values
        if key not in IGNORED_SEARCH_PARAMS and value
    )
    normal = QueryDict(mutable=True)
    for key, value in pairs:
        normal.appendlist(key, value)
    return normal.urlencode()


def followed_events(*, user, follow: Follow) -> QuerySet[TalkEvent]:
    """The events `user` may see that fall under `follow`."""
    if follow.kind == FollowKind.SEARCH:
        form = EventLogFilters(QueryDict(follow.search))
        form.is_valid()
        return filtered_events(user=user, filters=form.filters())
    events = access.visible_events(user)
    if follow.kind == FollowKind.COUNTRY and follow.country_id is not None:
        return events.filter(candidacy__country_id=follow.country_id)
    if follow.kind == FollowKind.SCHEME and follow.scheme_id is not None:
        return events.filter(scheme_id=follow.scheme_id)
    return events.none()


def changed_between(start: datetime.datetime, end: datetime.datetime | None = None) -> Q:
    recorded, retracted = Q(recorded_at__gt=start), Q(retracted_at__gt=start)
    if end is not None:
        recorded &= Q(recorded_at__lte=end)
        retracted &= Q(retracted_at__lte=end)
    return recorded | retracted


@dataclass(frozen=True)
class Change:
    event: TalkEvent
    what: str  # "New", "Correction", "Retracted"

    @property
    def is_sensitive(self) -> bool:
        return self.event.is_sensitive


@dataclass(frozen=True)
class FollowChanges:
    follow: Follow
    since: datetime.datetime
    changes: list[Change] = field(default_factory=list)
    sensitive_count: int = 0

    @property
    def total(self) -> int:
        return len(self.changes) + self.sensitive_count


MAX_LISTED = 50


def _what(event: TalkEvent, start: datetime.datetime, *, cleared: bool) -> str:
    """New, Correction or Retracted. A correction of an event the user may not see (a
    declassified OFFICIAL-SENSITIVE item) is "New" to them: nothing hints at what it replaced."""
    if event.retracted_at and event.retracted_at > start:
        return "Retracted"
    try:
        corrected = event.supersedes  # joined by select_related; raises when there is none
    except TalkEvent.DoesNotExist:
        return "New"
    return "Correction" if cleared or access.is_visible_event(corrected) else "New"


def changes_for(
    *,
    user,
    follow: Follow,
    since: datetime.datetime,
    until: datetime.datetime | None = None,
    show_sensitive: bool = True,
) -> FollowChanges:
    """What changed under `follow` in (since, until], newest first (two queries).

    With `show_sensitive` False (email), OFFICIAL-SENSITIVE events the user may see are only
    counted; their text never leaves the database.
    """
    changed = followed_events(user=user, follow=follow).filter(changed_between(since, until))
    official = changed
    sensitive_count = 0
    if not show_sensitive:
        official = access.events_in(access.OFFICIAL, changed)
        sensitive_count = access.sensitive_events(changed).count()
    events = official.select_related(
        "scheme", "candidacy__country", "source", "supersedes"
    ).order_by("-recorded_at", "-id")[:MAX_LISTED]
    cleared = access.sees_sensitive(user)
    changes = [Change(event=event, what=_what(event, since, cleared=cleared)) for event in events]
    return FollowChanges(
        follow=follow, since=since, changes=changes, sensitive_count=sensitive_count
    )


def follows_of(user) -> list[Follow]:
    return list(
        Follow.objects.filter(user=user)
        .select_related("country", "scheme")
        .order_by("kind", "label")
    )


def change_counts(*, user, follows: list[Follow]) -> dict[int, int]:
    """How many things changed under each follow since its last visit: one query for all."""
    if not follows:
        return {}
    events = access.visible_events(user)
    counts = {
        f"f{follow.pk}": Count(
            "pk",
            filter=Q(pk__in=followed_events(user=user, follow=follow).values("pk"))
            & changed_between(follow.last_seen_at),
        )
        for follow in follows
    }
    totals = events.aggregate(**counts)
    return {follow.pk: totals[f"f{follow.pk}"] for follow in follows}


def follow_for(*, user, kind: str, country=None, scheme=None, search: str = "") -> Follow | None:
    if not user.is_authenticated:
        return None
    return Follow.objects.filter(
        user=user, kind=kind, country=country, scheme=scheme, search=search
    ).first()
