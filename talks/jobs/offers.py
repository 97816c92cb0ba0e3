"""The page a too-large direct download answers with: a button that starts a background job.

The export and briefing views answer with it when their file is too large to make in the
request; it lives here, beside the jobs it starts, so that no view module imports another.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from hubtracker.rendering import tidy_query


def offer_background_export(request: HttpRequest, *, fmt: str, total: int) -> HttpResponse:
    """The event log's export of `total` events, offered as a background job."""
    query = tidy_query(request)
    query.pop("page", None)
    context = {
        "fmt": fmt,
        "what": f"This export has {total:,} events",
        "action": reverse("job_start_events", args=[fmt]),
        "back": reverse("event_log") + (f"?{query.urlencode()}" if query else ""),
        "query": query.urlencode(),
    }
    return render(request, "jobs/export_large.html", context)


def offer_background_briefing(request: HttpRequest, *, fmt: str) -> HttpResponse:
    """The briefing the request asks for, offered as a background job."""
    context = {
        "fmt": fmt,
        "what": "This briefing covers many events",
        "action": reverse("job_start_briefing", args=[fmt]),
        "back": reverse("briefing_preview") + f"?{request.GET.urlencode()}",
        "query": request.GET.urlencode(),
    }
    return render(request, "jobs/export_large.html", context)
