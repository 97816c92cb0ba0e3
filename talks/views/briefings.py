"""Briefings: choose, preview (htmx or full page), download as PDF or Word; the export log."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from hubtracker.rendering import render_page
from talks import access
from talks.documents.briefings import filename, map_svgs, render_docx, render_pdf
from talks.documents.exports import ExportRecord, log_export
from talks.forms.briefings import BriefingForm
from talks.jobs.exports import briefing_runs_in_background
from talks.jobs.offers import offer_background_briefing
from talks.models import ExportFormat, ExportKind
from talks.selectors.briefings import Briefing, build_briefing
from talks.selectors.lookups import export_log_entries

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
@access.requires(access.EXPORT)
def briefings(request: HttpRequest) -> HttpResponse:
    form = BriefingForm(user=request.user, today=timezone.localdate())
    return render(request, PAGE, {"form": form})


@require_GET
@access.requires(access.EXPORT)
@vary_on_headers("HX-Request")
def briefing_preview(request: HttpRequest) -> HttpResponse:
    form = _form(request)
    context = {"form": form, "query": request.GET.urlencode()}
    if form.is_valid():
        briefing = _build(form, request)
        sections = list(zip(briefing.schemes, map_svgs(briefing), strict=True))
        context.update(briefing=briefing, sections=sections)
    return render_page(request, PAGE, context, default="briefing-builder")


@require_GET
@access.requires(access.EXPORT)
def briefing_download(request: HttpRequest, fmt: str) -> HttpResponse:
    form = _form(request)
    if not form.is_valid():
        return render(request, PAGE, {"form": form}, status=400)
    if briefing_runs_in_background(user=request.user, schemes=form.cleaned_data["schemes"]):
        return offer_background_briefing(request, fmt=fmt)
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
@access.requires(access.EXPORT)
def export_log(request: HttpRequest) -> HttpResponse:
    logs = access.visible_exports(request.user, export_log_entries())
    page = Paginator(logs, LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "talks/export_log.html", {"page": page})
