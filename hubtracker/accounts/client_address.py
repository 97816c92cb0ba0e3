"""The address a request really comes from, behind the configured trusted proxies only."""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _networks() -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    return [ipaddress.ip_network(entry, strict=False) for entry in settings.TRUSTED_PROXIES]


def _is_trusted(address: str, networks) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def _valid(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def client_address(request: HttpRequest) -> str | None:
    """REMOTE_ADDR, or, when that is a trusted proxy, the nearest X-Forwarded-For entry that is
    not one. Entries left of the first untrusted one were written by the client and are ignored,
    so a forged header cannot choose the address a lockout is counted against. None when the
    request has no address (a request built in code); with TRUSTED_PROXIES set, a request without
    REMOTE_ADDR came over a Unix socket from the local proxy, so its header is read."""
    remote = _valid(request.META.get("REMOTE_ADDR", ""))
    networks = _networks()
    if not networks or (remote is not None and not _is_trusted(remote, networks)):
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    for hop in reversed(hops):
        if not _is_trusted(hop, networks):
            # Garbage from the client: count it against the proxy's hop.
            return _valid(hop) or remote
    return remote
