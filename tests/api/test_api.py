"""The read API: what each address answers, errors as JSON, ETags, statuses on a date."""

import datetime
import time
from unittest import mock

import pytest
from django.test import override_settings
from openapi_spec_validator import validate

from countries.models import MigrationRoute, RouteFigure
from talks.api.models import ApiToken
from talks.api.tokens import revoke_token
from talks.models import Classification
from talks.rules.statuses import Status
from tests.api.helpers import API, api_get, bearer, token_for, walk
from tests.factories import CandidacyFactory, SourceFactory, UserFactory, add_event

pytestmark = pytest.mark.django_db

MAY_16 = datetime.date(2025, 5, 16)
OCT_21 = datetime.date(2025, 10, 21)


@pytest.fixture
def kosovo(cleared_analyst):
    candidacy = CandidacyFactory(
        country__name="Kosovo", country__slug="kosovo", country__code="XKX", scheme__slug="uk"
    )
    add_event(candidacy, cleared_analyst, occurred_on=MAY_16, new_status=Status.OPEN)
    add_event(candidacy, cleared_analyst, occurred_on=OCT_21, new_status=Status.EXPLORATORY)
    return candidacy


@pytest.fixture
def token(viewer):
    return token_for(viewer)


def json_error(response, status: int, code: str) -> dict:
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["error"] == code and body["message"]
    return body


# Candidacies: the one status rule, on any date ------------------------------------------------


@pytest.mark.parametrize(
    ("as_of", "status", "since"),
    [
        ("2025-05-15", None, None),
        ("2025-05-16", "open", "2025-05-16"),
        ("2025-10-20", "open", "2025-05-16"),
        ("2025-10-21", "exploratory", "2025-10-21"),
    ],
)
def test_candidacies_give_the_status_on_the_date_asked(client, kosovo, token, as_of, status, since):
    body = api_get(client, "/candidacies", token, scheme="uk", as_of=as_of).json()
    assert [(c["country"], c["status"], c["status_since"]) for c in body["items"]] == [
        ("kosovo", status, since)
    ]


def test_candidacies_default_to_today(client, kosovo, token, today):
    item = api_get(client, "/candidacies", token).json()["items"][0]
    assert item["as_of"] == today.isoformat()
    assert item["status"] == "exploratory"


def test_an_uncleared_token_does_not_see_a_status_set_by_a_sensitive_event(
    client, kosovo, cleared_analyst, viewer, token
):
    add_event(
        kosovo,
        cleared_analyst,
        occurred_on=datetime.date(2025, 11, 1),
        new_status=Status.NEGOTIATING,
        classification=Classification.OFFICIAL_SENSITIVE,
    )
    seen = api_get(client, "/candidacies", token).json()["items"][0]["status"]
    cleared = api_get(client, "/candidacies", token_for(cleared_analyst)).json()["items"][0]
    assert (seen, cleared["status"]) == ("exploratory", "negotiating")


# Each address ---------------------------------------------------------------------------------


def test_each_list_answers_with_items_and_a_cursor(client, kosovo, token):
    SourceFactory()
    for path in ["/schemes", "/countries", "/candidacies", "/events", "/sources", "/routes"]:
        body = api_get(client, path, token).json()
        assert set(body) == {"items", "next_cursor"}, path


def test_single_items_by_slug_or_id(client, kosovo, token):
    event = kosovo.events.first()
    assert api_get(client, "/schemes/uk", token).json()["slug"] == "uk"
    assert api_get(client, "/countries/kosovo", token).json()["code"] == "XKX"
    assert api_get(client, f"/events/{event.pk}", token).json()["title"] == event.title


def test_a_sensitive_event_is_not_found_for_an_uncleared_token(
    client, kosovo, cleared_analyst, token
):
    secret = add_event(kosovo, cleared_analyst, classification=Classification.OFFICIAL_SENSITIVE)
    json_error(api_get(client, f"/events/{secret.pk}", token), 404, "not_found")
    cleared = api_get(client, f"/events/{secret.pk}", token_for(cleared_analyst))
    assert cleared.json()["classification"] == "official_sensitive"


def test_route_figures(client, token):
    route = MigrationRoute.objects.create(name="Western Balkans route", slug="western-balkans")
    RouteFigure.objects.create(route=route, year=2024, count=21_520, source_name="Frontex")
    body = api_get(client, "/routes/western-balkans", token).json()
    assert [(f["year"], f["count"]) for f in body["figures"]] == [(2024, 21_520)]


# Errors: JSON, with a message, never a 500 or an HTML page ------------------------------------


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("/events", {"kind": "gossip"}, "kind"),
        ("/events", {"status": "maybe"}, "status"),
        ("/events", {"scheme": "no-such-scheme"}, "scheme"),
        ("/events", {"country": "atlantis"}, "country"),
        ("/events", {"date_from": "yesterday"}, "date_from"),
        ("/events", {"date_from": "2025-02-30"}, "date_from"),
        ("/events", {"date_from": "2025-06-01", "date_to": "2025-01-01"}, "date_to"),
        ("/events", {"date_to": "1066-10-14"}, "date_to"),
        ("/events", {"sort": "colour"}, "sort"),
        ("/events", {"order": "sideways"}, "order"),
        ("/events", {"q": "x" * 201}, "q"),
        ("/events", {"current_only": "perhaps"}, "current_only"),
        ("/events", {"limit": "0"}, "limit"),
        ("/events", {"limit": "201"}, "limit"),
        ("/events", {"limit": "ten"}, "limit"),
        ("/events", {"cursor": "not-a-cursor"}, "cursor"),
        ("/candidacies", {"as_of": "01/06/2025"}, "as_of"),
        ("/candidacies", {"scheme": "nope"}, "scheme"),
        ("/events/not-a-number", {}, "event_id"),
        ("/events/0", {}, "event_id"),
        ("/events/99999999999999999999", {}, "event_id"),
    ],
)
def test_a_bad_parameter_gets_a_json_400_naming_it(client, kosovo, token, path, params, field):
    body = json_error(api_get(client, path, token, **params), 400, "bad_parameter")
    assert field in body["fields"] and body["fields"][field][0]
    assert field in body["message"]


def test_a_cursor_from_another_query_is_refused(client, kosovo, cleared_analyst, token):
    for day in range(1, 4):
        add_event(kosovo, cleared_analyst, occurred_on=datetime.date(2025, 12, day))
    cursor = api_get(client, "/events", token, limit=1).json()["next_cursor"]
    response = api_get(client, "/events", token, limit=1, sort="title", cursor=cursor)
    assert "another query" in json_error(response, 400, "bad_parameter")["message"]


@pytest.mark.parametrize("path", ["/nothing", "/events/12345", "/schemes/none", "/../admin/"])
def test_unknown_addresses_get_a_json_404(client, token, path):
    json_error(client.get(f"{API}{path}", headers=bearer(token)), 404, "not_found")


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_the_api_is_read_only(client, token, method):
    response = getattr(client, method)(f"{API}/events", headers=bearer(token))
    json_error(response, 405, "method_not_allowed")


def test_without_a_token_the_answer_is_a_json_401_not_a_sign_in_page(client):
    body = json_error(client.get(f"{API}/events"), 401, "not_authenticated")
    assert "Bearer" in body["message"]


def test_a_malformed_authorization_header_gets_a_json_401(client):
    response = client.get(f"{API}/events", headers={"Authorization": "Basic dXNlcjpwYXNz"})
    assert "Bearer" in json_error(response, 401, "not_authenticated")["message"]


def test_a_signed_in_browser_may_read_the_api(client, viewer):
    client.force_login(viewer)
    assert client.get(f"{API}/schemes").status_code == 200


# ETag and 304 ---------------------------------------------------------------------------------


def test_an_unchanged_answer_is_a_304_and_a_change_gives_a_new_etag(
    client, kosovo, cleared_analyst, token
):
    first = api_get(client, "/events", token)
    etag = first["ETag"]
    again = client.get(f"{API}/events", headers={**bearer(token), "If-None-Match": etag})
    assert (again.status_code, again.content, again["ETag"]) == (304, b"", etag)
    add_event(kosovo, cleared_analyst, title="Something new")
    changed = client.get(f"{API}/events", headers={**bearer(token), "If-None-Match": etag})
    assert changed.status_code == 200 and changed["ETag"] != etag
    assert "Authorization" in changed["Vary"] and "private" in changed["Cache-Control"]


def test_a_paged_answer_keeps_its_etag_as_time_passes(client, kosovo, cleared_analyst, token):
    """The next page's cursor holds no clock time, so an unchanged page still gets a 304."""
    add_event(kosovo, cleared_analyst, title="A third event")
    first = api_get(client, "/events", token, limit=1)
    assert first.json()["next_cursor"]
    later = time.time() + 3600
    with mock.patch("django.core.signing.time.time", return_value=later):
        again = client.get(
            f"{API}/events?limit=1", headers={**bearer(token), "If-None-Match": first["ETag"]}
        )
    assert again.status_code == 304


# Pagination -----------------------------------------------------------------------------------


def test_walking_the_cursor_gives_every_event_once_in_order(client, kosovo, cleared_analyst, token):
    for day in range(1, 12):  # ties: two events a day
        add_event(kosovo, cleared_analyst, occurred_on=datetime.date(2025, 12, day), title="A")
        add_event(kosovo, cleared_analyst, occurred_on=datetime.date(2025, 12, day), title="B")
    items = walk(client, "/events", token, limit=3)
    keys = [(item["occurred_on"], item["id"]) for item in items]
    assert keys == sorted(keys, reverse=True) and len(keys) == len(set(keys)) == 24


# Tokens ---------------------------------------------------------------------------------------


def test_an_expired_token_is_refused_with_a_message(client, kosovo, viewer):
    token = token_for(viewer)
    ApiToken.objects.update(expires_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC))
    body = json_error(api_get(client, "/events", token), 401, "not_authenticated")
    assert "expired" in body["message"]


def test_a_revoked_token_is_refused(client, viewer):
    token = token_for(viewer)
    assert revoke_token(user=viewer, token_id=ApiToken.objects.get().pk)
    assert (
        "revoked"
        in json_error(api_get(client, "/schemes", token), 401, "not_authenticated")["message"]
    )


@pytest.mark.parametrize("wrong", ["hub_" + "x" * 43, "nothing-like-a-token", "hub_"])
def test_a_wrong_token_is_refused(client, viewer, wrong):
    token_for(viewer)
    body = json_error(api_get(client, "/schemes", wrong), 401, "not_authenticated")
    assert "not valid" in body["message"]


def test_a_deactivated_users_token_stops_working(client, viewer):
    token = token_for(viewer)
    viewer.is_active = False
    viewer.save()
    json_error(api_get(client, "/schemes", token), 401, "not_authenticated")


@override_settings(API_RATE_LIMIT_PER_MINUTE=3)
def test_each_token_is_rate_limited_on_its_own(client, viewer, cleared_analyst):
    token, other = token_for(viewer), token_for(cleared_analyst)
    assert [api_get(client, "/schemes", token).status_code for _ in range(3)] == [200] * 3
    limited = api_get(client, "/schemes", token)
    json_error(limited, 429, "rate_limited")
    assert int(limited["Retry-After"]) > 0
    assert api_get(client, "/schemes", other).status_code == 200


def test_a_token_records_its_last_use(client, viewer):
    token = token_for(viewer)
    assert ApiToken.objects.get().last_used_at is None
    api_get(client, "/schemes", token)
    assert ApiToken.objects.get().last_used_at is not None


# Schema and documentation ---------------------------------------------------------------------


def test_the_openapi_schema_is_valid_openapi_3(client, viewer):
    client.force_login(viewer)
    spec = client.get(f"{API}/openapi.json").json()
    validate(spec)
    assert spec["openapi"].startswith("3.")
    assert {"/api/v1/events", "/api/v1/candidacies", "/api/v1/routes"} <= set(spec["paths"])


def test_the_schema_needs_a_sign_in_or_a_token(client, token):
    json_error(client.get(f"{API}/openapi.json"), 401, "not_authenticated")
    assert client.get(f"{API}/openapi.json", headers=bearer(token)).status_code == 200


def test_the_documentation_page_lists_every_address_without_scripts_from_elsewhere(client, viewer):
    client.force_login(viewer)
    response = client.get(f"{API}/docs")
    html = response.content.decode()
    assert response.status_code == 200
    for path in ["/api/v1/events", "/api/v1/candidacies", "/api/v1/sources", "/api/v1/routes"]:
        assert path in html
    assert "cdn" not in html.lower() and "<script>" not in html


def test_answers_refused_before_the_api_runs_are_json_too(client, token):
    """The request guard refuses a NUL in the address (400) and oversized bodies (413)."""
    json_error(client.get(f"{API}/events?q=a%00b", headers=bearer(token)), 400, "bad_parameter")
    big = client.generic(
        "GET",
        f"{API}/events",
        data=b"x" * (4 * 1024 * 1024),
        content_type="text/plain",
        headers=bearer(token),
    )
    assert big.status_code == 413 and big["Content-Type"].startswith("application/json")


def test_the_admin_lists_tokens_without_their_hash(client, viewer):
    token_for(viewer)
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    token = ApiToken.objects.get()
    page = client.get(f"/admin/api/apitoken/{token.pk}/change/").content.decode()
    assert token.prefix in page and token.key_hash not in page
    assert client.get("/admin/api/apitoken/add/").status_code == 403
