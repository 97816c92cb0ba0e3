"""Timeline rows (event log, country and scheme pages) are kept in the pages cache: a kept row is
sent without rendering it again, and changes at once with the event, its correction, its
source, and differs by the reader's clearance and by whether they may record events."""

import datetime

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.core.cache import caches
from django.urls import reverse

from talks.models import Classification, Reliability
from talks.services.events import correct_event, retract_event
from talks.templatetags import talk_display
from tests.factories import (
    CandidacyFactory,
    CountryFactory,
    SourceFactory,
    UserFactory,
    add_event,
    details,
)

pytestmark = pytest.mark.django_db

DAY = datetime.date(2025, 11, 20)


@pytest.fixture
def kosovo(db):
    country = CountryFactory(name="Kosovo", slug="kosovo", code="XKX")
    return CandidacyFactory(country=country)


@pytest.fixture(params=["event log", "country page", "scheme page"])
def page(request, kosovo) -> str:
    """The address of each timeline that shows Kosovo's events."""
    return {
        "event log": reverse("event_log"),
        "country page": reverse("country_detail", args=["kosovo"]),
        "scheme page": reverse("scheme_detail", args=[kosovo.scheme.slug]),
    }[request.param]


@pytest.fixture
def rendered(monkeypatch) -> list[int]:
    """The ids of the events whose rows are rendered from now on (not taken from the cache)."""
    ids: list[int] = []
    real = talk_display._row_html

    def render(row, *args, **kwargs):
        ids.append(row.event.pk)
        return real(row, *args, **kwargs)

    monkeypatch.setattr(talk_display, "_row_html", render)
    return ids


def text(client, user, url: str, **params) -> str:
    client.force_login(user)
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


def row_of(page: str, event) -> str:
    start = page.index(f'id="event-{event.pk}"')
    return page[start : page.index("</li>", start)]


def version(candidacy) -> int:
    candidacy.refresh_from_db()
    return candidacy.version


def test_a_kept_row_is_sent_again_without_rendering_it(
    client, viewer, kosovo, cleared_analyst, page, rendered
):
    events = [add_event(kosovo, cleared_analyst, title=f"Meeting {n}") for n in range(3)]
    first = text(client, viewer, page)
    assert sorted(rendered) == sorted(event.pk for event in events)
    rendered.clear()
    again = text(client, viewer, page)
    assert [row_of(again, event) for event in events] == [row_of(first, e) for e in events]
    assert rendered == []


def test_a_correction_shows_on_both_rows_at_once(client, viewer, kosovo, cleared_analyst, page):
    event = add_event(kosovo, cleared_analyst, title="Talks in Pristina")
    assert "Corrected" not in row_of(text(client, viewer, page), event)
    correction = correct_event(
        event=event,
        details=details(occurred_on=event.occurred_on, title="Talks in Pristina, not Prizren"),
        by=cleared_analyst,
        expected_version=version(kosovo),
    )
    after = text(client, viewer, page)
    assert "Corrected by" in row_of(after, event) and "not Prizren" in row_of(after, event)
    assert "This entry corrects" in row_of(after, correction)


def test_a_retraction_shows_at_once(client, viewer, kosovo, cleared_analyst, page):
    event = add_event(kosovo, cleared_analyst, title="Talks in Pristina")
    assert "Retracted" not in row_of(text(client, viewer, page), event)
    retract_event(
        event=event, reason="Never happened", by=cleared_analyst, expected_version=version(kosovo)
    )
    row = row_of(text(client, viewer, page), event)
    assert "Retracted" in row and "Never happened" in row


def test_a_source_edited_in_the_admin_shows_at_once(client, viewer, kosovo, cleared_analyst, page):
    source = SourceFactory(outlet="Radio Pristina", reliability=Reliability.B)
    event = add_event(kosovo, cleared_analyst, title="Talks in Pristina", source=source)
    assert "Radio Pristina" in row_of(text(client, viewer, page), event)
    admin = UserFactory(username="admin", is_staff=True, is_superuser=True)
    client.force_login(admin)
    change = reverse("admin:talks_source_change", args=[source.pk])
    form = {
        "outlet": "Radio Kosova",
        "title": source.title,
        "url": source.url,
        "published_on": source.published_on.isoformat(),
        "reliability": Reliability.C,
        "reliability_note": "",
    }
    assert client.post(change, form).status_code == 302
    row = row_of(text(client, viewer, page), event)
    assert "Radio Kosova" in row and "Radio Pristina" not in row
    assert '<span class="app-grade">C</span>' in row


def test_a_country_renamed_in_the_admin_shows_at_once(client, viewer, kosovo, cleared_analyst):
    event = add_event(kosovo, cleared_analyst, title="Talks in Pristina")
    assert ">Kosovo</a>" in row_of(text(client, viewer, reverse("event_log")), event)
    kosovo.country.name = "Republic of Kosovo"
    kosovo.country.save()
    LogEntry.objects.log_actions(  # as the admin's change form does
        user_id=cleared_analyst.pk, queryset=[kosovo.country], action_flag=CHANGE
    )
    assert ">Republic of Kosovo</a>" in row_of(text(client, viewer, reverse("event_log")), event)


@pytest.mark.parametrize("cleared_first", [True, False])
def test_a_row_differs_between_a_cleared_and_an_uncleared_reader(
    client, analyst, cleared_analyst, kosovo, page, cleared_first
):
    secret = add_event(
        kosovo,
        cleared_analyst,
        title="Quiet approach from Pristina",
        classification=Classification.OFFICIAL_SENSITIVE,
    )
    declassified = correct_event(
        event=secret,
        details=details(occurred_on=DAY, title="Kosovo approached the UK"),
        by=cleared_analyst,
        expected_version=version(kosovo),
    )
    readers = [cleared_analyst, analyst] if cleared_first else [analyst, cleared_analyst]
    seen = {reader: row_of(text(client, reader, page), declassified) for reader in readers}
    assert "This entry corrects" in seen[cleared_analyst]
    assert "Quiet approach" in seen[cleared_analyst]
    assert "This entry corrects" not in seen[analyst]
    assert "Quiet approach" not in text(client, analyst, page)


@pytest.mark.parametrize("viewer_first", [True, False])
def test_a_row_differs_between_an_analyst_and_a_viewer(
    client, viewer, analyst, cleared_analyst, kosovo, page, viewer_first
):
    event = add_event(kosovo, cleared_analyst, title="Talks in Pristina")
    readers = [viewer, analyst] if viewer_first else [analyst, viewer]
    seen = {reader: row_of(text(client, reader, page), event) for reader in readers}
    assert "Correct<span" in seen[analyst] and "Retract<span" in seen[analyst]
    assert "Correct<span" not in seen[viewer] and "Retract<span" not in seen[viewer]


def test_the_actions_return_to_the_address_they_were_shown_on(
    client, analyst, cleared_analyst, kosovo
):
    event = add_event(kosovo, cleared_analyst, title="Talks in Pristina")
    url = reverse("event_log")
    for params, here in [({}, "/events/"), ({"kind": "statement"}, "/events/%3Fkind%3Dstatement")]:
        row = row_of(text(client, analyst, url, **params), event)
        assert f'href="/events/{event.pk}/correct/?next={here}"' in row


def test_kept_rows_are_named_by_what_they_show(client, viewer, kosovo, cleared_analyst):
    add_event(kosovo, cleared_analyst, title="Talks in Pristina")
    text(client, viewer, reverse("event_log"))
    keys = [key for key in caches["pages"]._cache if "timeline-event:" in key]
    assert len(keys) == 1
