"""Journeys through following, digests and background exports, with a real worker process and
a real SMTP server.

1. A viewer follows Kosovo and asks for a daily digest; an analyst records an event; the worker's
   scheduler sends the digest, which names the event; the viewer's next visit shows what changed;
   the email's unsubscribe link works.
2. A manager's large export runs as a job: the progress bar moves, the worker is killed mid-job
   and a second one finishes it with one correct file, which downloads; another manager cannot.
"""

import csv
import datetime
import io
import re
import time

import pytest
from django.contrib.auth.models import Group
from django.test import override_settings
from django.urls import reverse
from playwright.sync_api import expect

from talks.following.models import DigestDelivery, DigestSettings
from talks.jobs.models import ExportJob, ExportJobChunk, JobStatus
from talks.models import TalkEvent
from talks.services.demo import load_demo_data
from tests.browser.conftest import log_in, new_page, screenshot
from tests.browser.test_analyst_journey import fill_event
from tests.factories import UserFactory
from tests.following.smtp import SmtpServer
from tests.jobs.helpers import WorkerProcess, wait_until
from tests.jobs.test_worker_process import _bulk_events

SCHEME = "uk-return-hubs-2025"
TITLE = "Kosovo and the UK open formal talks on a return hub"


@pytest.fixture
def smtp(tmp_path):
    server = SmtpServer(tmp_path / "maildir").start()
    yield server
    server.stop()


def test_a_viewer_follows_kosovo_gets_the_digest_sees_what_changed_and_unsubscribes(
    page, browser, live_server, blocked_requests, viewer, analyst, cleared_analyst, smtp, tmp_path
):
    load_demo_data(recorded_by=cleared_analyst)
    viewer.email = "viewer@example.gov.uk"
    viewer.save()

    log_in(page, live_server, viewer, next_path="/countries/kosovo/")
    page.get_by_role("button", name="Follow Kosovo").click()
    expect(page.locator("#follow-button")).to_contain_text("Following")
    page.goto(f"{live_server.url}{reverse('following')}")
    page.get_by_label("Daily").check()
    page.get_by_role("button", name="Save digest setting").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("digest setting is saved")
    expect(page.locator("#follows")).to_contain_text("Kosovo")

    writer = new_page(browser, live_server, blocked_requests)
    form_url = reverse("event_new", args=[SCHEME, "kosovo"])
    log_in(writer, live_server, analyst, next_path=form_url)
    fill_event(writer, title=TITLE, quote="We have begun", status=None)
    writer.locator("#event-form button[type=submit]").click()
    wait_until(lambda: TalkEvent.objects.filter(title=TITLE).exists(), what="the event to save")
    event = TalkEvent.objects.get(title=TITLE)

    env = {
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp.port),
        "DIGEST_TIME": "00:00",
        "SITE_URL": live_server.url,
    }
    worker = WorkerProcess(tmp_path / "worker.log", **env).start()
    try:
        [message] = smtp.wait_for_messages(1, timeout=90)
    finally:
        worker.stop()
    delivery = DigestDelivery.objects.get(user=viewer, status="sent")
    latency = (delivery.sent_at - event.recorded_at).total_seconds()
    print(f"\nevent recorded -> digest sent through the worker: {latency:.2f} s")
    assert message["To"] == "viewer@example.gov.uk"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert TITLE in text and TITLE in html
    assert f"{live_server.url}/countries/kosovo/" in html

    page.goto(f"{live_server.url}/countries/kosovo/")
    banner = page.locator("#changes-since-visit")
    expect(banner).to_contain_text("What changed since your last visit")
    expect(banner).to_contain_text(TITLE)
    screenshot(page, "following-what-changed")

    [unsubscribe] = re.findall(r"<([^>]+)>", message["List-Unsubscribe"])
    page.goto(unsubscribe)
    page.get_by_role("button", name="Stop my digests").click()
    expect(page.locator("h1")).to_contain_text("You will get no more digests")
    assert DigestSettings.objects.get(user=viewer).frequency == "off"
    page.goto(f"{live_server.url}{reverse('following')}")
    expect(page.get_by_label("Never: I will look on the site")).to_be_checked()


BIG = 30_000


def _progress(page) -> int | None:
    label = page.locator("label[for=job-progress]")
    if not label.count():
        return None
    found = re.search(r"(\d+)%", label.first.inner_text())
    return int(found.group(1)) if found else None


@override_settings(JOBS_EXPORT_INLINE_MAX_ROWS=5_000)
def test_a_large_export_shows_progress_survives_a_killed_worker_and_only_its_owner_downloads(
    page, browser, live_server, blocked_requests, manager, tmp_path
):
    from tests.factories import CandidacyFactory

    _bulk_events(CandidacyFactory(), BIG)
    log_in(page, live_server, manager, next_path="/events/")
    page.get_by_role("button", name="Prepare CSV").click()
    expect(page.locator("h1")).to_contain_text("Event log (CSV)")
    job = ExportJob.objects.get()
    seen = set()
    log = tmp_path / "worker.log"
    # Paused after each progress report, so progress can be seen and the worker stopped mid-job.
    first = WorkerProcess(log, JOBS_PROGRESS_PAUSE_MS="500").start()
    try:
        deadline = time.monotonic() + 120
        while ExportJob.objects.get(pk=job.pk).rows_done < 8_000 and time.monotonic() < deadline:
            seen.add(_progress(page))
            time.sleep(0.3)
        first.kill()
    finally:
        first.stop()
    screenshot(page, "export-job-progress")
    second = WorkerProcess(log).start()
    try:
        while not page.locator("[data-job-status=done]").count():
            seen.add(_progress(page))
            time.sleep(0.3)
            assert time.monotonic() < deadline + 180, "the retried export did not finish"
    finally:
        second.stop()
    assert any(value and 0 < value < 100 for value in seen), seen
    screenshot(page, "export-job-done")
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("Download hubtracker-events")).click()
    rows = list(csv.reader(io.StringIO(download.value.path().read_text("utf-8-sig"))))
    assert len(rows) == BIG + 1 and len({row[0] for row in rows[1:]}) == BIG
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.attempt == 2
    assert set(ExportJobChunk.objects.filter(job=job).values_list("attempt", flat=True)) == {2}

    other_manager = UserFactory(username="other_manager")
    other_manager.groups.add(Group.objects.get(name="Managers"))
    other = new_page(browser, live_server, blocked_requests)
    log_in(other, live_server, other_manager)
    for name in ("job_detail", "job_download"):
        response = other.request.get(f"{live_server.url}{reverse(name, args=[job.pk])}")
        assert response.status == 404
    assert datetime.timedelta(hours=23) < job.expires_at - job.finished_at
