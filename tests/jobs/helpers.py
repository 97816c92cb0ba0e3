"""Running background tasks in tests: in this process (`run_tasks`), or in a real worker
process (`WorkerProcess`, `manage.py run_worker`) on the test database."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from django.db import connection
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

ROOT = Path(__file__).resolve().parents[2]
PORTS = range(8260, 8270)


def run_tasks(worker_id: str = "test-worker") -> int:
    """Run every ready task in this process, as the worker does (claim, then run_task), until
    none is left; return how many ran. Tasks that enqueue tasks get theirs run too."""
    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
    )
    ran = 0
    while task := DBTaskResult.objects.ready().first():
        task.claim(worker_id)
        worker.run_task(task)
        ran += 1
    return ran


def free_port() -> int:
    """A free port in the range reserved for these tests."""
    import socket

    for port in PORTS:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"No free port in {PORTS.start}-{PORTS.stop - 1}")


def worker_database_url() -> str:
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    user = settings.get("USER") or "postgres"
    password = f":{settings['PASSWORD']}" if settings.get("PASSWORD") else ""
    host = settings.get("HOST") or "127.0.0.1"
    port = settings.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{settings['NAME']}"


class WorkerProcess:
    """`manage.py run_worker` in its own process, on the test database."""

    def __init__(self, log_path: Path, **env: str) -> None:
        self.log_path = log_path
        self.env = {
            **os.environ,
            "DATABASE_URL": worker_database_url(),
            "JOBS_HEARTBEAT_SECONDS": "1",
            "JOBS_WORKER_LOST_SECONDS": "3",
            "PYTHONUNBUFFERED": "1",
            **env,
        }
        self.process: subprocess.Popen | None = None

    def start(self) -> "WorkerProcess":
        self.log = self.log_path.open("a")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "manage.py",
                "run_worker",
                "--no-reload",
                "--interval",
                "0.2",
                "--no-startup-delay",
                "-v",
                "2",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        return self

    def kill(self) -> None:
        """SIGKILL: the worker dies mid-task, as on a crash or a lost machine."""
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()
        if hasattr(self, "log"):
            self.log.close()

    def output(self) -> str:
        return self.log_path.read_text() if self.log_path.exists() else ""


def wait_until(check, *, timeout: float = 60, every: float = 0.2, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"Timed out after {timeout} s waiting for {what}")
