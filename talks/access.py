"""The one clearance gate: who may see and do what in HubTracker.

Everything that decides what a user may see or do lives here, and nowhere else:

- the permission table (`ACTIONS`): each action, the permission that allows it and the group
  that holds it, and `VIEW_ACTIONS`, which action each page (URL name) needs;
- `can(user, action)` / `require(user, action)`, with a message naming the group to ask;
- the two pictures: cleared users see the FULL picture (every event), everyone else the OFFICIAL
  picture (OFFICIAL events only). `picture(user)` says which; `events_in(picture)`,
  `visible_events(user)`, `visible_sources(user)`, `visible_audit_entries(user)`,
  `visible_exports(user)` are the only reads that look at classifications;
- what a candidacy looks like to a user: `seen_status`, `seen_version`, and the checks the
  services make with them (`check_classification`, `check_correction`).

The property the gate keeps (docs/decisions/0010): an uncleared user's answers are the same
whether or not OFFICIAL-SENSITIVE items exist. tests/clearance proves it over HTTP.
"""

import datetime
import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Concatenate, overload

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import HttpRequest, HttpResponseBase
from django.views.generic import RedirectView

from talks.models import (
    AuditEntry,
    Candidacy,
    Classification,
    ExportLog,
    Person,
    Picture,
    Source,
    TalkEvent,
    TalkEventQuerySet,
)

# --- The permission table -----------------------------------------------------------------------


@dataclass(frozen=True)
class Action:
    permission: str  # "app_label.codename"
    does: str  # what the permission lets you do, after "You need the permission to"
    holder: str  # the group to ask to join


READ = "read"
RECORD = "record"
IMPORT = "import"
EXPORT = "export"
HISTORY = "history"
ADD_SOURCE = "add_source"
SEE_SENSITIVE = "see_sensitive"

ACTIONS: dict[str, Action] = {
    READ: Action("talks.view_talkevent", "read HubTracker's pages", "Viewers"),
    RECORD: Action("talks.record_event", "record, correct and retract talk events", "Analysts"),
    IMPORT: Action("talks.import_events", "import talk events from CSV", "Analysts"),
    EXPORT: Action("talks.export_briefing", "export briefings and data", "Managers"),
    HISTORY: Action("talks.view_auditentry", "see the change history", "Analysts or Managers"),
    ADD_SOURCE: Action("talks.add_source", "add sources", "Analysts"),
    SEE_SENSITIVE: Action(
        "talks.view_sensitive", "see or enter OFFICIAL-SENSITIVE items", "security clearance"
    ),
}
SENSITIVE_PERMISSION = ACTIONS[SEE_SENSITIVE].permission

# Every page of the talks app (URL name) and the action it needs. A page missing here is refused
# (`ReadGateMiddleware`) and fails tests/clearance/test_gate.py: nothing is decided by default.
VIEW_ACTIONS: dict[str, str] = {
    "dashboard": READ,
    "dashboard_panel": READ,
    "country_list": READ,
    "country_detail": READ,
    "scheme_list": READ,
    "scheme_detail": READ,
    "event_log": READ,
    "event_new": RECORD,
    "event_new_scheme_wide": RECORD,
    "event_new_choose": RECORD,
    "event_correct": RECORD,
    "event_retract": RECORD,
    "event_import": IMPORT,
    "event_import_confirm": IMPORT,
    "event_import_template": IMPORT,
    "candidacy_history": HISTORY,
    "briefings": EXPORT,
    "briefing_preview": EXPORT,
    "briefing_download": EXPORT,
    "export_log": EXPORT,
    "export_candidacies": EXPORT,
    "export_events": EXPORT,
    # Following, digests and feeds (talks.following, talks.feeds): the reader's own choices.
    "following": READ,
    "follow_add": READ,
    "follow_stop": READ,
    "feed_address": READ,
    "feed_rotate": READ,
    # Feeds carry their reader's key in the address; signed in, they need READ as well.
    "feed_scheme": READ,
    "feed_country": READ,
    "feed_events": READ,
    # Background exports (talks.jobs).
    "job_list": EXPORT,
    "job_detail": EXPORT,
    "job_download": EXPORT,
    "job_start_events": EXPORT,
    "job_start_briefing": EXPORT,
    # The API's own pages for a signed-in user (its endpoints authenticate tokens themselves).
    "api_tokens": READ,
    "api_token_revoke": READ,
    "api_docs": READ,
    "api_openapi": READ,
    "api_root": READ,
    "api-root": READ,
}
# Whole modules decided at once: the API's endpoints (token or session), all READ.
VIEW_MODULE_ACTIONS = {"ninja.": READ, "talks.api.": READ}
# Pages that need no talks permission, only (at most) a signed-in user: signing in and out, one's
# own account and second factor, health. Named here, or by the module that serves them.
OPEN_VIEWS = frozenset(
    {
        "login",
        "logout",
        "signed_out",
        "account",
        "account_login",
        "admin_sign_in",
        "digest_unsubscribe",
        "healthz",
        "bench_constant",
    }
)
OPEN_VIEW_MODULES = ("allauth.", "hubtracker.accounts.")


def action_for_view(url_name: str | None, view_func: Callable[..., object]) -> str | None:
    """The action a page needs; "" for pages open to any signed-in user; None when undecided."""
    if url_name in VIEW_ACTIONS:
        return VIEW_ACTIONS[url_name]
    served_by = getattr(view_func, "view_class", view_func)
    module = getattr(served_by, "__module__", "") or ""
    if url_name in OPEN_VIEWS or module.startswith(OPEN_VIEW_MODULES):
        return ""
    for prefix, action in VIEW_MODULE_ACTIONS.items():
        if module.startswith(prefix) or (view_func.__module__ or "").startswith(prefix):
            return action
    if isinstance(served_by, type) and issubclass(served_by, RedirectView):
        return ""  # only sends the browser elsewhere, where that page's own rule applies
    return None


def action_for_permission(permission: str) -> str | None:
    return next((name for name, a in ACTIONS.items() if a.permission == permission), None)


def missing_permission_message(action: str) -> str:
    """What a 403 says: the permission that is missing and the group that has it."""
    known = ACTIONS.get(action) or ACTIONS.get(action_for_permission(action) or "")
    if known is None:
        return f"You need the permission {action}, which an administrator can give you."
    if known.permission == SENSITIVE_PERMISSION:
        return f"You need clearance to {known.does} (permission {known.permission})."
    return (
        f"You need the permission to {known.does} ({known.permission}): ask to join the "
        f"{known.holder} group."
    )


def can(user: Person, action: str) -> bool:
    """May `user` do `action` (a name in ACTIONS, or a permission code)?"""
    known = ACTIONS.get(action)
    permission = known.permission if known else action
    return bool(user and user.is_authenticated and user.has_perm(permission))


def require(user: Person, action: str) -> None:
    """Raise PermissionDenied naming the missing permission and its group, unless allowed."""
    if not can(user, action):
        raise PermissionDenied(missing_permission_message(action))


def requires[Q: HttpRequest, **P, R](
    *actions: str,
) -> Callable[[Callable[Concatenate[Q, P], R]], Callable[Concatenate[Q, P], R]]:
    """View decorator: every action in `actions` is required (checked before the view runs)."""

    def decorator(view: Callable[Concatenate[Q, P], R]) -> Callable[Concatenate[Q, P], R]:
        @functools.wraps(view)
        def wrapped(request: Q, /, *args: P.args, **kwargs: P.kwargs) -> R:
            for action in actions:
                require(request.user, action)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


class ReadGateMiddleware:
    """Every talks page needs the action VIEW_ACTIONS names; an undeclared page is refused.

    Runs after authentication and LoginRequiredMiddleware (anonymous users are sent to sign in
    first). Admin pages keep the admin's own checks, plus the gate's querysets (talks.admin).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., object],
        view_args: object,
        view_kwargs: object,
    ) -> None:
        match = request.resolver_match
        if match is None or "admin" in match.namespaces or not request.user.is_authenticated:
            return None
        name = match.url_name
        action = action_for_view(name, view_func)
        if action is None:
            raise PermissionDenied(
                f"This page ({name}) has no entry in the permission table, so nobody may open it."
            )
        if action:
            require(request.user, action)
        return None


class NoStoreMiddleware:
    """`Cache-Control: private, no-store` on every answer to a signed-in user (or the stricter
    of the two: `private, no-cache` where a view asks to be revalidated, as the API does).

    Pages and files may hold OFFICIAL-SENSITIVE material: no shared browser cache or proxy may
    keep them. Static files (served before this, by WhiteNoise) keep their long cache headers.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not _revalidated(response):
            response["Cache-Control"] = "private, no-store"
            response["Pragma"] = "no-cache"
        return response


def _revalidated(response: HttpResponseBase) -> bool:
    """Already `private, no-cache` (the API's ETags): kept by the browser alone, never used
    without asking the server first, which answers 304 only to the same user."""
    directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
    return {"private", "no-cache"} <= directives


# --- The two pictures ---------------------------------------------------------------------------

FULL = Picture.FULL
OFFICIAL = Picture.OFFICIAL


def sees_sensitive(user: Person) -> bool:
    return can(user, SEE_SENSITIVE)


def picture(user: Person) -> str:
    """FULL for users cleared for OFFICIAL-SENSITIVE items, OFFICIAL for everyone else."""
    return FULL if sees_sensitive(user) else OFFICIAL


@overload
def events_in(picture_name: str, events: None = None) -> TalkEventQuerySet: ...
@overload
def events_in[E: QuerySet[TalkEvent]](picture_name: str, events: E) -> E: ...
def events_in(picture_name: str, events: QuerySet[TalkEvent] | None = None) -> QuerySet[TalkEvent]:
    """The events a picture is made of (`events` narrowed, of the same queryset type, or every
    event)."""
    events = TalkEvent.objects.all() if events is None else events
    if picture_name == FULL:
        return events
    return events.filter(classification=Classification.OFFICIAL)


@overload
def visible_events(user: Person, events: None = None) -> TalkEventQuerySet: ...
@overload
def visible_events[E: QuerySet[TalkEvent]](user: Person, events: E) -> E: ...
def visible_events(user: Person, events: QuerySet[TalkEvent] | None = None) -> QuerySet[TalkEvent]:
    """The events `user` may see (`events` narrowed, of the same queryset type, or every event)."""
    return events_in(picture(user), events)


def is_visible(user: Person, event: TalkEvent | None) -> bool:
    """May `user` see this event?"""
    return event is not None and (sees_sensitive(user) or is_visible_event(event))


def visible_related(user: Person, event: TalkEvent, relation: str) -> TalkEvent | None:
    """`event.<relation>` (its correction or the event it corrects) if `user` may see it."""
    related = getattr(event, relation, None)
    return related if is_visible(user, related) else None


def is_visible_event(event: TalkEvent | None) -> bool:
    """Is this event part of the OFFICIAL picture (visible to every reader)?"""
    return event is not None and event.classification == Classification.OFFICIAL


def sensitive_events(events: QuerySet[TalkEvent] | None = None) -> QuerySet[TalkEvent]:
    """The OFFICIAL-SENSITIVE events (for marking what holds them, never to show)."""
    events = TalkEvent.objects.all() if events is None else events
    return events.filter(classification=Classification.OFFICIAL_SENSITIVE)


def is_sensitive_classification(classification: str) -> bool:
    return classification == Classification.OFFICIAL_SENSITIVE


def visible_sources(user: Person, sources: QuerySet[Source] | None = None) -> QuerySet[Source]:
    """Sources a user may see or pick: for the uncleared, not those cited only by sensitive events.

    A source no event cites yet is visible to everyone (a source says nothing by itself).
    """
    sources = Source.objects.all() if sources is None else sources
    if sees_sensitive(user):
        return sources
    cited = TalkEvent.objects.filter(source=OuterRef("pk"))
    sensitive = cited.filter(classification=Classification.OFFICIAL_SENSITIVE)
    official = cited.filter(classification=Classification.OFFICIAL)
    return sources.exclude(Exists(sensitive) & ~Exists(official))


def visible_audit_entries(
    user: Person, entries: QuerySet[AuditEntry] | None = None
) -> QuerySet[AuditEntry]:
    """Audit rows a user may read: for the uncleared, only rows about OFFICIAL events."""
    entries = AuditEntry.objects.all() if entries is None else entries
    if sees_sensitive(user):
        return entries
    return entries.filter(event__classification=Classification.OFFICIAL)


def visible_exports(user: Person, logs: QuerySet[ExportLog] | None = None) -> QuerySet[ExportLog]:
    """Export log rows a user may read: for the uncleared, exports that held nothing sensitive."""
    logs = ExportLog.objects.all() if logs is None else logs
    if sees_sensitive(user):
        return logs
    return logs.filter(included_sensitive=False)


def official_only_q(prefix: str = "") -> Q:
    """A Q object selecting OFFICIAL rows through the relation `prefix` (e.g. "event__")."""
    return Q(**{f"{prefix}classification": Classification.OFFICIAL})


# --- A candidacy as a user sees it --------------------------------------------------------------


def seen_status(user: Person, candidacy: Candidacy | None) -> str:
    """The candidacy's status today as `user` sees it (the cached columns of their picture). On
    a past date it is the status rule's: `selectors.status.seen_status_on`."""
    if candidacy is None:
        return ""
    return candidacy.status if sees_sensitive(user) else candidacy.official_status


def seen_since(user: Person, candidacy: Candidacy) -> datetime.date | None:
    return candidacy.status_since if sees_sensitive(user) else candidacy.official_status_since


@overload
def seen_version(user: Person, candidacy: Candidacy) -> int: ...
@overload
def seen_version(user: Person, candidacy: None) -> None: ...
@overload
def seen_version(user: Person, candidacy: Candidacy | None) -> int | None: ...
def seen_version(user: Person, candidacy: Candidacy | None) -> int | None:
    """The version a user's form carries: every write for the cleared, OFFICIAL ones otherwise."""
    if candidacy is None:
        return None
    return candidacy.version if sees_sensitive(user) else candidacy.official_version


def version_field(user) -> str:
    """The candidacy column that grows with every write `user` can see (`seen_version`'s)."""
    return "version" if sees_sensitive(user) else "official_version"


# --- Audit rows as a reader sees them -----------------------------------------------------------


@dataclass(frozen=True)
class SeenAudit:
    """What one audit row says to one reader."""

    action: str  # the action's label
    status_before: str
    status_after: str
    version_after: int | None
    detail: str
    full_picture_note: str


def seen_audit(user: Person, row: AuditEntry) -> SeenAudit:
    """An audit row at the reader's clearance (only call it for rows `visible_audit_entries` gave).

    Cleared readers get the full picture. Everyone else gets the OFFICIAL picture's statuses and
    version; an OFFICIAL-SENSITIVE event corrected into an OFFICIAL one reads as a new record,
    with nothing about the event it replaced.
    """
    return seen_audit_at(sees_sensitive(user), row)


def seen_audit_at(cleared: bool, row: AuditEntry) -> SeenAudit:
    """`seen_audit` for a reader whose clearance is already known (the admin annotates it)."""
    from talks.models import AuditAction

    if cleared:
        return SeenAudit(
            action=row.get_action_display(),
            status_before=row.status_before,
            status_after=row.status_after,
            version_after=row.version_after,
            detail=row.detail,
            full_picture_note=row.full_picture_note,
        )
    original = getattr(row.event, "supersedes", None)
    declassified = row.action == AuditAction.CORRECTED and not is_visible_event(original)
    legacy = row.candidacy_id is not None and row.official_version_after is None
    return SeenAudit(
        action=AuditAction.RECORDED.label if declassified else row.get_action_display(),
        status_before="" if legacy else row.official_status_before,
        status_after=row.event.new_status if legacy else row.official_status_after,
        version_after=row.official_version_after,
        detail="" if declassified else row.detail,
        full_picture_note="",
    )


# --- Checks the services make -------------------------------------------------------------------


def check_classification(user: Person, classification: str) -> None:
    """Only cleared users may enter (or act on) OFFICIAL-SENSITIVE items."""
    if is_sensitive_classification(classification):
        require(user, SEE_SENSITIVE)


CORRECTION_REFUSED = (
    "An OFFICIAL event cannot be corrected into an OFFICIAL-SENSITIVE one: people without "
    "clearance would see it vanish. Record a separate OFFICIAL-SENSITIVE event, and retract the "
    "OFFICIAL one if it is wrong."
)


def check_correction(original: TalkEvent, new_classification: str) -> str | None:
    """Why a correction may not change this classification, or None if it may."""
    if not original.is_sensitive and is_sensitive_classification(new_classification):
        return CORRECTION_REFUSED
    return None


def cited_hidden_source(user: Person, source: Source | None) -> bool:
    """True when `user` names a source they may not see (refuse as if it did not exist)."""
    return source is not None and not visible_sources(user).filter(pk=source.pk).exists()


def source_with_url(user: Person, url: str) -> Source | None:
    """The source with this URL that `user` may see (look-ups never reveal hidden sources)."""
    if not url:
        return None
    return visible_sources(user).filter(url=url).order_by("pk").first()
