"""Country pages: the list of candidate countries and one country's profile and timeline."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from talks import page_selectors
from talks.views.page_tools import paginate, template_for

COUNTRY_SORT_LABELS = {"name": "Country", "region": "Region", "eu_status": "EU status"}


@require_GET
def country_list(request: HttpRequest) -> HttpResponse:
    sort = request.GET.get("sort", "name")
    sort = sort if sort in COUNTRY_SORT_LABELS else "name"
    descending = request.GET.get("order") == "desc"
    include_all = request.GET.get("all") == "1"
    rows = page_selectors.country_rows(
        user=request.user, sort=sort, descending=descending, include_all=include_all
    )
    context = {
        "rows": rows,
        "sort": sort,
        "descending": descending,
        "include_all": include_all,
        "sort_columns": COUNTRY_SORT_LABELS,
    }
    return render(request, "talks/country_list.html", context)


@require_GET
@vary_on_headers("HX-Request")
def country_detail(request: HttpRequest, slug: str) -> HttpResponse:
    country = page_selectors.country_profile(slug=slug)
    if country is None:
        raise Http404("No country with that address.")
    context = {
        "country": country,
        "standings": page_selectors.country_standings(user=request.user, country=country),
        "page_obj": paginate(
            request, page_selectors.country_timeline(user=request.user, country=country)
        ),
    }
    template = template_for(
        request,
        "talks/country_detail.html",
        partials=["country-standing", "country-timeline"],
        default="country-timeline",
    )
    return render(request, template, context)
