"""Large event-log exports as background jobs: offered, queued, run, downloaded by their owner
only, finished once even when retried."""

import csv
import datetime
import io

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from talks.jobs import exports, scheduler
from talks.jobs.models import ExportJob, ExportJobChunk, JobStatus, WorkerHeartbeat
from talks.models import Classification
from tests.factories import CandidacyFactory, add_event
from tests.jobs.helpers import run_tasks

pytestmark = pytest.mark.django_db
SECRET = "Secret channel via the embassy"


@pytest.fixture
def events(cleared_analyst):
    analyst = cleared_analyst
    candidacy = CandidacyFactory()
    for day in range(1, 8):
        add_event(candidacy, analyst, title=f"Event {day}", occurred_on=datetime.date(2025, 5, day))
    add_event(candidacy, analyst, title=SECRET, classification=Classification.OFFICIAL_SENSITIVE)
    return candidacy


def _csv_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def _download(client, job) -> bytes:
    response = client.get(reverse("job_download", args=[job.pk]))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


@override_settings(JOBS_EXPORT_INLINE_MAX_ROWS=3)
def test_a_large_export_is_offered_as_a_background_job(client, manager, events):
    client.force_login(manager)
    response = client.get(reverse("export_events", args=["csv"]) + "?q=&page=2&kind=statement")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Prepare the CSV file" in html
    assert 'value="kind=statement"' in html  # the filters travel, the page does not
    assert not ExportJob.objects.exists()  # a GET starts nothing


@override_settings(JOBS_EXPORT_INLINE_MAX_ROWS=3)
def test_a_job_runs_in_a_worker_and_its_file_matches_the_direct_download(client, manager, events):
    client.force_login(manager)
    started = client.post(reverse("job_start_events", args=["csv"]), {"query": ""})
    job = ExportJob.objects.get()
    assert started.status_code == 302 and started["Location"] == reverse(
        "job_detail", args=[job.pk]
    )
    assert job.status == JobStatus.QUEUED
    page = client.get(reverse("job_detail", args=[job.pk]))
    assert 'data-hx-trigger="every 1s"' in page.content.decode()
    assert run_tasks() == 1
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.rows_total == 7 and job.attempt == 1
    rows = _csv_rows(_download(client, job))
    assert len(rows) == 8  # header + the 7 OFFICIAL events a manager without clearance sees
    assert SECRET not in str(rows)
    done = client.get(reverse("job_detail", args=[job.pk]), headers={"HX-Request": "true"})
    html = done.content.decode()
    assert "hx-trigger" not in html  # polling stops when the job is done
    assert reverse("job_download", args=[job.pk]) in html and "<html" not in html


def test_the_job_file_equals_the_inline_export(client, manager, events):
    client.force_login(manager)
    inline = b"".join(client.get(reverse("export_events", args=["csv"])).streaming_content)
    job = exports.start_events_export(user=manager, fmt="csv", query="")
    run_tasks()
    job.refresh_from_db()
    assert _csv_rows(_download(client, job)) == _csv_rows(inline)


def test_an_excel_job_makes_a_workbook(client, manager, events):
    from openpyxl import load_workbook

    client.force_login(manager)
    job = exports.start_events_export(user=manager, fmt="xlsx", query="kind=statement")
    run_tasks()
    job.refresh_from_db()
    workbook = load_workbook(io.BytesIO(_download(client, job)), read_only=True)
    assert len(list(workbook.active.iter_rows())) == 8


def test_a_cleared_managers_job_includes_sensitive_rows(client, cleared_manager, events):
    client.force_login(cleared_manager)
    job = exports.start_events_export(user=cleared_manager, fmt="csv", query="")
    run_tasks()
    job.refresh_from_db()
    assert job.included_sensitive
    assert SECRET in _download(client, job).decode("utf-8-sig")


def test_only_the_owner_sees_or_downloads_a_job(client, manager, cleared_manager, viewer, events):
    job = exports.start_events_export(user=manager, fmt="csv", query="")
    run_tasks()
    client.force_login(cleared_manager)
    for name in ("job_detail", "job_download"):
        assert client.get(reverse(name, args=[job.pk])).status_code == 404
    client.force_login(viewer)
    assert client.get(reverse("job_download", args=[job.pk])).status_code == 403
    client.force_login(manager)
    assert client.get(reverse("job_download", args=[job.pk])).status_code == 200


def test_a_sensitive_file_is_withheld_once_its_owner_loses_clearance(
    client, cleared_manager, events
):
    job = exports.start_events_export(user=cleared_manager, fmt="csv", query="")
    run_tasks()
    cleared_manager.user_permissions.clear()
    client.force_login(cleared_manager)
    assert client.get(reverse("job_download", args=[job.pk])).status_code == 404


def test_a_second_attempt_takes_over_and_the_first_cannot_finish(manager, events):
    job = exports.start_events_export(user=manager, fmt="csv", query="")
    first = exports._begin(str(job.pk))
    first_out = exports.ChunkWriter(first)
    first_out.write(b"half a file")
    first_out.flush()
    second = exports._begin(str(job.pk))  # the worker was lost; the task runs again
    assert second.attempt == 2
    with pytest.raises(exports.StaleAttempt):
        exports._report(first, rows_done=1)  # progress and the finish both go through this
    exports.run_job(str(job.pk))  # the retry is already running: nothing to begin twice?
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.attempt == 3
    assert set(ExportJobChunk.objects.filter(job=job).values_list("attempt", flat=True)) == {3}


def test_a_finished_job_is_not_run_again(manager, events):
    job = exports.start_events_export(user=manager, fmt="csv", query="")
    run_tasks()
    exports.run_job(str(job.pk))
    job.refresh_from_db()
    assert job.attempt == 1 and job.status == JobStatus.DONE


def test_a_job_gives_up_after_three_attempts(manager, events):
    job = exports.start_events_export(user=manager, fmt="csv", query="")
    ExportJob.objects.filter(pk=job.pk).update(attempt=3, status=JobStatus.RUNNING)
    exports.run_job(str(job.pk))
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "3 attempts" in job.error


@override_settings(JOBS_WORKER_LOST_SECONDS=30)
def test_a_task_whose_worker_stopped_beating_goes_back_to_the_queue(manager, events):
    exports.start_events_export(user=manager, fmt="csv", query="")
    exports.start_events_export(user=manager, fmt="csv", query="")
    long_ago = timezone.now() - datetime.timedelta(minutes=5)
    lost, alive = DBTaskResult.objects.all()[:2]
    for task, worker in ((lost, "lost-worker"), (alive, "alive-worker")):
        task.claim(worker)
        DBTaskResult.objects.filter(pk=task.pk).update(started_at=long_ago)
    now = timezone.now()
    scheduler.beat(worker_id="alive-worker", started_at=long_ago, now=now)
    assert scheduler.requeue_lost_tasks(now=now) == 1
    lost.refresh_from_db()
    alive.refresh_from_db()
    assert (lost.status, alive.status) == ("READY", "RUNNING")
    assert WorkerHeartbeat.objects.filter(worker_id="alive-worker").exists()


def test_expired_files_are_deleted(client, manager, events):
    job = exports.start_events_export(user=manager, fmt="csv", query="")
    run_tasks()
    job.refresh_from_db()
    assert exports.delete_expired_files(now=job.expires_at + datetime.timedelta(seconds=1)) == 1
    job.refresh_from_db()
    assert job.status == JobStatus.EXPIRED and not ExportJobChunk.objects.filter(job=job).exists()
    client.force_login(manager)
    assert client.get(reverse("job_download", args=[job.pk])).status_code == 404


def test_the_downloads_page_lists_only_your_jobs(client, manager, cleared_manager, events):
    mine = exports.start_events_export(user=manager, fmt="csv", query="")
    exports.start_events_export(user=cleared_manager, fmt="xlsx", query="")
    client.force_login(manager)
    html = client.get(reverse("job_list")).content.decode()
    assert (
        str(mine.pk) in html and html.count("/downloads/") - html.count('href="/downloads/"') == 1
    )


@override_settings(JOBS_BRIEFING_INLINE_MAX_EVENTS=3)
def test_a_big_briefing_is_built_by_a_worker_and_matches_the_page(client, manager, events):
    from pypdf import PdfReader

    client.force_login(manager)
    query = f"schemes={events.scheme.pk}&as_of_day=31&as_of_month=12&as_of_year=2025"
    query += "&changes_since_day=1&changes_since_month=1&changes_since_year=2025"
    offer = client.get(reverse("briefing_download", args=["pdf"]) + "?" + query)
    assert offer.status_code == 200 and "Prepare the PDF file" in offer.content.decode()
    started = client.post(reverse("job_start_briefing", args=["pdf"]), {"query": query})
    job = ExportJob.objects.get()
    assert started["Location"] == reverse("job_detail", args=[job.pk])
    assert run_tasks() == 1
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    assert job.file_name.endswith("as-of-2025-12-31.pdf") and job.content_type == "application/pdf"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(_download(client, job))).pages)
    assert "Event 7" in text and SECRET not in text


def test_an_uncleared_managers_job_file_is_the_same_whether_sensitive_items_exist(
    client, manager, cleared_analyst
):
    candidacy = CandidacyFactory()
    add_event(candidacy, cleared_analyst, title="Public news")
    client.force_login(manager)

    def exported() -> bytes:
        job = exports.start_events_export(user=manager, fmt="csv", query="")
        run_tasks()
        job.refresh_from_db()
        return _download(client, job)

    before = exported()
    add_event(
        candidacy, cleared_analyst, title=SECRET, classification=Classification.OFFICIAL_SENSITIVE
    )
    assert exported() == before
    list_html = client.get(reverse("job_list")).content.decode()
    assert "OFFICIAL-SENSITIVE" not in list_html


def test_the_job_page_is_a_whole_page_or_its_status_fragment_and_varies_on_htmx(
    client, manager, events
):
    job = exports.start_events_export(user=manager, fmt="csv", query="")
    client.force_login(manager)
    url = reverse("job_detail", args=[job.pk])
    whole = client.get(url)
    fragment = client.get(url, headers={"HX-Request": "true"})
    assert "<html" in whole.content.decode() and "<html" not in fragment.content.decode()
    assert fragment.content.decode().lstrip().startswith('<div id="job-status"')
    assert "HX-Request" in whole["Vary"] and "HX-Request" in fragment["Vary"]
    assert 'data-hx-trigger="every 1s"' in fragment.content.decode()


def test_job_views_refuse_viewers_and_anonymous_users(client, viewer, manager, events):
    job = exports.start_events_export(user=manager, fmt="csv", query="")
    anonymous = client.get(reverse("job_detail", args=[job.pk]))
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]
    client.force_login(viewer)
    for name, args in (("job_list", []), ("job_detail", [job.pk])):
        assert client.get(reverse(name, args=args)).status_code == 403
    assert client.post(reverse("job_start_events", args=["csv"]), {"query": ""}).status_code == 403
    assert ExportJob.objects.count() == 1
