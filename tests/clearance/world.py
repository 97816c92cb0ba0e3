"""The two worlds the non-interference test compares.

Both hold the same OFFICIAL data: the demo set, plus whatever the crawl itself writes. The
"sensitive" world also holds canaries that a cleared analyst and a cleared manager add:
OFFICIAL-SENSITIVE events (with status moves, back-dated ones too), a source only they cite,
a sensitive correction, a sensitive retraction, a sensitive event corrected into an OFFICIAL one,
and exports that held sensitive material. Every canary text contains CANARY.

Row ids must match between the worlds, so the "official" world runs every sensitive step too and
then erases what it wrote (`sensitive_step`): the ids stay used, as they would be in production
where a sensitive row sits between two official ones, and every other row is the same.
"""

import datetime
from contextlib import contextmanager

from django.contrib.auth.models import Group, Permission

from talks.models import AuditEntry, Candidacy, ExportLog, Source, TalkEvent
from tests.factories import UserFactory
from tests.groups import ensure_groups

SCHEME = "uk-return-hubs-2025"
CANARY = "CANARY"
SENSITIVE_SOURCE_URL = "https://canary.example/belgrade-talks"

# Uncleared roles crawled by the test: username -> (group or None, staff, model permissions).
STAFF_PERMISSIONS = [
    ("talks", "view_scheme"),
    ("talks", "view_candidacy"),
    ("talks", "view_source"),
    ("talks", "view_talkevent"),
    ("talks", "view_auditentry"),
    ("talks", "view_exportlog"),
    ("countries", "view_country"),
]
UNCLEARED = {
    "viewer": ("Viewers", False, []),
    "analyst": ("Analysts", False, []),
    "manager": ("Managers", False, []),
    "staff": (None, True, STAFF_PERMISSIONS),
    "nogroup": (None, False, []),
}


def _permission(app_label: str, codename: str) -> Permission:
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def make_users() -> dict:
    if not Group.objects.filter(name="Analysts").exists():
        ensure_groups()
    users = {}
    for username, (group, staff, perms) in UNCLEARED.items():
        user = UserFactory(username=f"nonint-{username}", is_staff=staff)
        if group:
            user.groups.add(Group.objects.get(name=group))
        user.user_permissions.add(*(_permission(*perm) for perm in perms))
        users[username] = user
    cleared = _permission("talks", "view_sensitive")
    for username, group in [("cleared_analyst", "Analysts"), ("cleared_manager", "Managers")]:
        user = UserFactory(username=f"nonint-{username}")
        user.groups.add(Group.objects.get(name=group))
        user.user_permissions.add(cleared)
        users[username] = user
    return users


_ERASED = [AuditEntry, ExportLog, TalkEvent, Source]
_CACHED = [
    "status",
    "status_since",
    "official_status",
    "official_status_since",
    "version",
    *[
        f.name
        for f in Candidacy._meta.concrete_fields
        if f.name.startswith("official_") and f.name not in ("official_status",)
    ],
]


@contextmanager
def sensitive_step(world_is_sensitive: bool):
    """Run a sensitive write; in the official world, erase it afterwards (ids stay used)."""
    marks = {
        model: model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        for model in _ERASED
    }
    fields = sorted(set(_CACHED))
    saved = {row["pk"]: row for row in Candidacy.objects.values("pk", *fields)}
    yield
    if world_is_sensitive:
        return
    TalkEvent.objects.filter(superseded_by__pk__gt=marks[TalkEvent]).update(superseded_by=None)
    for model in _ERASED:
        model.objects.filter(pk__gt=marks[model]).delete()
    for pk, row in saved.items():
        Candidacy.objects.filter(pk=pk).update(**{k: v for k, v in row.items() if k != "pk"})


def candidacy(country_slug: str) -> Candidacy:
    return Candidacy.objects.get(scheme__slug=SCHEME, country__slug=country_slug)


def event(title: str) -> TalkEvent:
    return TalkEvent.objects.get(title=title)


DAY = datetime.date
