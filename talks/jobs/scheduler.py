"""What every worker does beside running tasks: say it is alive, put back the tasks of workers
that died, and start the periodic work that is due (digests, deleting old files).

Every worker runs this every `JOBS_HEARTBEAT_SECONDS`. Periodic work runs once however many
workers there are: `claim_period()` inserts a `ScheduledRun` row whose primary key is the
period ("digests:daily:2026-12-01"); only the worker whose insert wins enqueues the work, in
the same transaction, so the work is neither doubled nor lost.
"""

import datetime
import logging
import os
import socket

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks_db.models import DBTaskResult

from talks.jobs.models import ScheduledRun, WorkerHeartbeat

logger = logging.getLogger(__name__)

# Periodic work: functions taking `now`, each claiming its own period with claim_period().
PERIODIC = (
    "talks.following.digests.schedule_due_digests",
    "talks.jobs.exports.delete_expired_files",
)
FORGET_WORKERS_AFTER = datetime.timedelta(days=1)


def beat(*, worker_id: str, started_at: datetime.datetime, now: datetime.datetime) -> None:
    """Record that this worker is alive."""
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={"seen_at": now},
        create_defaults={
            "seen_at": now,
            "started_at": started_at,
            "hostname": socket.gethostname()[:200],
            "pid": os.getpid(),
        },
    )


def requeue_lost_tasks(*, now: datetime.datetime) -> int:
    """Put tasks whose worker stopped beating back in the queue; return how many.

    A task is lost when it is marked running and the worker that claimed it last has not
    beaten for `JOBS_WORKER_LOST_SECONDS` (killed, machine gone). The task runs again from
    the start; tasks are written so that a second run finishes the work once (export jobs
    count attempts, digests check their delivery row under a lock).
    """
    lost_before = now - datetime.timedelta(seconds=settings.JOBS_WORKER_LOST_SECONDS)
    alive = set(
        WorkerHeartbeat.objects.filter(seen_at__gte=lost_before).values_list("worker_id", flat=True)
    )
    requeued = 0
    with transaction.atomic():
        running = DBTaskResult.objects.running().filter(started_at__lt=lost_before)
        for task in running.select_for_update(skip_locked=True):
            if task.worker_ids and task.worker_ids[-1] in alive:
                continue
            task.status = "READY"
            task.started_at = None
            task.save(update_fields=["status", "started_at"])
            logger.warning("Requeued task %s (%s): its worker was lost", task.pk, task.task_path)
            requeued += 1
    WorkerHeartbeat.objects.filter(seen_at__lt=now - FORGET_WORKERS_AFTER).delete()
    return requeued


def claim_period(key: str) -> bool:
    """True for the one caller that claims `key`; call inside the transaction that enqueues the
    period's work, so that the claim and the work commit (or vanish) together."""
    if ScheduledRun.objects.filter(key=key).exists():
        return False
    try:
        with transaction.atomic():
            ScheduledRun.objects.create(key=key)
    except IntegrityError:
        return False
    return True


def tick(*, worker_id: str, started_at: datetime.datetime, now=None) -> None:
    """One round of a worker's housekeeping. Each part's failure is logged, not fatal."""
    now = now or timezone.now()
    beat(worker_id=worker_id, started_at=started_at, now=now)
    requeue_lost_tasks(now=now)
    for path in PERIODIC:
        try:
            import_string(path)(now=now)
        except Exception:
            logger.exception("Periodic work %s failed; it is tried again next round", path)
