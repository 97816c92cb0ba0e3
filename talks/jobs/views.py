"""Downloads prepared in the background: the list, one job's progress, and its file.

Only the job's owner sees or downloads it (anyone else gets a 404, as if it did not exist), and
only while they may still export and, for a file with OFFICIAL-SENSITIVE rows, still see them.
"""

import uuid

from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from hubtracker.rendering import render_page
from talks import access
from talks.jobs.exports import file_chunks, start_briefing, start_events_export
from talks.jobs.models import JobStatus
from talks.jobs.selectors import job_for_owner, recent_jobs


@require_GET
@access.requires(access.EXPORT)
def job_list(request: HttpRequest) -> HttpResponse:
    return render(request, "jobs/job_list.html", {"jobs": recent_jobs(request.user)})


@require_GET
@access.requires(access.EXPORT)
@vary_on_headers("HX-Request")
def job_detail(request: HttpRequest, job_id: uuid.UUID) -> HttpResponse:
    job = job_for_owner(request.user, job_id)
    return render_page(request, "jobs/job_detail.html", {"job": job}, default="job-status")


@require_GET
@access.requires(access.EXPORT)
def job_download(request: HttpRequest, job_id: uuid.UUID) -> StreamingHttpResponse:
    job = job_for_owner(request.user, job_id)
    if job.status != JobStatus.DONE:
        raise Http404("This download is not ready, or it has been deleted.")
    response = StreamingHttpResponse(file_chunks(job), content_type=job.content_type)
    response["Content-Disposition"] = f'attachment; filename="{job.file_name}"'
    response["Content-Length"] = str(job.size)
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@access.requires(access.EXPORT)
def job_start_events(request: HttpRequest, fmt: str) -> HttpResponse:
    job = start_events_export(user=request.user, fmt=fmt, query=request.POST.get("query", ""))
    return redirect("job_detail", job_id=job.pk)


@require_POST
@access.requires(access.EXPORT)
def job_start_briefing(request: HttpRequest, fmt: str) -> HttpResponse:
    job = start_briefing(user=request.user, fmt=fmt, query=request.POST.get("query", ""))
    return redirect("job_detail", job_id=job.pk)
