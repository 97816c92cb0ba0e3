"""Forms in place, without a browser: the full-page forms work without JavaScript (Cancel and
Back are plain links, Back in a landmark); the htmx forms mark Cancel for closing in place and
use ids that no other part of the page uses."""

import re

import pytest
from django.urls import reverse

from talks.models import TalkEvent
from tests.talks.page_data import HX, load_demo

pytestmark = pytest.mark.django_db

SCHEME = "uk-return-hubs-2025"
NEW = reverse("event_new", args=[SCHEME, "kosovo"])


@pytest.fixture
def demo(cleared_analyst):
    return load_demo(cleared_analyst)


def ids(html: str) -> list[str]:
    return re.findall(r'\sid="([^"]+)"', html)


def test_the_full_page_form_cancels_and_goes_back_by_plain_links(client, demo, analyst):
    client.force_login(analyst)
    body = client.get(f"{NEW}?next=/events/").content.decode()
    assert (
        '<nav aria-label="Back"><a href="/events/" class="govuk-back-link">Back</a></nav>' in body
    )
    assert '<a class="govuk-link" href="/events/">Cancel</a>' in body
    assert "data-form-cancel" not in body


def test_the_form_in_place_marks_cancel_for_closing_without_leaving_the_page(client, demo, analyst):
    client.force_login(analyst)
    fragment = client.get(f"{NEW}?next=/events/", headers=HX).content.decode()
    assert '<a class="govuk-link" href="/events/" data-form-cancel>Cancel</a>' in fragment
    chooser = client.get(reverse("event_new_choose"), headers=HX).content.decode()
    assert "data-form-cancel>Cancel</a>" in chooser


def test_the_map_page_and_its_event_form_share_no_id(client, demo, analyst):
    client.force_login(analyst)
    page = client.get(f"/?scheme={SCHEME}&country=kosovo").content.decode()
    form = client.get(NEW, headers=HX).content.decode()
    assert set(ids(page)) & set(ids(form)) == set()
    assert 'id="event-form-date"' in form and 'id="event-form-date-hint"' in form
    assert 'aria-describedby="event-form-date-hint"' in form


def test_the_event_log_and_its_forms_share_no_id(client, demo, analyst):
    client.force_login(analyst)
    page = client.get("/events/").content.decode()
    new = client.get(NEW, headers=HX).content.decode()
    event = TalkEvent.objects.filter(candidacy__country__slug="kosovo").first()
    correction = client.get(reverse("event_correct", args=[event.pk]), headers=HX)
    correction = correction.content.decode()
    assert set(ids(page)) & set(ids(new)) == set()
    assert f'id="event-{event.pk}-correction"' in correction
    assert set(ids(new)) & {i for i in ids(correction) if not i.startswith("id_")} == set()


def test_the_map_keeps_its_event_form_beside_the_panel_across_refreshes(client, demo, analyst):
    client.force_login(analyst)
    page = client.get(f"/?scheme={SCHEME}&country=kosovo").content.decode()
    side = page[page.index('class="app-board__side"') :]
    assert side.index('id="country-panel"') < side.index('id="event-form-slot"')
    assert side.index('id="event-form-slot"') < side.index('id="counts-title"')
    slot = re.search(r'<div id="event-form-slot"[^>]*>', page).group(0)
    assert 'data-hx-preserve="true"' in slot and "data-form-slot" in slot
