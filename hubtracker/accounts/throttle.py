"""Hooks that django-axes calls: whose failed sign-ins a request counts towards."""

from django.http import HttpRequest

from hubtracker.accounts.usernames import lockout_key


def username_for_lockout(request: HttpRequest, credentials: dict | None) -> str:
    """The normalised username from the credentials given to authenticate(), else the form."""
    username = (credentials or {}).get("username")
    if username is None:
        data = getattr(request, "POST", {})
        username = data.get("login") or data.get("username") or ""
    return lockout_key(str(username))
