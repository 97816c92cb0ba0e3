"""/healthz answers for the load balancer; 404 and 500 pages help people back to their work."""

from unittest import mock

import pytest
from django.db import OperationalError
from django.db.backends.utils import CursorWrapper
from django.http import HttpRequest
from django.urls import path

pytestmark = pytest.mark.django_db


def broken_view(request: HttpRequest):
    raise RuntimeError("boom")


urlpatterns = [path("boom/", broken_view)]
for pattern in urlpatterns:
    pattern.callback.login_required = False


def test_healthz_answers_200_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response.headers["Cache-Control"]


def test_healthz_needs_no_login(client):
    assert client.get("/healthz").status_code == 200


def test_healthz_answers_503_when_the_database_is_down(client):
    with mock.patch.object(CursorWrapper, "execute", side_effect=OperationalError("down")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unavailable"}


def test_healthz_refuses_post(client):
    assert client.post("/healthz").status_code == 405


def test_an_unknown_address_gets_a_helpful_404_page(client, viewer):
    client.force_login(viewer)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html
    assert 'href="/"' in html
    assert "Skip to main content" in html
    assert "Content-Security-Policy" in response.headers


def test_the_404_page_works_for_anonymous_visitors(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


@pytest.mark.urls(__name__)
def test_a_crash_gets_the_500_page_even_with_the_database_down(client):
    client.raise_request_exception = False
    with mock.patch.object(CursorWrapper, "execute", side_effect=OperationalError("down")):
        response = client.get("/boom/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Sorry, there is a problem with HubTracker" in html
    assert 'href="/"' in html
    assert "<script" not in html  # no nonce in the error context: the page needs no script


def test_the_500_template_renders_without_request_or_database():
    from django.template import loader

    with mock.patch.object(CursorWrapper, "execute", side_effect=OperationalError("down")):
        html = loader.get_template("500.html").render({})
    assert "Sorry, there is a problem with HubTracker" in html


def test_the_events_csv_export_streams_for_a_manager(client, cleared_manager):
    """Found by the benchmark: the export called a filter API the event log no longer has."""
    from django.core.management import call_command

    call_command("load_demo_data", verbosity=0)
    client.force_login(cleared_manager)
    response = client.get("/exports/events.csv", {"scheme": "", "q": "Kosovo"})
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "Kosovo" in body
    # An invalid filter is left out, exactly as the event log page leaves it out, and the
    # export log says so.
    from talks.models import ExportLog

    assert client.get("/exports/events.csv", {"date_from": "2025-13-45"}).status_code == 200
    assert "date_from" in ExportLog.objects.latest("pk").filters["ignored (invalid)"]
