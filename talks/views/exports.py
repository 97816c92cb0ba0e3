"""CSV and XLSX downloads of candidacies (a scheme as of a date) and of the event log's rows.

CSV streams (a generator over `.iterator()`), so a 100,000-row export holds a few hundred rows
in memory at a time and a gunicorn worker thread is the only thing it occupies. XLSX is built in
openpyxl's write-only mode into a spooled temporary file and then streamed back.
"""

from django.http import (
    FileResponse,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    StreamingHttpResponse,
)
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from talks import access
from talks.documents.exports import (
    CANDIDACY_HEADER,
    ExportRecord,
    candidacies_marking,
    candidacy_rows,
    csv_stream,
    event_csv_blocks,
    events_marking,
    events_workbook,
    export_filename,
    finish_export_log,
    log_export,
    xlsx_file,
)
from talks.forms.dashboard import resolve_filters
from talks.forms.event_log import EventLogFilters
from talks.jobs.exports import runs_in_background
from talks.jobs.offers import offer_background_export
from talks.models import ExportFormat, ExportKind
from talks.selectors.dashboard import shortlist_rows, sort_rows
from talks.selectors.event_log import filtered_events
from talks.selectors.lookups import all_schemes

# Dashboard parameters that change the table's rows: the map falls back to a default for a bad
# one, an export refuses instead (a file must never hold something other than what was asked).
EXPORT_ERRORS = {
    "scheme": "There is no such scheme. Go back to the map and choose one from the list.",
    "date": "Enter the date as a real date, for example 2025-06-01.",
    "sort": "Sort by one of the table's columns: country, status, since or last event.",
}
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _respond(
    *, request, record: ExportRecord, header, rows, name: str, marking: str = ""
) -> HttpResponseBase:
    """Stream CSV or send XLSX, logging the export (row count filled in when known)."""
    sensitive = access.sees_sensitive(request.user)
    if record.format == ExportFormat.CSV:
        log = log_export(user=request.user, record=record, included_sensitive=sensitive)
        stream = csv_stream(header, rows, on_done=lambda n: finish_export_log(log, n))
        response = StreamingHttpResponse(stream, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response
    workbook, count = xlsx_file(
        title=record.kind.capitalize(), header=header, rows=rows, marking=marking
    )
    log_export(user=request.user, record=record, included_sensitive=sensitive, row_count=count)
    return FileResponse(
        workbook, as_attachment=True, filename=f"{name}.xlsx", content_type=XLSX_TYPE
    )


def _bad_request(request: HttpRequest, errors: list[str]) -> HttpResponse:
    return render(request, "talks/export_error.html", {"errors": errors}, status=400)


@require_GET
@access.requires(access.EXPORT)
def export_candidacies(request: HttpRequest, fmt: str) -> HttpResponseBase:
    """The dashboard's table: same query string (scheme, date, sort), same rows, same order."""
    schemes = all_schemes()
    filters = resolve_filters(request.GET, schemes=schemes, years=[], today=timezone.localdate())
    errors = [EXPORT_ERRORS[field] for field, _ in filters.errors if field in EXPORT_ERRORS]
    if filters.as_of > timezone.localdate():
        errors.append("The date must be today or in the past.")
    if errors or filters.scheme is None:
        return _bad_request(request, errors or ["There is no scheme to export."])
    scheme, as_of = filters.scheme, filters.as_of
    shortlist = sort_rows(
        shortlist_rows(scheme=scheme, as_of=as_of, user=request.user), filters.sort
    )
    rows = candidacy_rows(user=request.user, scheme=scheme, as_of=as_of, rows=shortlist)
    record = ExportRecord(
        ExportKind.CANDIDACIES, fmt, {"scheme": scheme.slug, "date": as_of.isoformat()}
    )
    name = export_filename("candidacies", scheme.slug, f"as-of-{as_of:%Y-%m-%d}")
    marking = candidacies_marking(user=request.user, scheme=scheme, as_of=as_of)
    return _respond(
        request=request,
        record=record,
        header=CANDIDACY_HEADER,
        rows=rows,
        name=name,
        marking=marking,
    )


@require_GET
@access.requires(access.EXPORT)
def export_events(request: HttpRequest, fmt: str) -> HttpResponseBase:
    """The event log's rows, all pages: same form, same query, same order as the page."""
    form = EventLogFilters(request.GET or None)
    form.is_valid()
    events = filtered_events(user=request.user, filters=form.filters())
    total = events.count()
    if runs_in_background(total):
        return offer_background_export(request, fmt=fmt, total=total)
    filters: dict[str, object] = {
        key: value for key, value in request.GET.items() if key != "page" and value
    }
    if form.errors:
        filters["ignored (invalid)"] = sorted(form.errors)
    record = ExportRecord(ExportKind.EVENTS, fmt, filters)
    name = export_filename("events")
    if fmt == ExportFormat.CSV:
        return _events_csv(request, record, events, name)
    marking = events_marking(user=request.user, events=events)
    workbook, count = events_workbook(user=request.user, events=events, marking=marking)
    sensitive = access.sees_sensitive(request.user)
    log_export(user=request.user, record=record, included_sensitive=sensitive, row_count=count)
    return FileResponse(
        workbook, as_attachment=True, filename=f"{name}.xlsx", content_type=XLSX_TYPE
    )


def _events_csv(request, record: ExportRecord, events, name: str) -> StreamingHttpResponse:
    """The events CSV as the database writes it (`event_csv_blocks`), logged as it goes."""
    sensitive = access.sees_sensitive(request.user)
    log = log_export(user=request.user, record=record, included_sensitive=sensitive)
    blocks = event_csv_blocks(
        user=request.user, events=events, on_done=lambda n: finish_export_log(log, n)
    )
    response = StreamingHttpResponse(blocks, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response
