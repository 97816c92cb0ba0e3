"""The event log: filters, search, sorting and pagination, all in the URL."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import push_url

from talks.event_queries import (
    EventLogFilters,
    filtered_events,
    sort_description,
    uses_full_text_search,
)
from talks.views.page_tools import paginate, template_for, tidy_query

FORM_ID = "event-filters"


@require_GET
@vary_on_headers("HX-Request")
def event_log(request: HttpRequest) -> HttpResponse:
    form = EventLogFilters(request.GET or None)
    form.is_valid()
    filters = form.filters()
    context = {
        "form": form,
        "filters": filters,
        "page_obj": paginate(request, filtered_events(user=request.user, filters=filters)),
        "sorted_by": sort_description(filters),
        "full_text": uses_full_text_search(),
        "query": tidy_query(request),
        "filtered": any(key != "page" for key in tidy_query(request)),
    }
    template = template_for(
        request, "talks/event_log.html", partials=["event-results"], default="event-results"
    )
    response = render(request, template, context)
    if request.htmx and request.htmx.trigger == FORM_ID:
        query = context["query"].urlencode()
        push_url(response, f"{request.path}?{query}" if query else request.path)
    return response
