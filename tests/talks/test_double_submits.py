"""A form submitted twice (a double click, a resend after a timeout, two tabs) records once.

Every write form carries a one-time key; the second submission finds it and answers as the first
did. The import's confirm also holds when both arrive at the same moment (PostgreSQL, two
connections).
"""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from talks.models import TalkEvent
from tests.talks.briefing_data import make_scheme_data
from tests.talks.test_bad_input import (
    IMPORT_HEADER,
    SCHEME,
    event_fields,
    hidden_fields,
    open_and_submit_twice,
    upload,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def scheme_data(db):
    return make_scheme_data()


# Double submits: every write form records once --------------------------------------------------
def test_a_scheme_wide_event_submitted_twice_is_recorded_once(client, analyst, scheme_data):
    client.force_login(analyst)
    url = reverse("event_new_scheme_wide", args=[SCHEME])
    first, second = open_and_submit_twice(client, url, event_fields("Summit on return hubs"))
    assert first.status_code == 302
    assert second.status_code == 302
    assert TalkEvent.objects.filter(title="Summit on return hubs").count() == 1


@pytest.mark.parametrize("htmx", [False, True])
def test_an_event_submitted_twice_is_recorded_once_without_a_conflict(
    client, analyst, scheme_data, htmx
):
    client.force_login(analyst)
    url = reverse("event_new", args=[SCHEME, "kosovo"])
    headers = {"HX-Request": "true"} if htmx else {}
    page = client.get(url)
    body = {**hidden_fields(page, url), **event_fields("Kosovo double click")}
    first = client.post(url, body, headers=headers)
    second = client.post(url, body, headers=headers)
    assert TalkEvent.objects.filter(title="Kosovo double click").count() == 1
    assert first.status_code == second.status_code == (200 if htmx else 302)
    if htmx:
        assert "events-changed" in second.headers.get("HX-Trigger", "")
        assert "changed by someone else" not in second.content.decode()


def test_a_correction_submitted_twice_is_recorded_once(client, analyst, scheme_data):
    client.force_login(analyst)
    event = scheme_data.kosovo.events.order_by("pk").last()
    url = reverse("event_correct", args=[event.pk])
    first, second = open_and_submit_twice(client, url, event_fields("Corrected once"))
    assert (first.status_code, second.status_code) == (302, 302)
    assert TalkEvent.objects.filter(title="Corrected once").count() == 1


def test_a_retraction_submitted_twice_answers_as_done(client, analyst, scheme_data):
    client.force_login(analyst)
    event = scheme_data.kosovo.events.order_by("pk").last()
    url = reverse("event_retract", args=[event.pk])
    first, second = open_and_submit_twice(client, url, {"reason": "Misreported"})
    assert (first.status_code, second.status_code) == (302, 302)
    event.refresh_from_db()
    assert event.retraction_reason == "Misreported"


GOOD_FILE = (
    IMPORT_HEADER
    + "Kosovo,2025-10-25,statement,Kosovo file row,,,,\n"
    + ",2025-10-26,milestone,Scheme-wide file row,,,,\n"
)


def test_an_import_confirmed_twice_imports_once_and_says_so(client, analyst, scheme_data):
    client.force_login(analyst)
    preview = upload(client, GOOD_FILE)
    confirm_url = reverse("event_import_confirm", args=[SCHEME])
    body = hidden_fields(preview, confirm_url)
    first = client.post(confirm_url, body)
    second = client.post(confirm_url, body)
    assert (first.status_code, second.status_code) == (302, 302)
    assert TalkEvent.objects.filter(title__endswith="file row").count() == 2
    page = client.get(second["Location"]).content.decode()
    assert "expired" not in page
    assert "Imported" in page


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("with_key", [True, False], ids=["with-form-key", "without-form-key"])
def test_the_same_import_confirmed_twice_at_once_imports_once_without_an_error(analyst, with_key):
    """Two requests, two threads, two database connections, the same session and file. Without
    the form's key (an older page), the import's lock on the scheme still keeps it to once."""
    from tests.groups import ensure_groups

    ensure_groups()
    make_scheme_data()
    client = Client()
    client.force_login(analyst)
    confirm_url = reverse("event_import_confirm", args=[SCHEME])
    for round_number in range(5):
        text = (
            IMPORT_HEADER
            + f"Kosovo,2025-10-2{round_number},statement,Kosovo row {round_number},,,,\n"
            + f",2025-11-0{round_number + 1},milestone,Scheme row {round_number},,,,\n"
        )
        preview = upload(client, text)
        assert preview.status_code == 200, preview.content.decode()
        body = hidden_fields(preview, confirm_url)
        assert "submission_key" in body
        if not with_key:
            del body["submission_key"]
        statuses: list[int] = []
        start = threading.Barrier(2)

        def confirm(statuses=statuses, start=start, body=body):
            twin = Client()
            twin.cookies = client.cookies
            twin.raise_request_exception = False
            start.wait()
            try:
                statuses.append(twin.post(confirm_url, body).status_code)
            finally:
                connection.close()

        threads = [threading.Thread(target=confirm) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(statuses) == [302, 302], (round_number, statuses)
        for title in (f"Kosovo row {round_number}", f"Scheme row {round_number}"):
            assert TalkEvent.objects.filter(title=title).count() == 1, (round_number, title)


def test_a_form_refused_for_an_error_saves_when_corrected_and_sent_again(
    client, analyst, scheme_data
):
    """A refused write releases the form's key: the corrected form, same key, is saved."""
    client.force_login(analyst)
    url = reverse("event_new_scheme_wide", args=[SCHEME])
    body = {**hidden_fields(client.get(url), url), **event_fields("Fixed and sent again")}
    refused = client.post(url, {**body, "year": "1066"})
    assert refused.status_code == 400
    assert hidden_fields(refused, url)["submission_key"] == body["submission_key"]
    assert client.post(url, body).status_code == 302
    assert TalkEvent.objects.filter(title="Fixed and sent again").count() == 1


def test_each_opening_of_a_form_gets_its_own_key(client, analyst, scheme_data):
    client.force_login(analyst)
    url = reverse("event_new_scheme_wide", args=[SCHEME])
    first, second = (hidden_fields(client.get(url), url)["submission_key"] for _ in range(2))
    assert first != second and len(first) >= 16
    for title in ("First report", "Second report"):
        body = {**hidden_fields(client.get(url), url), **event_fields(title)}
        assert client.post(url, body).status_code == 302
    assert TalkEvent.objects.filter(title__endswith="report").count() == 2
