"""The page registry (tests/pages.py) lists every URL, and the pages it names answer each role
as it says: the checks that run across all pages cannot silently miss one."""

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.pages import ENDPOINTS, EXTERNAL_NAME_PREFIXES, EXTERNAL_NAMESPACES, PAGE_TYPES


def url_names(patterns=None, namespace: str = "") -> set[str]:
    """Every named URL pattern in the URLconf, as reverse() spells it."""
    names: set[str] = set()
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


def registered() -> list:
    return [*PAGE_TYPES, *ENDPOINTS]


def test_every_url_pattern_is_in_the_page_registry():
    listed = {entry.name for entry in registered()}
    ours = {
        name
        for name in url_names()
        if name.rpartition(":")[0].split(":")[0] not in EXTERNAL_NAMESPACES
        and not name.startswith(tuple(EXTERNAL_NAME_PREFIXES))
    }
    missing = sorted(ours - listed)
    assert not missing, f"add these URLs to tests/pages.py (a page or an endpoint): {missing}"


def test_every_registry_entry_names_a_url_that_exists():
    for entry in registered():
        if getattr(entry, "only_when", "") and not getattr(settings, entry.only_when):
            continue
        reverse(entry.name, args=entry.args)  # NoReverseMatch: renamed or removed


def test_each_name_is_listed_once():
    names = [entry.name for entry in registered()]
    assert len(names) == len(set(names))


CLOSED = [page for page in PAGE_TYPES if page.role not in (None, "viewer")]


@pytest.mark.parametrize("page", PAGE_TYPES, ids=str)
def test_every_page_sends_an_anonymous_visitor_to_sign_in(client, page, db):
    response = client.get(page.url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("page", CLOSED, ids=str)
def test_pages_beyond_a_viewers_role_refuse_a_viewer(client, viewer, page):
    client.force_login(viewer)
    assert client.get(page.url).status_code == 403
