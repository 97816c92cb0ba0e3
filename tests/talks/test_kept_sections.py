"""The country page's standings and status strips, and the scheme page's shortlist and status over
time, are kept in the pages cache between requests: a write the reader can see, or a renamed
country or scheme, shows at once; a sensitive write leaves an uncleared reader's page as it was;
the actions beside them follow the reader's permissions."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from talks.models import Classification
from talks.rules.statuses import Status
from talks.services.events import correct_event, record_event, retract_event
from tests.factories import CandidacyFactory, CountryFactory, add_event, details

pytestmark = pytest.mark.django_db

DAY = datetime.date(2025, 11, 20)


@pytest.fixture
def kosovo(db, cleared_analyst):
    country = CountryFactory(name="Kosovo", slug="kosovo", code="XKX")
    candidacy = CandidacyFactory(country=country)
    add_event(candidacy, cleared_analyst, occurred_on=DAY, new_status=Status.OPEN, title="Open")
    return candidacy


@pytest.fixture(params=["country page", "scheme page"])
def page(request, kosovo) -> str:
    if request.param == "country page":
        return reverse("country_detail", args=["kosovo"])
    return reverse("scheme_detail", args=[kosovo.scheme.slug])


def section(client, user, url: str) -> str:
    """The page from its heading to its timeline (no tokens or nonces)."""
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    text = response.content.decode()
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text)
    return text[text.index("<h1") : text.index("-timeline")]


def test_a_status_change_shows_at_once(client, viewer, cleared_analyst, kosovo, page):
    assert "Negotiating" not in section(client, viewer, page)
    add_event(
        kosovo,
        cleared_analyst,
        occurred_on=DAY + datetime.timedelta(days=2),
        new_status=Status.NEGOTIATING,
        title="Formal talks",
    )
    assert "Negotiating" in section(client, viewer, page)


def test_a_retraction_shows_at_once(client, viewer, cleared_analyst, kosovo, page):
    change = add_event(
        kosovo,
        cleared_analyst,
        occurred_on=DAY + datetime.timedelta(days=2),
        new_status=Status.NEGOTIATING,
        title="Formal talks",
    )
    assert "Negotiating" in section(client, viewer, page)
    kosovo.refresh_from_db()
    retract_event(
        event=change, reason="Misreported", by=cleared_analyst, expected_version=kosovo.version
    )
    assert "Negotiating" not in section(client, viewer, page)


def test_a_sensitive_status_change_leaves_an_uncleared_readers_section_as_it_was(
    client, viewer, cleared_analyst, kosovo, page
):
    before = section(client, viewer, page)
    add_event(
        kosovo,
        cleared_analyst,
        occurred_on=DAY + datetime.timedelta(days=2),
        new_status=Status.NEGOTIATING,
        title="Quiet talks",
        classification=Classification.OFFICIAL_SENSITIVE,
    )
    assert section(client, viewer, page) == before
    assert "Negotiating" in section(client, cleared_analyst, page)
    assert "Negotiating" not in section(client, viewer, page)


def test_a_renamed_country_and_scheme_show_at_once(client, viewer, kosovo, page):
    assert "Republic of Kosovo" not in section(client, viewer, page)
    kosovo.country.name = "Republic of Kosovo"
    kosovo.country.save()
    kosovo.scheme.name = "Renamed scheme"
    kosovo.scheme.save()
    text = section(client, viewer, page)
    assert "Republic of Kosovo" in text and "Renamed scheme" in text


@pytest.mark.parametrize("viewer_first", [True, False])
def test_the_actions_follow_the_reader(client, viewer, analyst, kosovo, page, viewer_first):
    readers = [viewer, analyst] if viewer_first else [analyst, viewer]
    seen = {reader: section(client, reader, page) for reader in readers}
    assert "Add event<span" in seen[analyst]
    assert "Add event<span" not in seen[viewer]


def test_a_kept_section_costs_fewer_queries(
    client, viewer, kosovo, page, django_assert_max_num_queries
):

    client.force_login(viewer)
    with CaptureQueriesContext(connection) as first:
        client.get(page)
    with CaptureQueriesContext(connection) as kept:
        client.get(page)
    assert len(kept) < len(first)


def test_a_scheme_wide_event_its_correction_and_retraction_show_at_once(
    client, viewer, cleared_analyst, kosovo
):
    url = reverse("scheme_detail", args=[kosovo.scheme.slug])
    assert "Ministers meet" not in timeline(client, viewer, url)
    event = record_event(
        scheme=kosovo.scheme,
        candidacy=None,
        details=details(occurred_on=DAY, title="Ministers meet in London"),
        by=cleared_analyst,
        expected_version=None,
    )
    assert "Ministers meet in London" in timeline(client, viewer, url)
    correction = correct_event(
        event=event,
        details=details(occurred_on=DAY, title="Ministers meet in Dover"),
        by=cleared_analyst,
        expected_version=None,
    )
    assert "Corrected by" in timeline(client, viewer, url)
    retract_event(
        event=correction, reason="Did not happen", by=cleared_analyst, expected_version=None
    )
    assert "Did not happen" in timeline(client, viewer, url)


def test_a_sensitive_scheme_wide_event_leaves_an_uncleared_readers_timeline_as_it_was(
    client, viewer, cleared_analyst, kosovo
):
    url = reverse("scheme_detail", args=[kosovo.scheme.slug])
    before = timeline(client, viewer, url)
    record_event(
        scheme=kosovo.scheme,
        candidacy=None,
        details=details(
            occurred_on=DAY,
            title="Quiet summit",
            classification=Classification.OFFICIAL_SENSITIVE,
        ),
        by=cleared_analyst,
        expected_version=None,
    )
    assert timeline(client, viewer, url) == before
    assert "Quiet summit" in timeline(client, cleared_analyst, url)


def test_a_country_timeline_shows_a_new_event_at_once_on_every_page(
    client, viewer, cleared_analyst, kosovo
):
    url = reverse("country_detail", args=["kosovo"])
    assert "Talks resume" not in timeline(client, viewer, url)
    add_event(kosovo, cleared_analyst, occurred_on=DAY, title="Talks resume")
    assert "Talks resume" in timeline(client, viewer, url)
    assert "Talks resume" in timeline(client, viewer, url + "?page=last")


def timeline(client, user, url: str) -> str:
    """The page's timeline section."""
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    text = response.content.decode()
    start = text.index('class="app-timeline-region"')
    return text[start : text.index("</section>", start)]


@pytest.mark.parametrize("params", ["", "?q=Talks", "?country=kosovo&page=last"])
def test_the_event_log_shows_a_new_event_and_its_retraction_at_once(
    client, viewer, cleared_analyst, kosovo, params
):
    url = reverse("event_log") + params
    assert "Talks resume" not in results(client, viewer, url)
    event = add_event(kosovo, cleared_analyst, occurred_on=DAY, title="Talks resume")
    assert "Talks resume" in results(client, viewer, url)
    retract_event(
        event=event, reason="Misreported", by=cleared_analyst, expected_version=version(kosovo)
    )
    assert "Misreported" in results(client, viewer, url)


def test_the_event_log_shows_a_scheme_wide_event_at_once(client, viewer, cleared_analyst, kosovo):
    url = reverse("event_log")
    assert "Ministers meet" not in results(client, viewer, url)
    record_event(
        scheme=kosovo.scheme,
        candidacy=None,
        details=details(occurred_on=DAY, title="Ministers meet in London"),
        by=cleared_analyst,
        expected_version=None,
    )
    assert "Ministers meet in London" in results(client, viewer, url)


def test_a_sensitive_write_leaves_an_uncleared_readers_event_log_as_it_was(
    client, viewer, cleared_analyst, kosovo
):
    url = reverse("event_log")
    before = results(client, viewer, url)
    add_event(
        kosovo,
        cleared_analyst,
        occurred_on=DAY,
        title="Quiet talks",
        classification=Classification.OFFICIAL_SENSITIVE,
    )
    assert results(client, viewer, url) == before
    assert "Quiet talks" in results(client, cleared_analyst, url)


def results(client, user, url: str) -> str:
    """The event log's results (no tokens or nonces)."""
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    text = response.content.decode()
    start = text.index('id="event-results"')
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text[start:]).split("<footer")[0]


def version(candidacy) -> int:
    candidacy.refresh_from_db()
    return candidacy.version
