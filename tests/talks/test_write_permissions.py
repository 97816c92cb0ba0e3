"""Who may write: every write endpoint against anonymous, viewer, analyst and manager.

Viewers and managers get a 403 that names the missing permission; anonymous users go to the
sign-in page; analysts succeed. The services refuse the same users on their own.
"""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from talks.services.events import add_source
from talks.services.imports import run_import
from tests.factories import CandidacyFactory, add_event

pytestmark = pytest.mark.django_db

CSV = "country,date,kind,title\nKosovo,2025-06-01,meeting,Matrix meeting\n"


@pytest.fixture
def kosovo(cleared_analyst):
    candidacy = CandidacyFactory(
        scheme__slug="uk-return-hubs-2025", country__name="Kosovo", country__slug="kosovo"
    )
    add_event(candidacy, cleared_analyst, occurred_on=datetime.date(2025, 5, 16), new_status="open")
    candidacy.refresh_from_db()
    return candidacy


def event_data(kosovo) -> dict:
    return {
        "day": "1",
        "month": "6",
        "year": "2025",
        "precision": "day",
        "kind": "meeting",
        "title": "Matrix meeting",
        "source_mode": "none",
        "classification": "official",
        "new_status": "",
        "version": str(kosovo.version),
    }


def endpoints(kosovo) -> dict:
    scheme, country = kosovo.scheme.slug, kosovo.country.slug
    event = kosovo.events.get()
    return {
        "event_new": (reverse("event_new", args=[scheme, country]), event_data(kosovo)),
        "event_new_scheme_wide": (
            reverse("event_new_scheme_wide", args=[scheme]),
            {**event_data(kosovo), "version": ""},
        ),
        "event_correct": (reverse("event_correct", args=[event.pk]), event_data(kosovo)),
        "event_retract": (
            reverse("event_retract", args=[event.pk]),
            {"reason": "Wrong", "version": kosovo.version},
        ),
        "event_import": (
            reverse("event_import", args=[scheme]),
            lambda: {"file": SimpleUploadedFile("e.csv", CSV.encode(), "text/csv")},
        ),
        "event_import_template": (reverse("event_import_template"), None),
    }


ROLES = ["anonymous", "viewer", "analyst", "manager"]
CALLS = [
    (name, method)
    for name in ("event_new", "event_new_scheme_wide", "event_correct", "event_retract")
    + ("event_import",)
    for method in ("get", "post")
] + [("event_import_template", "get")]


def log_in(client, role, request):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "method"), CALLS)
def test_write_endpoints_by_role(client, kosovo, request, role, name, method):
    url, data = endpoints(kosovo)[name]
    log_in(client, role, request)
    payload = data() if callable(data) else data
    response = client.get(url) if method == "get" else client.post(url, payload)
    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    elif role in ("viewer", "manager"):
        assert response.status_code == 403
        assert "talks." in response.content.decode()
        assert "Analysts group" in response.content.decode()
    else:
        assert response.status_code in (200, 302), response.content.decode()[:2000]
        if method == "post" and name != "event_import":
            assert response.status_code == 302  # saved, then redirected


@pytest.mark.parametrize("role", ROLES)
def test_import_confirm_by_role(client, kosovo, request, role):
    analyst_client = client.__class__()
    analyst_client.force_login(request.getfixturevalue("analyst"))
    file = SimpleUploadedFile("e.csv", CSV.encode(), "text/csv")
    preview = analyst_client.post(
        reverse("event_import", args=[kosovo.scheme.slug]), {"file": file}
    )
    digest = preview.context["digest"]
    url = reverse("event_import_confirm", args=[kosovo.scheme.slug])
    if role == "analyst":
        response = analyst_client.post(url, {"sha256": digest})
        assert response.status_code == 302
        assert kosovo.events.filter(title="Matrix meeting").exists()
        return
    log_in(client, role, request)
    response = client.post(url, {"sha256": digest})
    expected = 302 if role == "anonymous" else 403
    assert response.status_code == expected
    assert not kosovo.events.filter(title="Matrix meeting").exists()


def test_writes_refuse_get_on_post_only_endpoints(client, analyst, kosovo):
    client.force_login(analyst)
    url = reverse("event_import_confirm", args=[kosovo.scheme.slug])
    assert client.get(url).status_code == 405


def test_the_services_refuse_viewers_and_managers_on_their_own(kosovo, viewer, manager):
    for user in (viewer, manager):
        with pytest.raises(PermissionDenied):
            run_import(scheme=kosovo.scheme, text=CSV, by=user, commit=True)
        with pytest.raises(PermissionDenied):
            add_source(outlet="X", reliability="B", by=user)
    assert not kosovo.events.filter(title="Matrix meeting").exists()
