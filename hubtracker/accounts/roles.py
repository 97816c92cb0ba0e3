"""Roles from the identity provider's claims: which groups and clearance a claim value gives.

OIDC_ROLE_MAP is a comma-separated list of `value=role`, role one of Viewers, Analysts,
Managers or clearance (the permission to see OFFICIAL-SENSITIVE items). A value may appear
more than once to give several roles. The map is applied at every sign-in: the user's role
groups and clearance become exactly what the claim gives now; other groups are left alone.

The account area gives and shows clearance but does not decide what it lets a user see: the app
that owns the permission names it at start-up (`use_clearance_permission`, called by talks' app
config with the gate's permission), so accounts never import that app.
"""

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, Group, Permission, User
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

ROLE_GROUPS = ("Viewers", "Analysts", "Managers")
CLEARANCE = "clearance"

_clearance_permission: str | None = None


def use_clearance_permission(permission: str) -> None:
    """Name the permission ("app_label.codename") the clearance role gives."""
    global _clearance_permission
    _clearance_permission = permission


def clearance_permission() -> str:
    if _clearance_permission is None:
        raise ImproperlyConfigured(
            "No app has named the clearance permission (use_clearance_permission at start-up)."
        )
    return _clearance_permission


def is_cleared(user: User | AnonymousUser) -> bool:
    """Does the user hold the clearance permission (the account page shows it)?"""
    return user.is_authenticated and user.has_perm(clearance_permission())


def parse_role_map(text: str) -> dict[str, set[str]]:
    """`"hub-viewers=Viewers, hub-cleared=clearance"` -> {"hub-viewers": {"Viewers"}, ...}."""
    role_map: dict[str, set[str]] = {}
    for entry in (part.strip() for part in text.split(",")):
        if not entry:
            continue
        value, sep, role = (piece.strip() for piece in entry.rpartition("="))
        if not sep or not value or role not in (*ROLE_GROUPS, CLEARANCE):
            raise ImproperlyConfigured(
                f"OIDC_ROLE_MAP entry {entry!r} must be value=role, role one of "
                f"{', '.join(ROLE_GROUPS)} or {CLEARANCE}."
            )
        role_map.setdefault(value, set()).add(role)
    return role_map


def claim_values(claims: dict, claim: str) -> set[str]:
    """The claim's values: a list of strings, or one string (space-separated)."""
    value = claims.get(claim)
    if isinstance(value, str):
        return set(value.split())
    if isinstance(value, list | tuple):
        return {str(item) for item in value}
    return set()


def roles_from_claims(claims: dict) -> set[str]:
    role_map = parse_role_map(settings.OIDC_ROLE_MAP)
    roles: set[str] = set()
    for value in claim_values(claims, settings.OIDC_ROLES_CLAIM):
        roles |= role_map.get(value, set())
    return roles


@transaction.atomic
def apply_roles(user, roles: set[str]) -> None:
    """Make the user's role groups and clearance exactly `roles`."""
    wanted = Group.objects.filter(name__in=roles & set(ROLE_GROUPS))
    user.groups.remove(*user.groups.filter(name__in=ROLE_GROUPS).exclude(pk__in=wanted))
    user.groups.add(*wanted)
    app_label, _, codename = clearance_permission().partition(".")
    clearance = Permission.objects.get(content_type__app_label=app_label, codename=codename)
    if CLEARANCE in roles:
        user.user_permissions.add(clearance)
    else:
        user.user_permissions.remove(clearance)
    for cache in ("_perm_cache", "_user_perm_cache", "_group_perm_cache"):
        user.__dict__.pop(cache, None)
