"""The write actions on the pages others built: shown to analysts only, the same query count
whatever the data size, and everything typed escaped on every page that shows it."""

import pytest
from django.urls import reverse

from talks.models import Candidacy, TalkEvent
from tests.talks.page_data import HX, load_demo, queries_for, with_events

pytestmark = pytest.mark.django_db

SCHEME = "uk-return-hubs-2025"
XSS = '<script>alert("x")</script><b>bold</b>'
XSS_ESCAPED = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;b&gt;bold&lt;/b&gt;"


@pytest.fixture
def demo(cleared_analyst):
    return load_demo(cleared_analyst)


PAGES = {
    "dashboard": f"/?scheme={SCHEME}&country=kosovo",
    "country": "/countries/kosovo/",
    "scheme": f"/schemes/{SCHEME}/",
    "event log": "/events/",
}


@pytest.mark.parametrize("page", PAGES)
def test_analysts_see_the_write_actions(client, demo, analyst, page):
    client.force_login(analyst)
    body = client.get(PAGES[page]).content.decode()
    assert "event-form-slot" in body
    assert "Add " in body and "event" in body
    if page != "dashboard":
        assert ">Correct<" in body and ">Retract<" in body


@pytest.mark.parametrize("role", ["viewer", "manager"])
@pytest.mark.parametrize("page", PAGES)
def test_viewers_and_managers_see_no_write_actions(client, demo, request, role, page):
    client.force_login(request.getfixturevalue(role))
    body = client.get(PAGES[page]).content.decode()
    assert "event-form-slot" not in body
    assert ">Correct<" not in body and ">Retract<" not in body
    assert "/events/new/" not in body


def test_managers_get_the_history_link_but_not_add(client, demo, manager):
    client.force_login(manager)
    body = client.get(PAGES["country"]).content.decode()
    assert reverse("candidacy_history", args=[SCHEME, "kosovo"]) in body
    assert reverse("event_new", args=[SCHEME, "kosovo"]) not in body


def test_the_scheme_page_offers_scheme_wide_events_and_the_import(client, demo, analyst):
    client.force_login(analyst)
    body = client.get(PAGES["scheme"]).content.decode()
    assert reverse("event_new_scheme_wide", args=[SCHEME]) in body
    assert reverse("event_import", args=[SCHEME]) in body


@pytest.mark.parametrize("page", ["country", "event log"])
def test_an_analysts_timeline_costs_the_same_queries_at_two_data_sizes(client, demo, analyst, page):
    client.force_login(analyst)
    small = queries_for(client, PAGES[page])
    with_events(300)
    large = queries_for(client, PAGES[page])
    assert large == small


# The event-log chooser -----------------------------------------------------------------------
def test_the_chooser_lists_every_scheme_and_candidacy(client, demo, analyst):
    client.force_login(analyst)
    body = client.get(reverse("event_new_choose")).content.decode()
    assert f'value="{SCHEME}/kosovo"' in body
    assert f'value="{SCHEME}"' in body


def test_the_chooser_sends_a_plain_browser_to_the_form(client, demo, analyst):
    client.force_login(analyst)
    url = reverse("event_new_choose")
    response = client.get(url, {"where": f"{SCHEME}/kosovo", "next": "/events/"})
    assert response.status_code == 302
    assert (
        response["Location"] == reverse("event_new", args=[SCHEME, "kosovo"]) + "?next=%2Fevents%2F"
    )
    whole = client.get(url, {"where": SCHEME})
    assert whole["Location"] == reverse("event_new_scheme_wide", args=[SCHEME])


def test_with_htmx_the_chooser_answers_with_the_right_form(client, demo, analyst):
    client.force_login(analyst)
    response = client.get(reverse("event_new_choose"), {"where": f"{SCHEME}/kosovo"}, headers=HX)
    body = response.content.decode()
    assert "<html" not in body
    assert f'data-hx-post="{reverse("event_new", args=[SCHEME, "kosovo"])}"' in body


def test_the_chooser_explains_an_unknown_choice(client, demo, analyst):
    client.force_login(analyst)
    response = client.get(reverse("event_new_choose"), {"where": f"{SCHEME}/atlantis"})
    assert "Select where the event belongs." in response.content.decode()


def test_the_chooser_is_for_analysts_only(client, demo, viewer):
    client.force_login(viewer)
    assert client.get(reverse("event_new_choose")).status_code == 403


# Escaping ------------------------------------------------------------------------------------
def test_text_typed_into_every_field_is_escaped_on_every_page(client, demo, analyst):
    client.force_login(analyst)
    data = {
        "day": "20",
        "month": "11",
        "year": "2026",
        "precision": "day",
        "kind": "statement",
        "title": XSS,
        "summary": XSS,
        "quote": XSS,
        "speaker": XSS,
        "source_mode": "new",
        "source_outlet": XSS,
        "source_title": XSS,
        "source_url": "https://example.org/a",
        "source_reliability": "C",
        "classification": "official",
        "new_status": "",
    }
    kosovo = Candidacy.objects.get(scheme__slug=SCHEME, country__slug="kosovo")
    data["version"] = str(kosovo.version)
    assert client.post(reverse("event_new", args=[SCHEME, "kosovo"]), data).status_code == 302
    event = TalkEvent.objects.get(title=XSS)
    client.post(
        reverse("event_retract", args=[event.pk]), {"reason": XSS, "version": kosovo.version + 1}
    )
    pages = [
        *PAGES.values(),
        "/events/?q=bold",
        reverse("candidacy_history", args=[SCHEME, "kosovo"]),
        reverse("event_correct", args=[event.pk]),
    ]
    for url in pages:
        body = client.get(url).content.decode()
        assert '<script>alert("x")' not in body, url
        assert "<b>bold</b>" not in body, url
        assert XSS_ESCAPED in body or "&lt;script&gt;" in body, url
