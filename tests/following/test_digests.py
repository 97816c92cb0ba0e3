"""Email digests: content, once per period, sensitive text never sent, signed unsubscribe, and
a real SMTP server receiving them."""

import datetime
import re

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from talks.following import digests, services
from talks.following.models import DeliveryStatus, DigestDelivery, DigestSettings
from talks.jobs.models import ScheduledRun
from talks.models import Classification
from tests.factories import CandidacyFactory, CountryFactory, add_event
from tests.jobs.helpers import run_tasks

pytestmark = pytest.mark.django_db
SECRET = "Secret channel via the embassy"


@pytest.fixture
def kosovo():
    return CandidacyFactory(country=CountryFactory(name="Kosovo", slug="kosovo", code="XKX"))


def _subscribe(user, candidacy, frequency="daily"):
    user.email = f"{user.username}@example.gov.uk"
    user.save()
    services.follow(user=user, country=candidacy.country)
    services.set_frequency(user=user, frequency=frequency)


def _record_both(kosovo, cleared_analyst):
    add_event(kosovo, cleared_analyst, title="Kosovo agrees to formal talks")
    add_event(
        kosovo, cleared_analyst, title=SECRET, classification=Classification.OFFICIAL_SENSITIVE
    )


def _send_now(now=None) -> list:
    now = now or timezone.now()
    digests.schedule_due_digests(now=now)
    run_tasks()
    return mail.outbox


@override_settings(DIGEST_TIME="00:00")
def test_a_viewer_gets_the_event_and_nothing_of_the_sensitive_one(viewer, cleared_analyst, kosovo):
    _subscribe(viewer, kosovo)
    _record_both(kosovo, cleared_analyst)
    [message] = _send_now()
    text = message.body
    html = message.alternatives[0].content
    assert "Kosovo agrees to formal talks" in text and "Kosovo agrees to formal talks" in html
    for body in (text, html, message.subject):
        assert SECRET not in body
        assert "OFFICIAL-SENSITIVE" not in body
    assert message.to == ["viewer@example.gov.uk"]


@override_settings(DIGEST_TIME="00:00")
def test_a_cleared_user_is_told_how_many_sensitive_items_changed_never_what(
    cleared_manager, cleared_analyst, kosovo
):
    _subscribe(cleared_manager, kosovo)
    _record_both(kosovo, cleared_analyst)
    [message] = _send_now()
    text = " ".join(message.body.split())
    assert "1 OFFICIAL-SENSITIVE item changed: sign in to read it" in text
    assert SECRET not in message.body and SECRET not in message.alternatives[0].content


@override_settings(DIGEST_TIME="00:00")
def test_each_period_is_planned_once_and_each_digest_sent_once(viewer, analyst, kosovo):
    _subscribe(viewer, kosovo)
    add_event(kosovo, analyst, title="Kosovo agrees to formal talks")
    now = timezone.now()
    assert f"daily:{timezone.localdate(now).isoformat()}" in digests.schedule_due_digests(now=now)
    assert digests.schedule_due_digests(now=now) == []  # a second scheduler: nothing to do
    run_tasks()
    delivery = DigestDelivery.objects.get()
    # The same send task run again (as after a retry) sends nothing more.
    assert digests.send_delivery(str(delivery.pk)) == DeliveryStatus.SENT
    assert (
        digests.plan_digests(frequency="daily", period_key=delivery.period_key, window_end=now) == 0
    )
    run_tasks()
    assert len(mail.outbox) == 1
    assert ScheduledRun.objects.filter(key__startswith="digests:daily:").count() == 1


@override_settings(DIGEST_TIME="00:00")
def test_the_next_digest_starts_where_the_last_ended(viewer, analyst, kosovo):
    _subscribe(viewer, kosovo)
    add_event(kosovo, analyst, title="First news")
    _send_now()
    add_event(kosovo, analyst, title="Second news")
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    outbox = _send_now(tomorrow)
    assert len(outbox) == 2
    assert "Second news" in outbox[1].body and "First news" not in outbox[1].body


@override_settings(DIGEST_TIME="00:00")
def test_nothing_changed_means_no_email(viewer, kosovo):
    _subscribe(viewer, kosovo)
    assert _send_now() == []
    assert DigestDelivery.objects.get().status == DeliveryStatus.NOTHING


@override_settings(DIGEST_TIME="23:59")
def test_no_digest_before_its_time(viewer, analyst, kosovo):
    _subscribe(viewer, kosovo)
    add_event(kosovo, analyst)
    early = timezone.make_aware(
        datetime.datetime.combine(timezone.localdate(), datetime.time(23, 0))
    )
    assert digests.due_periods(early) == [] or all(
        key.startswith("weekly") for _, key in digests.due_periods(early)
    )


@override_settings(DIGEST_TIME="00:00", DIGEST_WEEKDAY=1)
def test_weekly_subscribers_get_nothing_from_the_daily_run(viewer, analyst, kosovo):
    _subscribe(viewer, kosovo, frequency="weekly")
    add_event(kosovo, analyst)
    now = timezone.now()
    digests.plan_digests(frequency="daily", period_key="daily:x", window_end=now)
    assert not DigestDelivery.objects.exists()
    assert digests.plan_digests(frequency="weekly", period_key="weekly:x", window_end=now) == 1


def test_the_unsubscribe_link_asks_first_then_stops_digests(client, viewer):
    services.set_frequency(user=viewer, frequency="daily")
    url = reverse("digest_unsubscribe", args=[services.unsubscribe_token(viewer)])
    page = client.get(url)  # no login: the link comes from an email
    assert page.status_code == 200 and "Stop my digests" in page.content.decode()
    assert DigestSettings.objects.get(user=viewer).frequency == "daily"
    done = client.post(url)
    assert done.status_code == 200
    assert DigestSettings.objects.get(user=viewer).frequency == "off"


def test_one_click_unsubscribe_works_without_a_session_or_csrf_token(viewer):
    from django.test import Client

    services.set_frequency(user=viewer, frequency="weekly")
    url = reverse("digest_unsubscribe", args=[services.unsubscribe_token(viewer)])
    response = Client(enforce_csrf_checks=True).post(
        url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert DigestSettings.objects.get(user=viewer).frequency == "off"


@pytest.mark.parametrize("token", ["1", "1:forged", "nonsense:abc:def"])
def test_a_forged_unsubscribe_token_changes_nothing(client, viewer, token):
    services.set_frequency(user=viewer, frequency="daily")
    response = client.post(reverse("digest_unsubscribe", args=[token]))
    assert response.status_code == 400
    assert DigestSettings.objects.get(user=viewer).frequency == "daily"


@override_settings(DIGEST_TIME="00:00", SITE_URL="https://hubtracker.example.gov.uk")
def test_a_digest_through_a_real_smtp_server_is_a_well_formed_email(
    viewer, cleared_manager, cleared_analyst, kosovo, smtp_server, client
):
    _subscribe(viewer, kosovo)
    _subscribe(cleared_manager, kosovo)
    _record_both(kosovo, cleared_analyst)
    with override_settings(MAILERS=smtp_server.mailer()):
        digests.schedule_due_digests(now=timezone.now())
        run_tasks()
    received = {m["To"]: m for m in smtp_server.wait_for_messages(2)}
    assert set(received) == {"viewer@example.gov.uk", "cleared_manager@example.gov.uk"}
    for message in received.values():
        assert message.get_content_type() == "multipart/alternative"
        text = message.get_body(("plain",)).get_content()
        html = message.get_body(("html",)).get_content()
        assert "Kosovo agrees to formal talks" in text and "Kosovo agrees to formal talks" in html
        assert SECRET not in message.as_string()
        assert "https://hubtracker.example.gov.uk/countries/kosovo/" in html
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        [link] = re.findall(r"<(https://[^>]+)>", message["List-Unsubscribe"])
        assert link in text and link in html
        assert message["Message-ID"].startswith("<digest-")
    cleared_text = received["cleared_manager@example.gov.uk"].get_body(("plain",)).get_content()
    assert "1 OFFICIAL-SENSITIVE item changed: sign in to read it" in " ".join(cleared_text.split())
    viewer_mail = received["viewer@example.gov.uk"].as_string()
    assert "OFFICIAL-SENSITIVE" not in viewer_mail
    # The link in the email unsubscribes, one click, as a mail client would POST it.
    [link] = re.findall(r"<(https://[^>]+)>", received["viewer@example.gov.uk"]["List-Unsubscribe"])
    path = link.removeprefix("https://hubtracker.example.gov.uk")
    assert client.post(path, {"List-Unsubscribe": "One-Click"}).status_code == 200
    assert DigestSettings.objects.get(user=viewer).frequency == "off"
    assert not DBTaskResult.objects.exclude(status="SUCCESSFUL").exists()


def test_an_uncleared_readers_digest_is_the_same_whether_sensitive_items_exist(
    viewer, analyst, cleared_analyst, kosovo
):
    _subscribe(viewer, kosovo)
    add_event(kosovo, analyst, title="Kosovo agrees to formal talks")
    start = timezone.now() - datetime.timedelta(days=1)
    end = timezone.now() + datetime.timedelta(minutes=1)
    delivery = DigestDelivery(user=viewer, period_key="daily:x", window_start=start, window_end=end)

    def rendered() -> tuple[str, str, str]:
        digest = digests.build_digest(user=viewer, start=start, end=end)
        message = digests.digest_message(digest, delivery)
        return message.subject, message.body, message.alternatives[0].content

    before = rendered()
    add_event(
        kosovo, cleared_analyst, title=SECRET, classification=Classification.OFFICIAL_SENSITIVE
    )
    assert rendered() == before
