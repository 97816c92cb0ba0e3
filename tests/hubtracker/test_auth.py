import datetime

import pytest
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from hubtracker.views import permission_denied
from talks import access
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def sign_in(client, username, password=PASSWORD, ip="10.0.0.1"):
    return client.post(
        reverse("login"),
        {"login": username, "password": password, "next": "/healthz"},
        REMOTE_ADDR=ip,
    )


def test_a_correct_password_signs_in(client, viewer):
    response = sign_in(client, "viewer")
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_a_wrong_password_shows_an_error_beside_the_form(client, viewer):
    response = sign_in(client, "viewer", "wrong")
    assert response.status_code == 200
    assert b"There is a problem" in response.content
    assert "_auth_user_id" not in client.session


def test_every_page_needs_a_sign_in(client):
    response = client.get("/events/1/correct/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_session_idle_for_longer_than_the_limit_ends(client, viewer, settings):
    assert settings.SESSION_COOKIE_AGE == settings.SESSION_IDLE_MINUTES * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST
    client.force_login(viewer)
    session = Session.objects.get()
    session.expire_date = timezone.now() - datetime.timedelta(seconds=1)
    session.save()
    response = client.get("/events/1/correct/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_each_request_pushes_the_idle_expiry_back(client, viewer, settings):
    client.force_login(viewer)
    session = Session.objects.get()
    session.expire_date = timezone.now() + datetime.timedelta(minutes=1)
    session.save()
    client.get("/events/1/correct/")
    session.refresh_from_db()
    expected = timezone.now() + datetime.timedelta(minutes=settings.SESSION_IDLE_MINUTES)
    assert abs((session.expire_date - expected).total_seconds()) < 60


def test_the_403_page_names_the_missing_permission_and_group(viewer):
    request = RequestFactory().get("/")
    request.user = viewer
    response = permission_denied(
        request, PermissionDenied(access.missing_permission_message(access.RECORD))
    )
    body = response.content.decode()
    assert response.status_code == 403
    assert "talks.record_event" in body
    assert "Analysts group" in body
    assert "govuk-heading-l" in body


def test_the_permission_decorator_refuses_with_the_message(viewer):
    @access.requires(access.IMPORT)
    def view(request):
        raise AssertionError("must not run")

    request = RequestFactory().get("/")
    request.user = viewer
    with pytest.raises(PermissionDenied, match="talks.import_events"):
        view(request)


def test_an_htmx_request_without_a_session_is_sent_to_the_sign_in_page_as_a_whole(client):
    response = client.get("/events/1/correct/", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response["HX-Redirect"].startswith(reverse("login"))


def test_the_sign_in_page_offers_no_open_redirect(client, viewer):
    response = client.post(
        reverse("login"),
        {"login": "viewer", "password": PASSWORD, "next": "https://evil.example/"},
        REMOTE_ADDR="10.0.0.9",
    )
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]
