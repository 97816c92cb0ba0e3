"""The event log: filters, search, sorting and pagination, all in the URL."""

from typing import Any

from django.http import HttpResponse
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import push_url

from hubtracker.rendering import HtmxHttpRequest, render_page, tidy_query
from talks.following.services import page_visit
from talks.forms.event_log import EventLogFilters
from talks.jobs.exports import runs_in_background
from talks.selectors.event_log import kept_event_log_page, uses_full_text_search
from talks.selectors.paging import PageRequest, without_paging
from talks.views import pages_by_keyset

FORM_ID = "event-filters"


@require_GET
@vary_on_headers("HX-Request")
@pages_by_keyset
def event_log(request: HtmxHttpRequest) -> HttpResponse:
    form = EventLogFilters(request.GET or None)
    form.is_valid()
    filters = form.filters()
    query = tidy_query(request)
    search_query = without_paging(query)
    found, rows = kept_event_log_page(
        user=request.user,
        filters=filters,
        wanted=PageRequest.from_query(request.GET),
        query_id=search_query.urlencode(),
    )
    context: dict[str, Any] = {
        "form": form,
        "filters": filters,
        "page_obj": found.page,
        "rows": rows,
        "sorted_by": found.sorted_by,
        "full_text": uses_full_text_search(),
        "query": query,
        "filtered": bool(search_query),
        "export_query": search_query.urlencode(),
        "export_in_background": runs_in_background(found.page.total.value),
        **page_visit(request, search=request.GET),
    }
    response = render_page(
        request,
        "talks/event_log.html",
        context,
        partials=["event-results"],
        default="event-results",
    )
    if request.htmx and request.htmx.trigger == FORM_ID:
        query = context["query"].urlencode()
        push_url(response, f"{request.path}?{query}" if query else request.path)
    return response
