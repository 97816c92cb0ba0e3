"""The API's events are the event log's rows: same parameters, same meaning, same order."""

import pytest

from talks.api.views import schema
from talks.forms.event_log import EventLogFilters
from tests.api.helpers import token_for, walk
from tests.talks.page_data import load_demo, with_events

pytestmark = pytest.mark.django_db

# Each filter of the event log alone, some together, and every sort in both orders.
QUERIES = [
    {},
    {"scheme": "uk-return-hubs-2025"},
    {"country": "serbia"},
    {"kind": "statement"},
    {"status": "negotiating"},
    {"date_from": "2020-01-01"},
    {"date_to": "31/12/2019"},
    {"date_from": "2018-01-01", "date_to": "2022-06-30"},
    {"q": "ministry"},
    {"q": "Rwanda -court"},
    {"q": '"return hubs"'},
    {"current_only": "on"},
    {"sort": "date", "order": "asc"},
    {"sort": "title"},
    {"sort": "title", "order": "asc"},
    {"sort": "country"},
    {"sort": "country", "order": "asc"},
    {"q": "talks", "sort": "country", "order": "asc"},
    {"scheme": "uk-return-hubs-2025", "kind": "meeting", "sort": "title", "order": "asc"},
]


@pytest.fixture
def demo(cleared_analyst):
    load_demo(cleared_analyst)
    with_events(400)  # ties in dates and titles, sensitive events, scheme-wide events
    return cleared_analyst


def log_ids(client, user, params: dict) -> list[int]:
    """Every row of the event log page for `params`, page by page, as the page lists them."""
    client.force_login(user)
    ids, page = [], 1
    while True:
        response = client.get("/events/", {**params, "page": page})
        page_obj = response.context["page_obj"]
        ids += [event.pk for event in page_obj.object_list]
        if not page_obj.has_next():
            return ids
        page += 1


def api_params(params: dict) -> dict:
    return {**params, "current_only": "true"} if "current_only" in params else params


@pytest.mark.parametrize(
    "params", QUERIES, ids=lambda p: "&".join(f"{k}={v}" for k, v in p.items())
)
@pytest.mark.parametrize("who", ["viewer", "cleared_manager"])
def test_every_filter_returns_the_event_logs_rows_in_its_order(client, demo, request, params, who):
    user = request.getfixturevalue(who)
    expected = log_ids(client, user, params)
    items = walk(client, "/events", token_for(user), limit=40, **api_params(params))
    assert [item["id"] for item in items] == expected
    assert expected or params  # only a filter may leave nothing


def test_the_filters_are_those_of_the_event_log_form():
    parameters = {p["name"] for p in schema()["paths"]["/api/v1/events"]["get"]["parameters"]}
    assert set(EventLogFilters.base_fields) <= parameters
    assert parameters - set(EventLogFilters.base_fields) == {"cursor", "limit"}
