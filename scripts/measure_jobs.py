"""Measure background jobs on a database with data (PostgreSQL for meaningful figures):

1. an event-log export job (CSV, then XLSX) of every event, run as the worker runs it, in rows
   per second;
2. the time from an event being recorded to its digest leaving, with a real worker process
   already running (`manage.py run_worker`) and a real SMTP server (aiosmtpd) on 127.0.0.1.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hub_jobs_bench \\
        .venv/bin/python scripts/measure_jobs.py [--skip-xlsx] [--port 8264]

Build the database first: `manage.py migrate && manage.py load_demo_data &&
manage.py generate_bulk_data --events 100000`. It adds a user `jobs-bench` (cleared manager)
and a follower `digest-bench`, and leaves export jobs and digest rows behind.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hubtracker.settings")
os.environ.setdefault("DEBUG", "true")


def setup_django() -> None:
    import django

    django.setup()


def bench_user():
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group, Permission

    user, _ = get_user_model().objects.get_or_create(username="jobs-bench")
    user.groups.add(*Group.objects.filter(name__in=["Managers", "Analysts"]))
    user.user_permissions.add(Permission.objects.get(codename="view_sensitive"))
    return get_user_model().objects.get(pk=user.pk)  # fresh permission cache


def measure_export(fmt: str) -> None:
    from talks.jobs import exports
    from talks.jobs.models import ExportJob

    job = exports.start_events_export(user=bench_user(), fmt=fmt, query="")
    started = time.perf_counter()
    exports.run_job(str(job.pk))  # the task's body, as the worker runs it
    seconds = time.perf_counter() - started
    job = ExportJob.objects.get(pk=job.pk)
    print(
        f"{fmt.upper()} export job: {job.rows_done:,} rows, {job.size / 1e6:.1f} MB in "
        f"{seconds:.1f} s = {job.rows_done / seconds:,.0f} rows/s ({job.status})"
    )


def measure_digest(port: int) -> None:
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from talks.following import services
    from talks.following.models import DigestDelivery
    from talks.jobs.models import ScheduledRun, WorkerHeartbeat
    from talks.models import Candidacy
    from tests.factories import add_event  # the same service call the tests make

    kosovo = Candidacy.objects.get(scheme__slug="uk-return-hubs-2025", country__slug="kosovo")
    reader, _ = get_user_model().objects.get_or_create(
        username="digest-bench", defaults={"email": "digest-bench@example.gov.uk"}
    )
    services.follow(user=reader, country=kosovo.country)
    services.set_frequency(user=reader, frequency="daily")
    maildir = Path(tempfile.mkdtemp()) / "maildir"
    smtp = subprocess.Popen(
        [sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{port}",
         "-c", "aiosmtpd.handlers.Mailbox", str(maildir)]
    )  # fmt: skip
    env = {**os.environ, "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(port)}
    env |= {"DIGEST_TIME": "00:00", "EMAIL_BACKEND": ""}
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "run_worker", "--no-reload", "-v", "0"], cwd=ROOT, env=env
    )
    try:
        ScheduledRun.objects.filter(key__startswith="digests:daily:").delete()
        DigestDelivery.objects.filter(user=reader).delete()
        started_at = timezone.now()
        while not WorkerHeartbeat.objects.filter(seen_at__gt=started_at).exists():
            time.sleep(0.2)  # the worker is up; today's digest is not planned yet
        event = add_event(kosovo, bench_user(), title=f"Digest latency probe {started_at}")
        while not ((maildir / "new").exists() and any((maildir / "new").iterdir())):
            time.sleep(0.05)
        arrived = timezone.now()
        sent = DigestDelivery.objects.filter(user=reader, status="sent")
        while not sent.exists():  # the row commits just after the SMTP server's "250"
            time.sleep(0.05)
        delivery = sent.get()
        print(
            f"digest: event recorded -> digest accepted by SMTP "
            f"{(delivery.sent_at - event.recorded_at).total_seconds():.2f} s (received "
            f"{(arrived - event.recorded_at).total_seconds():.2f} s), with a worker running and "
            f"JOBS_HEARTBEAT_SECONDS={os.environ.get('JOBS_HEARTBEAT_SECONDS', '5')}"
        )
    finally:
        worker.terminate()
        smtp.terminate()
        worker.wait(20)
        smtp.wait(20)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-csv", action="store_true")
    parser.add_argument("--skip-xlsx", action="store_true")
    parser.add_argument("--skip-digest", action="store_true")
    parser.add_argument("--port", type=int, default=8264, help="SMTP port (default 8264)")
    args = parser.parse_args()
    setup_django()
    from talks.models import TalkEvent

    print(f"events in the database: {TalkEvent.objects.count():,}")
    if not args.skip_csv:
        measure_export("csv")
    if not args.skip_xlsx:
        measure_export("xlsx")
    if not args.skip_digest:
        measure_digest(args.port)


if __name__ == "__main__":
    main()
