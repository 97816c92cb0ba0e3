"""Background jobs' own records: export jobs with their progress and files, worker heartbeats,
and the scheduler's runs.

The task queue itself is django-tasks-db's `DBTaskResult`; these rows say what a task is for,
how far it has got, and which attempt may finish it.
"""

import uuid

from django.conf import settings
from django.db import models


class JobKind(models.TextChoices):
    EVENTS_CSV = "events_csv", "Event log (CSV)"
    EVENTS_XLSX = "events_xlsx", "Event log (Excel)"
    BRIEFING_PDF = "briefing_pdf", "Briefing (PDF)"
    BRIEFING_DOCX = "briefing_docx", "Briefing (Word)"


class JobStatus(models.TextChoices):
    QUEUED = "queued", "Waiting for a worker"
    RUNNING = "running", "Running"
    DONE = "done", "Ready to download"
    FAILED = "failed", "Failed"
    EXPIRED = "expired", "Deleted after the keeping period"


FINISHED = (JobStatus.DONE, JobStatus.FAILED, JobStatus.EXPIRED)


class ExportJob(models.Model):
    """An export or briefing built by a worker for one user, who alone may download it.

    `attempt` grows each time a worker starts the job; only the attempt that is current may
    report progress or finish it, so a job retried after a lost worker is finished once.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=JobKind.choices)
    params = models.JSONField(default=dict, help_text="What was asked for: the page's query.")
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    attempt = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    rows_total = models.PositiveIntegerField(null=True, blank=True)
    included_sensitive = models.BooleanField(default=False)
    file_name = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["owner", "-created_at"], name="exportjob_owner_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.owner_id}: {self.status}"

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED

    @property
    def percent(self) -> int:
        if self.status == JobStatus.DONE:
            return 100
        if not self.rows_total:
            return 0
        return min(99, self.rows_done * 100 // self.rows_total)


class ExportJobChunk(models.Model):
    """A piece of a job's file, kept in the database so that any web process can serve a file
    any worker wrote, with no shared disk. Chunks belong to one attempt; only the finishing
    attempt's chunks are kept."""

    job = models.ForeignKey(ExportJob, on_delete=models.CASCADE, related_name="chunks")
    attempt = models.PositiveIntegerField()
    seq = models.PositiveIntegerField()
    data = models.BinaryField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["job", "attempt", "seq"], name="exportjobchunk_unique")
        ]

    def __str__(self) -> str:
        return f"{self.job_id} attempt {self.attempt} chunk {self.seq}"


class WorkerHeartbeat(models.Model):
    """A running worker says it is alive every few seconds. A task whose worker stopped saying
    so goes back to the queue."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    started_at = models.DateTimeField()
    seen_at = models.DateTimeField()
    hostname = models.CharField(max_length=200, blank=True)
    pid = models.PositiveIntegerField(null=True)

    def __str__(self) -> str:
        return f"{self.worker_id} ({self.hostname}:{self.pid})"


class ScheduledRun(models.Model):
    """One row per scheduled thing per period ("digests:daily:2026-12-01"): the primary key is
    what makes it run once, however many workers' schedulers try at the same moment."""

    key = models.CharField(max_length=100, primary_key=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.key
