"""Export jobs: the event log as CSV or Excel (and briefings) built by a worker, with progress,
kept for `JOBS_FILES_KEEP_HOURS`, downloadable by their owner only.

The rows come from the same code as the direct downloads (`talks.event_queries.filtered_events`
and `talks.exports.event_rows` / `csv_stream` / `xlsx_file`), run as the job's owner, so a job's
file holds exactly what the same download would have held.

A job may run more than once (a worker lost mid-job puts its task back in the queue). Each run
is an attempt with its own number; progress and the finish are conditional on the attempt still
being the current one, and the file's chunks belong to their attempt, so the job ends with one
complete file and is finished once.
"""

import datetime
import logging
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.http import QueryDict
from django.utils import timezone

from talks import access
from talks.documents.briefings import filename, render_docx, render_pdf
from talks.documents.exports import (
    EVENT_HEADER,
    ExportRecord,
    authorise_export,
    csv_stream,
    event_csv_blocks,
    event_rows,
    events_marking,
    events_workbook,
    export_filename,
    log_export,
)
from talks.forms.briefings import BriefingForm
from talks.forms.event_log import EventLogFilters
from talks.jobs.models import ExportJob, ExportJobChunk, JobKind, JobStatus
from talks.models import ExportFormat, ExportKind
from talks.selectors.briefings import build_briefing
from talks.selectors.event_log import filtered_events

logger = logging.getLogger(__name__)

CHUNK_BYTES = 1024 * 1024
PROGRESS_EVERY_ROWS = 2_000
MAX_ATTEMPTS = 3
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BRIEFING_FORMATS = {
    ExportFormat.PDF: (JobKind.BRIEFING_PDF, "application/pdf"),
    ExportFormat.DOCX: (
        JobKind.BRIEFING_DOCX,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
}
EVENT_FORMATS = {
    ExportFormat.CSV: (JobKind.EVENTS_CSV, "text/csv; charset=utf-8"),
    ExportFormat.XLSX: (JobKind.EVENTS_XLSX, XLSX_TYPE),
}


@dataclass(frozen=True)
class Built:
    """What a builder made: rows (or countries, for a briefing) and how to name and log it."""

    rows: int
    file_name: str
    content_type: str
    record: ExportRecord


class StaleAttempt(Exception):
    """Another attempt took the job over (or it was finished): stop and leave no trace."""


def runs_in_background(row_count: int) -> bool:
    return row_count > settings.JOBS_EXPORT_INLINE_MAX_ROWS


def _start(*, user, kind: str, query: str, included_sensitive: bool) -> ExportJob:
    authorise_export(user)
    from talks.jobs.tasks import run_export_job

    with transaction.atomic():
        job = ExportJob.objects.create(
            owner=user, kind=kind, params={"query": query}, included_sensitive=included_sensitive
        )
        run_export_job.enqueue(job_id=str(job.pk))
    return job


def start_events_export(*, user, fmt: str, query: str) -> ExportJob:
    """Queue an event-log export for `user` with the event log's query string `query`."""
    kind, _ = EVENT_FORMATS[ExportFormat(fmt)]
    return _start(user=user, kind=kind, query=query, included_sensitive=access.sees_sensitive(user))


def start_briefing(*, user, fmt: str, query: str) -> ExportJob:
    """Queue a briefing document for `user` with the briefing form's query string `query`."""
    kind, _ = BRIEFING_FORMATS[ExportFormat(fmt)]
    form = _briefing_form(user, query)
    sensitive = form.is_valid() and bool(form.cleaned_data.get("include_sensitive"))
    return _start(user=user, kind=kind, query=query, included_sensitive=sensitive)


def briefing_runs_in_background(*, user, schemes) -> bool:
    """A briefing over more events than JOBS_BRIEFING_INLINE_MAX_EVENTS is built by a worker."""
    events = access.visible_events(user).filter(scheme__in=schemes)
    return events.count() > settings.JOBS_BRIEFING_INLINE_MAX_EVENTS


# -- Running a job ----------------------------------------------------------------------------


class ChunkWriter:
    """Writes one attempt's file into the database in chunks of about a megabyte."""

    def __init__(self, job: ExportJob) -> None:
        self.job_id, self.attempt = job.pk, job.attempt
        self.buffer = bytearray()
        self.seq = 0
        self.size = 0

    def write(self, data: bytes) -> None:
        self.buffer += data
        if len(self.buffer) >= CHUNK_BYTES:
            self.flush()

    def flush(self) -> None:
        if not self.buffer:
            return
        ExportJobChunk.objects.create(
            job_id=self.job_id, attempt=self.attempt, seq=self.seq, data=bytes(self.buffer)
        )
        self.size += len(self.buffer)
        self.seq += 1
        self.buffer = bytearray()

    def discard(self) -> None:
        ExportJobChunk.objects.filter(job_id=self.job_id, attempt=self.attempt).delete()


def _report(job: ExportJob, **fields) -> None:
    """Write progress if this attempt is still the job's current one."""
    current = ExportJob.objects.filter(pk=job.pk, attempt=job.attempt, status=JobStatus.RUNNING)
    if not current.update(**fields):
        raise StaleAttempt(job.pk)
    if "rows_done" in fields and settings.JOBS_PROGRESS_PAUSE_MS:
        time.sleep(settings.JOBS_PROGRESS_PAUSE_MS / 1000)


def _counted(job: ExportJob, rows: Iterable) -> Iterator:
    done = 0
    for row in rows:
        yield row
        done += 1
        if done % PROGRESS_EVERY_ROWS == 0:
            _report(job, rows_done=done)


def _events(job: ExportJob):
    form = EventLogFilters(QueryDict(job.params.get("query", "")) or None)
    form.is_valid()
    return filtered_events(user=job.owner, filters=form.filters())


SQLITE_BATCH = 1_000


def _event_rows(job: ExportJob, events) -> Iterator:
    """The export's rows. On SQLite a read left open pins a snapshot that then may not write
    (WAL answers "database is locked"), so there the ids are read first and the rows a batch
    at a time, each read finished before progress is written; PostgreSQL streams them."""
    if connection.vendor != "sqlite":
        yield from event_rows(user=job.owner, events=events)
        return
    ids = list(events.values_list("pk", flat=True))
    for start in range(0, len(ids), SQLITE_BATCH):
        batch = events.filter(pk__in=ids[start : start + SQLITE_BATCH])
        yield from event_rows(user=job.owner, events=batch)


def _csv_blocks(job: ExportJob, events) -> Iterator[bytes]:
    """The CSV's bytes: PostgreSQL writes them (COPY into a file on disk, then passed on with
    progress); elsewhere csv.writer over rows read a batch at a time (`_event_rows`)."""
    if connection.vendor == "postgresql":

        def progress(rows: int) -> None:
            _report(job, rows_done=rows)

        yield from event_csv_blocks(
            user=job.owner, events=events, progress=progress, every=PROGRESS_EVERY_ROWS
        )
        return
    for text in csv_stream(EVENT_HEADER, _counted(job, _event_rows(job, events))):
        yield text.encode("utf-8")


def _write_events(job: ExportJob, out: ChunkWriter) -> int:
    events = _events(job)
    total = events.count()
    _report(job, rows_total=total)
    if job.kind == JobKind.EVENTS_CSV:
        for block in _csv_blocks(job, events):
            out.write(block)
        return total
    marking = events_marking(user=job.owner, events=events)
    rows = None if connection.vendor == "postgresql" else _counted(job, _event_rows(job, events))
    workbook, count = events_workbook(user=job.owner, events=events, marking=marking, rows=rows)
    with workbook:
        while data := workbook.read(CHUNK_BYTES):
            out.write(data)
    return count


def build_events_file(job: ExportJob, out: ChunkWriter) -> Built:
    rows = _write_events(job, out)
    fmt = ExportFormat.CSV if job.kind == JobKind.EVENTS_CSV else ExportFormat.XLSX
    filters = dict(QueryDict(job.params.get("query", "")).items()) | {"job": str(job.pk)}
    return Built(
        rows=rows,
        file_name=f"{export_filename('events')}.{fmt}",
        content_type=EVENT_FORMATS[fmt][1],
        record=ExportRecord(ExportKind.EVENTS, fmt, filters),
    )


def _briefing_form(user, query: str) -> BriefingForm:
    return BriefingForm(QueryDict(query), user=user, today=timezone.localdate())


def build_briefing_file(job: ExportJob, out: ChunkWriter) -> Built:
    """The same briefing the page would download, built as its owner (two steps of progress)."""
    form = _briefing_form(job.owner, job.params.get("query", ""))
    if not form.is_valid():
        raise ValueError(f"The briefing's choices are no longer valid: {form.errors}")
    _report(job, rows_total=2)
    now = timezone.localtime()
    briefing = build_briefing(request=form.briefing_request(), user=job.owner, now=now)
    _report(job, rows_done=1)
    fmt = ExportFormat.PDF if job.kind == JobKind.BRIEFING_PDF else ExportFormat.DOCX
    renderer = render_pdf if fmt == ExportFormat.PDF else render_docx
    out.write(renderer(briefing))
    return Built(
        rows=sum(len(section.countries) for section in briefing.schemes),
        file_name=filename(briefing, fmt),
        content_type=BRIEFING_FORMATS[fmt][1],
        record=ExportRecord(
            ExportKind.BRIEFING, fmt, form.filters_for_log() | {"job": str(job.pk)}
        ),
    )


BUILDERS = {
    JobKind.EVENTS_CSV: build_events_file,
    JobKind.EVENTS_XLSX: build_events_file,
    JobKind.BRIEFING_PDF: build_briefing_file,
    JobKind.BRIEFING_DOCX: build_briefing_file,
}


def _begin(job_id: str) -> ExportJob | None:
    """Take the job for a new attempt, or None if there is nothing to do."""
    with transaction.atomic():
        job = ExportJob.objects.select_for_update().select_related("owner").get(pk=job_id)
        if job.is_finished:
            return None
        if job.attempt >= MAX_ATTEMPTS:
            job.status, job.finished_at = JobStatus.FAILED, timezone.now()
            job.error = f"Stopped after {MAX_ATTEMPTS} attempts. Start the export again."
            job.save(update_fields=["status", "finished_at", "error"])
            return None
        job.attempt += 1
        job.status, job.rows_done = JobStatus.RUNNING, 0
        job.started_at = job.started_at or timezone.now()
        job.save(update_fields=["attempt", "status", "rows_done", "started_at"])
        ExportJobChunk.objects.filter(job=job).exclude(attempt=job.attempt).delete()
    return job


def _finish(job: ExportJob, out: ChunkWriter, built: Built) -> None:
    now = timezone.now()
    with transaction.atomic():
        _report(
            job,
            status=JobStatus.DONE,
            rows_done=built.rows,
            rows_total=built.rows,
            size=out.size,
            file_name=built.file_name,
            content_type=built.content_type,
            finished_at=now,
            expires_at=now + datetime.timedelta(hours=settings.JOBS_FILES_KEEP_HOURS),
        )
        log_export(
            user=job.owner,
            record=built.record,
            included_sensitive=job.included_sensitive,
            row_count=built.rows,
        )


def run_job(job_id: str) -> None:
    """Run one attempt of the job (the task's body)."""
    job = _begin(job_id)
    if job is None:
        return
    out = ChunkWriter(job)
    try:
        built = BUILDERS[JobKind(job.kind)](job, out)
        out.flush()
        _finish(job, out, built)
    except StaleAttempt:
        logger.info("Export job %s attempt %s was taken over; discarding it", job.pk, job.attempt)
        out.discard()
    except Exception:
        out.discard()
        ExportJob.objects.filter(pk=job.pk, attempt=job.attempt).update(
            status=JobStatus.FAILED,
            finished_at=timezone.now(),
            error="The export failed. Start it again; if it fails again, tell the service desk.",
        )
        raise


def file_chunks(job: ExportJob) -> Iterator[bytes]:
    """The finished file, one chunk at a time."""
    chunks = ExportJobChunk.objects.filter(job=job, attempt=job.attempt).order_by("seq")
    for pk in chunks.values_list("pk", flat=True):
        yield bytes(ExportJobChunk.objects.values_list("data", flat=True).get(pk=pk))


def delete_expired_files(*, now: datetime.datetime) -> int:
    """Delete the files of jobs past their keeping time (periodic; safe to run anywhere)."""
    expired = ExportJob.objects.filter(status=JobStatus.DONE, expires_at__lte=now)
    ids = list(expired.values_list("pk", flat=True)[:100])
    if ids:
        ExportJobChunk.objects.filter(job_id__in=ids).delete()
        ExportJob.objects.filter(pk__in=ids).update(status=JobStatus.EXPIRED, size=None)
    return len(ids)
