"""The real worker (`manage.py run_worker`, its own process, the test database): it runs export
jobs and digests, survives being killed mid-job, and its scheduler sends each digest once."""

import csv
import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from talks.documents.exports import EVENT_HEADER
from talks.following import services as following
from talks.following.digests import schedule_due_digests
from talks.following.models import DeliveryStatus, DigestDelivery
from talks.jobs import exports
from talks.jobs.models import ExportJob, ExportJobChunk, JobStatus
from talks.models import Classification, EventKind, TalkEvent
from tests.factories import CandidacyFactory, CountryFactory, add_event
from tests.following.smtp import SmtpServer
from tests.jobs.helpers import WorkerProcess, run_tasks, wait_until

pytestmark = pytest.mark.django_db(transaction=True)
BIG = 30_000


@pytest.fixture
def worker_log(tmp_path):
    return tmp_path / "worker.log"


def _bulk_events(candidacy, count: int) -> None:
    TalkEvent.objects.bulk_create(
        (
            TalkEvent(
                scheme=candidacy.scheme,
                candidacy=candidacy,
                occurred_on=datetime.date(2015, 1, 1) + datetime.timedelta(days=n % 3000),
                kind=EventKind.STATEMENT,
                title=f"Bulk event {n}",
                summary="Synthetic.",
                classification=Classification.OFFICIAL,
            )
            for n in range(count)
        ),
        batch_size=5_000,
    )
    if connection.vendor == "postgresql":
        # What autovacuum does after a bulk load: the event log's totals past 1,000 rows are the
        # planner's estimate, which reads these statistics.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE talks_talkevent")


def _job_file(job: ExportJob) -> bytes:
    return b"".join(exports.file_chunks(job))


def test_an_export_survives_its_worker_being_killed_and_ends_with_one_correct_file(
    manager, worker_log
):
    _bulk_events(CandidacyFactory(), BIG)
    job = exports.start_events_export(user=manager, fmt="csv", query="")
    # Paused after each progress report, so the worker can be stopped part-way through.
    first = WorkerProcess(worker_log, JOBS_PROGRESS_PAUSE_MS="500").start()
    try:
        wait_until(
            lambda: ExportJob.objects.filter(pk=job.pk, rows_done__gte=4_000).exists(),
            timeout=120,
            what="the job to make progress",
        )
        progress = [ExportJob.objects.get(pk=job.pk).rows_done]
        first.kill()  # mid-job: the task is left "running" by a worker that is gone
    finally:
        first.stop()
    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING and 0 < job.rows_done < BIG
    second = WorkerProcess(worker_log).start()
    try:
        wait_until(
            lambda: ExportJob.objects.get(pk=job.pk).status == JobStatus.DONE,
            timeout=180,
            what=f"the retried job to finish; worker log:\n{worker_log}",
        )
    finally:
        second.stop()
    job.refresh_from_db()
    progress.append(job.rows_done)
    assert job.attempt == 2 and progress[0] < progress[1] == BIG
    assert set(ExportJobChunk.objects.filter(job=job).values_list("attempt", flat=True)) == {2}
    rows = list(csv.reader(io.StringIO(_job_file(job).decode("utf-8-sig"))))
    assert len(rows) == BIG + 1 and tuple(rows[0]) == tuple(EVENT_HEADER)
    assert len({row[0] for row in rows[1:]}) == BIG  # every event once
    task = DBTaskResult.objects.get(task_path__endswith="run_export_job")
    assert task.status == "SUCCESSFUL" and len(task.worker_ids) == 2
    assert "Requeued task" in worker_log.read_text()


@pytest.fixture
def kosovo_readers(analyst):
    kosovo = CandidacyFactory(country=CountryFactory(name="Kosovo", slug="kosovo", code="XKX"))
    for n in range(4):
        user = get_user_model().objects.create_user(f"reader{n}", f"reader{n}@example.gov.uk")
        following.follow(user=user, country=kosovo.country)
        following.set_frequency(user=user, frequency="daily")
    return kosovo


@pytest.fixture
def smtp(tmp_path):
    server = SmtpServer(tmp_path / "maildir").start()
    yield server
    server.stop()


def _mail_env(smtp: SmtpServer) -> dict:
    return {"EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(smtp.port), "DIGEST_TIME": "00:00"}


def test_the_workers_own_scheduler_sends_the_digest(kosovo_readers, analyst, smtp, worker_log):
    event = add_event(kosovo_readers, analyst, title="Kosovo agrees to formal talks")
    worker = WorkerProcess(worker_log, **_mail_env(smtp)).start()
    try:
        received = smtp.wait_for_messages(4, timeout=90)
    finally:
        worker.stop()
    assert sorted(m["To"] for m in received) == [f"reader{n}@example.gov.uk" for n in range(4)]
    for message in received:
        assert "Kosovo agrees to formal talks" in message.get_body(("plain",)).get_content()
    sent = DigestDelivery.objects.order_by("sent_at").values_list("sent_at", flat=True)
    latency = (sent.last() - event.recorded_at).total_seconds()
    print(f"event recorded to last digest sent: {latency:.2f} s")


def _leave_running(task: DBTaskResult, *, worker_id: str) -> None:
    """The state a task is in when its worker is killed while running it."""
    task.claim(worker_id)
    long_ago = timezone.now() - datetime.timedelta(minutes=5)
    DBTaskResult.objects.filter(pk=task.pk).update(started_at=long_ago)


@override_settings(DIGEST_TIME="00:00")
def test_after_a_crash_mid_run_each_digest_is_sent_once(kosovo_readers, analyst, smtp, worker_log):
    add_event(kosovo_readers, analyst, title="Kosovo agrees to formal talks")
    schedule_due_digests(now=timezone.now())
    run_tasks()  # plan and send in this process; then put two sends back as a crash leaves them
    smtp_before = len(smtp.wait_for_messages(0))
    assert smtp_before == 0  # run_tasks here uses the test mail backend, not this server
    deliveries = list(DigestDelivery.objects.order_by("user__username"))
    sends = {
        task.args_kwargs["kwargs"]["delivery_id"]: task
        for task in DBTaskResult.objects.filter(task_path__endswith="send_digest")
    }
    # reader0: the worker died while sending (its transaction rolled back: still pending).
    DigestDelivery.objects.filter(pk=deliveries[0].pk).update(
        status=DeliveryStatus.PENDING, sent_at=None
    )
    _leave_running(sends[str(deliveries[0].pk)], worker_id="dead-worker")
    # reader1: the worker died after the digest went, before the task was marked done.
    _leave_running(sends[str(deliveries[1].pk)], worker_id="dead-worker")
    worker = WorkerProcess(worker_log, **_mail_env(smtp)).start()
    try:
        wait_until(
            lambda: not DBTaskResult.objects.exclude(status="SUCCESSFUL").exists(),
            timeout=90,
            what="the requeued tasks to finish",
        )
    finally:
        worker.stop()
    assert [m["To"] for m in smtp.messages()] == ["reader0@example.gov.uk"]
    assert set(DigestDelivery.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT}
    assert worker_log.read_text().count("Requeued task") == 2
