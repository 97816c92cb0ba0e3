"""Briefings: choose, preview (htmx or full page), download as PDF or Word; the export log."""

from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from talks.briefing_documents import filename, map_svgs, render_docx, render_pdf
from talks.briefing_forms import BriefingForm
from talks.briefings import Briefing, build_briefing
from talks.exports import ExportRecord, log_export
from talks.models import ExportFormat, ExportKind, ExportLog

PAGE = "talks/briefings.html"
LOG_PAGE_SIZE = 50
RENDERERS = {
    ExportFormat.PDF: (render_pdf, "application/pdf"),
    ExportFormat.DOCX: (
        render_docx,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
}


def _form(request: HttpRequest) -> BriefingForm:
    data = request.GET if request.GET else None
    return BriefingForm(data, user=request.user, today=timezone.localdate())


def _build(form: BriefingForm, request: HttpRequest) -> Briefing:
    return build_briefing(
        request=form.briefing_request(), user=request.user, now=timezone.localtime()
    )


@require_GET
@permission_required("talks.export_briefing", raise_exception=True)
def briefings(request: HttpRequest) -> HttpResponse:
    form = BriefingForm(user=request.user, today=timezone.localdate())
    return render(request, PAGE, {"form": form})


@require_GET
@permission_required("talks.export_briefing", raise_exception=True)
@vary_on_headers("HX-Request")
def briefing_preview(request: HttpRequest) -> HttpResponse:
    form = _form(request)
    context = {"form": form, "query": request.GET.urlencode()}
    if form.is_valid():
        briefing = _build(form, request)
        sections = list(zip(briefing.schemes, map_svgs(briefing), strict=True))
        context.update(briefing=briefing, sections=sections)
    partial = request.htmx and not request.htmx.history_restore_request
    template = f"{PAGE}#briefing-builder" if partial else PAGE
    return render(request, template, context)


@require_GET
@permission_required("talks.export_briefing", raise_exception=True)
def briefing_download(request: HttpRequest, fmt: str) -> HttpResponse:
    form = _form(request)
    if not form.is_valid():
        return render(request, PAGE, {"form": form}, status=400)
    briefing = _build(form, request)
    renderer, content_type = RENDERERS[ExportFormat(fmt)]
    content = renderer(briefing)
    record = ExportRecord(ExportKind.BRIEFING, fmt, form.filters_for_log())
    countries = sum(len(section.countries) for section in briefing.schemes)
    log_export(
        user=request.user,
        record=record,
        included_sensitive=briefing.include_sensitive,
        row_count=countries,
    )
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename(briefing, fmt)}"'
    return response


@require_GET
@permission_required("talks.export_briefing", raise_exception=True)
def export_log(request: HttpRequest) -> HttpResponse:
    logs = ExportLog.objects.select_related("user").order_by("-created_at", "-id")
    page = Paginator(logs, LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "talks/export_log.html", {"page": page})
