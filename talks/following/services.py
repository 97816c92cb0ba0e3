"""Writes for following: follow, stop following, note a visit, choose or stop digests."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.core import signing
from django.db import IntegrityError, transaction
from django.http import QueryDict
from django.utils import timezone

from countries.models import Country
from talks.following.models import DigestSettings, Follow, FollowKind, Frequency
from talks.following.selectors import FollowChanges, changes_for, follow_for, normalise_search
from talks.forms.event_log import EventLogFilters
from talks.models import Scheme

UNSUBSCRIBE_SALT = "talks.following.unsubscribe"
MAX_FOLLOWS = 100


class TooManyFollows(Exception):
    pass


def search_label(search: str) -> str:
    """Words for a saved search: 'Search: kosovo; Country: Kosovo; Kind: Meeting'."""
    form = EventLogFilters(QueryDict(search))
    form.is_valid()
    parts = []
    for name, value in form.cleaned_data.items():
        if value in (None, "", False):
            continue
        field = form.fields[name]
        shown = dict(getattr(field, "choices", [])).get(value, value)
        parts.append(f"{field.label or name.replace('_', ' ').capitalize()}: {shown}")
    return "; ".join(parts) or "All events"


@dataclass
class _Target:
    """What a follow points at: one of a country, a scheme or a normalised search."""

    kind: str
    country: Country | None = None
    scheme: Scheme | None = None
    search: str = ""

    def lookup(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "country": self.country,
            "scheme": self.scheme,
            "search": self.search,
        }


def follow(
    *,
    user: User,
    country: Country | None = None,
    scheme: Scheme | None = None,
    search: QueryDict | None = None,
) -> Follow:
    """Follow a country, a scheme or an event-log search (a QueryDict); idempotent."""
    target = _Target(kind=FollowKind.SEARCH, country=country, scheme=scheme)
    if country is not None:
        target.kind, label = FollowKind.COUNTRY, country.name
    elif scheme is not None:
        target.kind, label = FollowKind.SCHEME, scheme.name
    else:
        target.search = normalise_search(search or QueryDict())
        label = search_label(target.search)
    existing = follow_for(user=user, **target.lookup())
    if existing:
        return existing
    if Follow.objects.filter(user=user).count() >= MAX_FOLLOWS:
        raise TooManyFollows(f"You can follow up to {MAX_FOLLOWS} things. Stop following some.")
    try:
        with transaction.atomic():
            return Follow.objects.create(
                user=user, label=label[:300], last_seen_at=timezone.now(), **target.lookup()
            )
    except IntegrityError:  # followed at the same moment in another tab
        followed = follow_for(user=user, **target.lookup())
        assert followed is not None  # the row the other tab wrote
        return followed


def stop_following(*, user, follow_id: int) -> bool:
    deleted, _ = Follow.objects.filter(user=user, pk=follow_id).delete()
    return bool(deleted)


def note_visit(*, user, follow: Follow | None) -> FollowChanges | None:
    """What changed since the user last looked at a followed page; then mark it seen."""
    if follow is None:
        return None
    now = timezone.now()
    changes = changes_for(user=user, follow=follow, since=follow.last_seen_at, until=now)
    Follow.objects.filter(pk=follow.pk).update(last_seen_at=now)
    return changes


def digest_settings_for(user) -> DigestSettings:
    settings, _ = DigestSettings.objects.get_or_create(user=user)
    return settings


def set_frequency(*, user, frequency: str) -> DigestSettings:
    settings = digest_settings_for(user)
    settings.frequency = Frequency(frequency)
    if frequency != Frequency.OFF:
        settings.unsubscribed_at = None
    settings.save()
    return settings


def unsubscribe_token(user) -> str:
    """A signed token naming the user: the same in every digest, so old emails' links work."""
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign(str(user.pk))


def user_id_from_token(token: str) -> int | None:
    try:
        value = signing.Signer(salt=UNSUBSCRIBE_SALT).unsign(token)
    except signing.BadSignature:
        return None
    return int(value) if value.isdigit() else None


def unsubscribe(*, user_id: int, now: datetime.datetime | None = None) -> bool:
    """Stop a user's digests (the signed link's action); True if the user exists."""
    settings = DigestSettings.objects.filter(user_id=user_id).first()
    if settings is None:
        return False
    settings.frequency = Frequency.OFF
    settings.unsubscribed_at = now or timezone.now()
    settings.save(update_fields=["frequency", "unsubscribed_at", "changed_at"])
    return True


def page_visit(request, **target) -> dict:
    """Context for a followed page: what changed since the last visit (then marked seen).

    Only a whole-page visit counts; htmx fragments of the page (paging a timeline) do not."""
    if request.htmx or not request.user.is_authenticated:
        return {}
    if "search" in target:
        target = {"kind": FollowKind.SEARCH, "search": normalise_search(target["search"])}
    elif "country" in target:
        target = {"kind": FollowKind.COUNTRY, **target}
    else:
        target = {"kind": FollowKind.SCHEME, **target}
    followed = follow_for(user=request.user, **target)
    return {"changes_since_visit": note_visit(user=request.user, follow=followed)}
