"""CSV and XLSX downloads of candidacies (a scheme as of a date) and of the event log's rows.

CSV streams (a generator over `.iterator()`), so a 100,000-row export holds a few hundred rows
in memory at a time and a gunicorn worker thread is the only thing it occupies. XLSX is built in
openpyxl's write-only mode into a spooled temporary file and then streamed back.
"""

import datetime

from django import forms
from django.contrib.auth.decorators import permission_required
from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from talks.exports import (
    CANDIDACY_HEADER,
    EVENT_HEADER,
    ExportRecord,
    candidacy_rows,
    csv_stream,
    event_rows,
    export_filename,
    finish_export_log,
    log_export,
    xlsx_file,
)
from talks.models import ExportFormat, ExportKind, Scheme
from talks.selectors import can_see_sensitive

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class CandidacyExportForm(forms.Form):
    scheme = forms.ModelChoiceField(
        queryset=Scheme.objects.all(),
        to_field_name="slug",
        error_messages={"required": "Choose a scheme", "invalid_choice": "No such scheme"},
    )
    as_of = forms.DateField(required=False, input_formats=["%Y-%m-%d"])

    def clean_as_of(self) -> datetime.date:
        as_of = self.cleaned_data["as_of"] or timezone.localdate()
        if as_of > timezone.localdate():
            raise forms.ValidationError("The date must be today or in the past")
        return as_of


def _respond(*, request, record: ExportRecord, header, rows, name: str) -> HttpResponse:
    """Stream CSV or send XLSX, logging the export (row count filled in when known)."""
    sensitive = can_see_sensitive(request.user)
    if record.format == ExportFormat.CSV:
        log = log_export(user=request.user, record=record, included_sensitive=sensitive)
        stream = csv_stream(header, rows, on_done=lambda n: finish_export_log(log, n))
        response = StreamingHttpResponse(stream, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response
    workbook, count = xlsx_file(title=record.kind.capitalize(), header=header, rows=rows)
    log_export(user=request.user, record=record, included_sensitive=sensitive, row_count=count)
    return FileResponse(
        workbook, as_attachment=True, filename=f"{name}.xlsx", content_type=XLSX_TYPE
    )


def _bad_request(request: HttpRequest, errors: list[str]) -> HttpResponse:
    return render(request, "talks/export_error.html", {"errors": errors}, status=400)


@require_GET
@permission_required("talks.export_briefing", raise_exception=True)
def export_candidacies(request: HttpRequest, fmt: str) -> HttpResponse:
    form = CandidacyExportForm(request.GET)
    if not form.is_valid():
        return _bad_request(request, [e for errs in form.errors.values() for e in errs])
    scheme, as_of = form.cleaned_data["scheme"], form.cleaned_data["as_of"]
    rows = candidacy_rows(user=request.user, scheme=scheme, as_of=as_of)
    filters = {"scheme": scheme.slug, "as_of": as_of.isoformat()}
    name = export_filename("candidacies", scheme.slug, f"as-of-{as_of:%Y-%m-%d}")
    record = ExportRecord(ExportKind.CANDIDACIES, fmt, filters)
    return _respond(request=request, record=record, header=CANDIDACY_HEADER, rows=rows, name=name)


@require_GET
@permission_required("talks.export_briefing", raise_exception=True)
def export_events(request: HttpRequest, fmt: str) -> HttpResponse:
    from talks import event_queries

    form = event_queries.EventLogFilters(request.GET or None)
    if request.GET and not form.is_valid():
        return _bad_request(request, [e for errs in form.errors.values() for e in errs])
    filters = form.filters()
    events = event_queries.filtered_events(user=request.user, filters=filters)
    rows = event_rows(user=request.user, events=events)
    logged = {key: value for key, value in request.GET.items() if key in form.fields}
    record = ExportRecord(ExportKind.EVENTS, fmt, logged)
    name = export_filename("events")
    return _respond(request=request, record=record, header=EVENT_HEADER, rows=rows, name=name)
