"""`manage.py run_worker`: django-tasks-db's worker loop plus a heartbeat and the scheduler.

Takes the same options as `db_worker` (`--queue-name`, `--interval`, `--batch`, ...). Run as
many as you like, on as many machines as you like, against the same database.
"""

import logging
import os
import threading
import time

from django.conf import settings
from django.db import close_old_connections, connections
from django.utils import timezone
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from talks.jobs import scheduler

logger = logging.getLogger("talks.jobs")


def housekeeping_loop(worker_id: str) -> None:
    started_at = timezone.now()
    while True:
        close_old_connections()
        try:
            scheduler.tick(worker_id=worker_id, started_at=started_at)
        except Exception:
            logger.exception("Worker housekeeping failed; trying again")
            connections.close_all()
        time.sleep(settings.JOBS_HEARTBEAT_SECONDS)


class Command(DatabaseWorkerCommand):
    help = "Run a background worker: tasks, heartbeat and the scheduler of periodic work"

    def handle(self, *args, **options):
        in_reloader_parent = options["reload"] and os.environ.get(DJANGO_AUTORELOAD_ENV) != "true"
        if not in_reloader_parent:
            threading.Thread(
                target=housekeeping_loop,
                args=(options["worker_id"],),
                name="worker-housekeeping",
                daemon=True,
            ).start()
        return super().handle(*args, **options)
