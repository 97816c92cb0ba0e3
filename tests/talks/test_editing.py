import datetime
import re

import pytest
from django.urls import reverse

from talks.models import AuditAction, AuditEntry, Classification, Source, TalkEvent
from talks.rules.statuses import Status
from tests.factories import CandidacyFactory, SourceFactory, add_event

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}
XSS = '<script>alert("x")</script><b>bold</b>'
XSS_ESCAPED = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;b&gt;bold&lt;/b&gt;"


@pytest.fixture
def kosovo(cleared_analyst):
    candidacy = CandidacyFactory(
        scheme__slug="uk-return-hubs-2025",
        scheme__name="UK return hubs (2025)",
        country__name="Kosovo",
        country__slug="kosovo",
        country__code="XKX",
    )
    add_event(
        candidacy, cleared_analyst, occurred_on=datetime.date(2025, 5, 16), new_status=Status.OPEN
    )
    candidacy.refresh_from_db()
    return candidacy


@pytest.fixture
def source(db):
    return SourceFactory(outlet="BBC News")


def new_url(candidacy) -> str:
    return reverse("event_new", args=[candidacy.scheme.slug, candidacy.country.slug])


def form_data(candidacy, source=None, **overrides) -> dict:
    data = {
        "day": "21",
        "month": "10",
        "year": "2025",
        "precision": "day",
        "kind": "statement",
        "title": "Kurti confirms informal talks",
        "summary": "The Prime Minister said talks were at an early stage.",
        "quote": "We are talking",
        "speaker": "Albin Kurti",
        "source_mode": "existing" if source else "none",
        "source": str(source.pk) if source else "",
        "classification": "official",
        "new_status": Status.EXPLORATORY,
        "version": str(candidacy.version),
    }
    data.update(overrides)
    return data


# Recording --------------------------------------------------------------------------------
def test_the_form_offers_only_the_status_moves_the_table_allows(client, analyst, kosovo):
    client.force_login(analyst)
    body = client.get(new_url(kosovo)).content.decode()
    assert 'value="exploratory"' in body
    assert 'value="operational"' not in body
    assert "Open to talks cannot move to Operational" in body
    assert f'name="version" value="{kosovo.version}"' in body


def test_an_analyst_records_an_event_that_moves_the_status(client, analyst, kosovo, source):
    client.force_login(analyst)
    response = client.post(new_url(kosovo), form_data(kosovo, source))
    assert response.status_code == 302
    kosovo.refresh_from_db()
    assert kosovo.status == Status.EXPLORATORY
    event = kosovo.events.get(title="Kurti confirms informal talks")
    assert event.recorded_by == analyst
    assert event.source == source
    assert AuditEntry.objects.filter(event=event, action=AuditAction.RECORDED).count() == 1
    followed = client.get(response["Location"])
    assert "Kosovo is now Exploratory talks" in followed.content.decode()


def test_with_htmx_a_save_answers_with_the_fragment_and_an_events_changed_trigger(
    client, analyst, kosovo
):
    client.force_login(analyst)
    response = client.post(new_url(kosovo), form_data(kosovo), headers=HTMX)
    assert response.status_code == 200
    assert "events-changed" in response["HX-Trigger"]
    body = response.content.decode()
    assert 'id="event-form"' in body
    assert "Event recorded: Kurti confirms informal talks" in body
    assert "<html" not in body


def test_with_htmx_the_form_comes_as_a_fragment_and_varies_on_the_header(client, analyst, kosovo):
    client.force_login(analyst)
    fragment = client.get(new_url(kosovo), headers=HTMX)
    page = client.get(new_url(kosovo))
    assert "<html" not in fragment.content.decode()
    assert 'id="event-form"' in fragment.content.decode()
    assert "<html" in page.content.decode()
    assert "HX-Request" in page["Vary"]


def test_a_new_source_can_be_added_with_the_event(client, analyst, kosovo):
    client.force_login(analyst)
    data = form_data(
        kosovo,
        source_mode="new",
        source_outlet="Koha Ditore",
        source_title="Kurti on talks",
        source_url="https://www.koha.net/a",
        source_published_on="21/10/2025",
        source_reliability="B",
    )
    assert client.post(new_url(kosovo), data).status_code == 302
    created = Source.objects.get(outlet="Koha Ditore")
    assert created.published_on == datetime.date(2025, 10, 21)
    assert kosovo.events.get(title=data["title"]).source == created


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"title": ""}, "title", "Enter a title."),
        ({"day": ""}, "occurred_on", "The date must include a day."),
        ({"year": "abc"}, "occurred_on", "Enter the year as a number"),
        ({"new_status": Status.OPERATIONAL}, "new_status", "cannot move to Operational"),
        ({"source_mode": "existing", "source": ""}, "source", "Select a source"),
        ({"source_mode": "new"}, "source_outlet", "Enter the outlet"),
        ({"source_mode": "new", "source_outlet": "X", "source_url": "not a url"}, "source_url", ""),
        ({"classification": "official_sensitive"}, "classification", "You need clearance"),
    ],
)
def test_errors_show_beside_their_fields_and_in_the_summary_and_typing_is_kept(
    client, analyst, kosovo, overrides, field, message
):
    client.force_login(analyst)
    data = form_data(kosovo, **overrides)
    response = client.post(new_url(kosovo), data)
    assert response.status_code == 400
    form = response.context["form"]
    assert field in form.errors
    assert message in " ".join(form.errors[field])
    body = response.content.decode()
    assert "There is a problem" in body
    assert "We are talking" in body  # the quote typed is kept
    assert "Albin Kurti" in body
    assert TalkEvent.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "box", "message"),
    [
        ({"day": ""}, "day", "The date must include a day."),
        ({"day": "", "month": ""}, "day", "The date must include a day and a month."),
        ({"day": "", "month": "", "year": ""}, "day", "Enter the date the event happened."),
        ({"month": "", "precision": "month"}, "month", "The date must include a month."),
        ({"day": "31", "month": "2"}, "day", "The date must be a real date."),
        ({"month": "13"}, "month", "The date must be a real date."),
        ({"day": "x"}, "day", "Enter the day as a number."),
        ({"month": "May"}, "month", "Enter the month as a number, like 5."),
        ({"year": "abc"}, "year", "Enter the year as a number, like 2025."),
        ({"year": "1066"}, "year", "The year must be between 1900 and 2100, like 2025."),
    ],
)
def test_a_date_error_marks_the_box_it_is_about_and_the_summary_links_to_it(
    client, analyst, kosovo, overrides, box, message
):
    client.force_login(analyst)
    response = client.post(new_url(kosovo), form_data(kosovo, **overrides))
    assert response.status_code == 400
    body = response.content.decode()
    assert f'<a href="#id_{box}">{message}</a>' in body
    assert f"</span> {message}" in body  # beside the boxes too
    assert re.findall(r'govuk-input--error" id="id_(day|month|year)"', body) == [box]
    assert TalkEvent.objects.count() == 1


def test_day_is_optional_at_month_quarter_and_year_precision(client, analyst, kosovo):
    client.force_login(analyst)
    data = form_data(kosovo, day="", month="11", precision="quarter", new_status="")
    assert client.post(new_url(kosovo), data).status_code == 302
    event = kosovo.events.get(title=data["title"])
    assert event.occurred_on == datetime.date(2025, 10, 1)
    assert event.precision == "quarter"


def test_with_htmx_errors_come_back_in_the_fragment_with_status_200(client, analyst, kosovo):
    client.force_login(analyst)
    response = client.post(new_url(kosovo), form_data(kosovo, title=""), headers=HTMX)
    assert response.status_code == 200
    assert "HX-Trigger" not in response
    assert "Enter a title." in response.content.decode()


def test_a_status_change_refused_on_the_events_date_is_explained(client, analyst, kosovo):
    client.force_login(analyst)
    client.post(new_url(kosovo), form_data(kosovo))  # Open -> Exploratory on 21 Oct 2025
    kosovo.refresh_from_db()
    # Agreed is allowed from today's Exploratory, but on 1 June 2025 the status was Open.
    data = form_data(kosovo, title="Backdated", new_status=Status.AGREED, day="1", month="6")
    response = client.post(new_url(kosovo), data)
    assert response.status_code == 400
    errors = " ".join(response.context["form"].errors["new_status"])
    assert "Open to talks cannot move to Agreed" in errors
    assert not TalkEvent.objects.filter(title="Backdated").exists()


def test_a_status_change_cannot_be_dated_in_the_future(client, analyst, kosovo):
    client.force_login(analyst)
    response = client.post(new_url(kosovo), form_data(kosovo, year="2099"))
    assert response.status_code == 400
    assert "future" in " ".join(response.context["form"].errors["new_status"])


def test_a_scheme_wide_event_has_no_status_question(client, analyst, kosovo):
    client.force_login(analyst)
    url = reverse("event_new_scheme_wide", args=[kosovo.scheme.slug])
    assert 'name="new_status"' not in client.get(url).content.decode()
    data = form_data(kosovo, title="Summit on return hubs", new_status="", version="")
    assert client.post(url, data).status_code == 302
    event = TalkEvent.objects.get(title="Summit on return hubs")
    assert event.candidacy is None
    assert event.scheme == kosovo.scheme


# Sensitive items ---------------------------------------------------------------------------
def test_only_cleared_analysts_are_offered_official_sensitive(
    client, analyst, cleared_analyst, kosovo
):
    client.force_login(analyst)
    assert "OFFICIAL-SENSITIVE" not in client.get(new_url(kosovo)).content.decode()
    client.force_login(cleared_analyst)
    assert "OFFICIAL-SENSITIVE" in client.get(new_url(kosovo)).content.decode()
    data = form_data(kosovo, classification="official_sensitive")
    assert client.post(new_url(kosovo), data).status_code == 302
    assert kosovo.events.get(title=data["title"]).classification == (
        Classification.OFFICIAL_SENSITIVE
    )


def test_an_uncleared_analyst_cannot_correct_or_retract_a_sensitive_event(
    client, analyst, cleared_analyst, kosovo
):
    secret = add_event(kosovo, cleared_analyst, title="Secret", classification="official_sensitive")
    client.force_login(analyst)
    for name in ("event_correct", "event_retract"):
        url = reverse(name, args=[secret.pk])
        assert client.get(url).status_code == 404
        assert client.post(url, {"reason": "x", "version": "99"}).status_code == 404
    secret.refresh_from_db()
    assert not secret.is_retracted and not secret.is_superseded


def test_the_form_shows_uncleared_users_the_official_status_only(
    client, analyst, cleared_analyst, kosovo
):
    add_event(
        kosovo,
        cleared_analyst,
        occurred_on=datetime.date(2025, 6, 1),
        new_status=Status.NEGOTIATING,
        classification="official_sensitive",
    )
    client.force_login(analyst)
    body = client.get(new_url(kosovo)).content.decode()
    assert "Negotiating</strong>" not in body
    assert 'id="event-form-current-status">Open to talks' in body


# Correct and retract ------------------------------------------------------------------------
def test_a_correction_supersedes_the_event_and_both_are_kept(client, analyst, kosovo):
    original = kosovo.events.get()
    client.force_login(analyst)
    url = reverse("event_correct", args=[original.pk])
    page = client.get(url).content.decode()
    assert 'value="A statement"' in page  # starts from the event's values
    data = form_data(kosovo, title="Corrected statement", new_status=Status.OPEN)
    response = client.post(url, data)
    assert response.status_code == 302
    original.refresh_from_db()
    assert original.superseded_by.title == "Corrected statement"
    assert TalkEvent.objects.count() == 2
    assert AuditEntry.objects.filter(action=AuditAction.CORRECTED).count() == 1


def test_a_retraction_needs_a_reason_and_marks_the_event(client, analyst, kosovo):
    event = kosovo.events.get()
    client.force_login(analyst)
    url = reverse("event_retract", args=[event.pk])
    missing = client.post(url, {"reason": "", "version": kosovo.version})
    assert missing.status_code == 400
    assert "Enter the reason" in missing.content.decode()
    done = client.post(url, {"reason": "Misattributed", "version": kosovo.version})
    assert done.status_code == 302
    event.refresh_from_db()
    kosovo.refresh_from_db()
    assert event.is_retracted and event.retraction_reason == "Misattributed"
    assert kosovo.status == ""


def test_retracting_with_htmx_triggers_events_changed(client, analyst, kosovo):
    event = kosovo.events.get()
    client.force_login(analyst)
    url = reverse("event_retract", args=[event.pk])
    assert "<html" not in client.get(url, headers=HTMX).content.decode()
    response = client.post(url, {"reason": "Wrong", "version": kosovo.version}, headers=HTMX)
    assert "events-changed" in response["HX-Trigger"]
    assert "Event retracted" in response.content.decode()


def test_a_retracted_event_cannot_be_corrected_or_retracted_again(client, analyst, kosovo):
    event = kosovo.events.get()
    client.force_login(analyst)
    client.post(reverse("event_retract", args=[event.pk]), {"reason": "x", "version": 2})
    for name in ("event_correct", "event_retract"):
        response = client.get(reverse(name, args=[event.pk]))
        assert response.status_code == 409
        assert "can no longer be changed" in response.content.decode()


# Conflicts ----------------------------------------------------------------------------------
def test_a_stale_form_is_refused_with_what_changed_and_keeps_the_typing(
    client, analyst, cleared_analyst, kosovo
):
    stale_version = kosovo.version
    add_event(kosovo, cleared_analyst, title="Meanwhile: talks confirmed")
    count = TalkEvent.objects.count()
    client.force_login(analyst)
    data = form_data(kosovo, version=str(stale_version), quote="My careful words")
    response = client.post(new_url(kosovo), data)
    assert response.status_code == 409
    body = response.content.decode()
    assert "Someone else changed this while you were editing" in body
    assert "Meanwhile: talks confirmed" in body
    assert "My careful words" in body
    kosovo.refresh_from_db()
    assert f'name="version" value="{kosovo.version}"' in body
    assert TalkEvent.objects.count() == count
    resubmit = dict(data, version=str(kosovo.version))
    assert client.post(new_url(kosovo), resubmit).status_code == 302


def test_a_sensitive_write_does_not_make_an_uncleared_form_stale(
    client, analyst, cleared_analyst, kosovo
):
    """The uncleared analyst's form carries the OFFICIAL version: a sensitive write meanwhile
    neither refuses the form nor shows up in any answer (decision 0010)."""
    client.force_login(analyst)
    form = client.get(new_url(kosovo)).content.decode()
    add_event(kosovo, cleared_analyst, title="Secret meeting", classification="official_sensitive")
    version = form.split('name="version" value="')[1].split('"')[0]
    response = client.post(new_url(kosovo), form_data(kosovo, version=version))
    assert response.status_code == 302
    assert "Secret meeting" not in client.get(response["Location"]).content.decode()
    assert kosovo.events.filter(title="Kurti confirms informal talks").exists()


def test_an_official_write_still_makes_an_uncleared_form_stale(
    client, analyst, cleared_analyst, kosovo
):
    client.force_login(analyst)
    form = client.get(new_url(kosovo)).content.decode()
    version = form.split('name="version" value="')[1].split('"')[0]
    add_event(kosovo, cleared_analyst, title="Public meeting")
    response = client.post(new_url(kosovo), form_data(kosovo, version=version))
    assert response.status_code == 409
    assert "Public meeting" in response.content.decode()


def test_a_stale_retraction_is_refused(client, analyst, cleared_analyst, kosovo):
    event = kosovo.events.get()
    stale_version = kosovo.version
    add_event(kosovo, cleared_analyst, title="Meanwhile")
    client.force_login(analyst)
    response = client.post(
        reverse("event_retract", args=[event.pk]), {"reason": "Keep me", "version": stale_version}
    )
    assert response.status_code == 409
    assert "Keep me" in response.content.decode()
    event.refresh_from_db()
    assert not event.is_retracted


# History ------------------------------------------------------------------------------------
def test_history_lists_who_changed_what_with_the_status_either_side(client, analyst, kosovo):
    client.force_login(analyst)
    client.post(new_url(kosovo), form_data(kosovo))
    url = reverse("candidacy_history", args=[kosovo.scheme.slug, kosovo.country.slug])
    body = client.get(url).content.decode()
    assert "Kurti confirms informal talks" in body
    assert "analyst" in body
    assert "Open to talks" in body and "Exploratory talks" in body
    fragment = client.get(url, headers=HTMX)
    assert "<html" not in fragment.content.decode()


def test_history_hides_sensitive_rows_and_statuses_from_uncleared_users(
    client, manager, cleared_analyst, kosovo
):
    add_event(
        kosovo,
        cleared_analyst,
        occurred_on=datetime.date(2025, 6, 1),
        title="Secret talks",
        new_status=Status.NEGOTIATING,
        classification="official_sensitive",
    )
    add_event(kosovo, cleared_analyst, occurred_on=datetime.date(2025, 7, 1), title="Open news")
    client.force_login(manager)
    body = client.get(
        reverse("candidacy_history", args=[kosovo.scheme.slug, kosovo.country.slug])
    ).content.decode()
    assert "Secret talks" not in body
    assert "Negotiating" not in body
    assert "Open news" in body


def test_history_needs_the_audit_permission(client, viewer, kosovo):
    client.force_login(viewer)
    url = reverse("candidacy_history", args=[kosovo.scheme.slug, kosovo.country.slug])
    response = client.get(url)
    assert response.status_code == 403
    assert "talks.view_auditentry" in response.content.decode()


# Escaping -----------------------------------------------------------------------------------
TEXT_FIELDS = ("title", "summary", "quote", "speaker")


def test_html_typed_into_every_text_field_comes_back_escaped(client, analyst, kosovo):
    client.force_login(analyst)
    data = form_data(kosovo, new_status="", **{name: XSS for name in TEXT_FIELDS})
    data.update(source_mode="new", source_outlet=XSS, source_title=XSS, source_reliability="C")
    invalid = client.post(new_url(kosovo), dict(data, day="99"))
    assert XSS not in invalid.content.decode()
    assert XSS_ESCAPED in invalid.content.decode()
    assert client.post(new_url(kosovo), data).status_code == 302
    event = kosovo.events.get(title=XSS)
    pages = [
        reverse("event_retract", args=[event.pk]),
        reverse("event_correct", args=[event.pk]),
        reverse("candidacy_history", args=[kosovo.scheme.slug, kosovo.country.slug]),
    ]
    for url in pages:
        body = client.get(url).content.decode()
        assert "<script>alert" not in body, url
        assert XSS_ESCAPED in body, url


def test_after_a_save_only_a_local_next_address_is_followed(client, analyst, kosovo):
    client.force_login(analyst)
    local = client.post(new_url(kosovo), dict(form_data(kosovo), next="/events/?q=kurti"))
    assert local["Location"] == "/events/?q=kurti"
    kosovo.refresh_from_db()
    data = form_data(kosovo, title="Second", new_status="", next="https://evil.example/")
    response = client.post(new_url(kosovo), data)
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]


def test_an_uncleared_move_is_judged_against_the_official_picture(
    client, analyst, cleared_analyst, kosovo
):
    """Open -> Shortlisted is allowed from what the analyst can see, so it is recorded; over
    every event (Negotiating -> Shortlisted) it is not, which cleared readers of the history
    are told (decision 0010). Uncleared readers are told nothing about it."""
    add_event(
        kosovo,
        cleared_analyst,
        occurred_on=datetime.date(2025, 6, 1),
        title="Secret talks",
        new_status=Status.NEGOTIATING,
        classification="official_sensitive",
    )
    kosovo.refresh_from_db()
    client.force_login(analyst)
    data = form_data(
        kosovo, day="1", month="7", new_status=Status.SHORTLISTED, version=kosovo.official_version
    )
    response = client.post(new_url(kosovo), data)
    assert response.status_code == 302
    history = reverse("candidacy_history", args=[kosovo.scheme.slug, kosovo.country.slug])
    assert "Check the full picture" not in client.get(history).content.decode()
    client.force_login(cleared_analyst)
    body = client.get(history).content.decode()
    assert "Check the full picture" in body
    assert "Negotiating cannot move to Shortlisted" in body
    from talks.services.imports import run_import

    text = "country,date,kind,title,new_status\nKosovo,2025-07-02,statement,T,open\n"
    report = run_import(scheme=kosovo.scheme, text=text, by=analyst, commit=False)
    assert report.ok, report.error_rows


def test_sources_cited_only_by_sensitive_events_are_not_offered_to_uncleared_users(
    client, analyst, cleared_analyst, kosovo
):
    secret_source = SourceFactory(outlet="Secret cable", title="Talks with Skopje")
    add_event(
        kosovo,
        cleared_analyst,
        title="S",
        source=secret_source,
        classification="official_sensitive",
    )
    kosovo.refresh_from_db()
    client.force_login(analyst)
    assert "Secret cable" not in client.get(new_url(kosovo)).content.decode()
    response = client.post(new_url(kosovo), form_data(kosovo, source=secret_source))
    assert "source" in response.context["form"].errors
    client.force_login(cleared_analyst)
    assert "Secret cable" in client.get(new_url(kosovo)).content.decode()


def test_a_correction_with_htmx_answers_with_the_fragment_and_the_trigger(client, analyst, kosovo):
    original = kosovo.events.get()
    client.force_login(analyst)
    url = reverse("event_correct", args=[original.pk])
    fragment = client.get(url, headers=HTMX).content.decode()
    assert "<html" not in fragment and "Correct this event" in fragment
    data = form_data(kosovo, title="Corrected in place", new_status=Status.OPEN)
    response = client.post(url, data, headers=HTMX)
    assert response.status_code == 200
    assert "events-changed" in response["HX-Trigger"]
    assert "Correction recorded: Corrected in place" in response.content.decode()


def test_a_scheme_wide_event_can_be_corrected_and_retracted(client, analyst, kosovo):
    client.force_login(analyst)
    url = reverse("event_new_scheme_wide", args=[kosovo.scheme.slug])
    client.post(url, form_data(kosovo, title="Summit", new_status="", version=""))
    summit = TalkEvent.objects.get(title="Summit")
    corrected = client.post(
        reverse("event_correct", args=[summit.pk]),
        form_data(kosovo, title="Summit (corrected date)", new_status="", version=""),
    )
    assert corrected.status_code == 302
    correction = TalkEvent.objects.get(title="Summit (corrected date)")
    assert correction.candidacy is None
    retracted = client.post(
        reverse("event_retract", args=[correction.pk]), {"reason": "Never happened"}
    )
    assert retracted.status_code == 302
    correction.refresh_from_db()
    assert correction.is_retracted


def test_a_history_restore_gets_the_whole_form_and_history_pages(client, analyst, kosovo):
    """The back button after an htmx swap asks for the whole page, not the fragment."""
    client.force_login(analyst)
    restore = {**HTMX, "HX-History-Restore-Request": "true"}
    history = reverse("candidacy_history", args=[kosovo.scheme.slug, kosovo.country.slug])
    for url in (new_url(kosovo), history):
        assert "<html" not in client.get(url, headers=HTMX).content.decode(), url
        assert "<html" in client.get(url, headers=restore).content.decode(), url
