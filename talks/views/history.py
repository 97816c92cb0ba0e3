"""The change history of one candidacy, from the audit trail."""

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from hubtracker.rendering import render_page
from talks import access
from talks.selectors.history import candidacy_history
from talks.selectors.lookups import find_candidacy


@require_GET
@access.requires(access.HISTORY)
@vary_on_headers("HX-Request")
def candidacy_history_page(
    request: HttpRequest, scheme_slug: str, country_slug: str
) -> HttpResponse:
    candidacy = find_candidacy(scheme_slug=scheme_slug, country_slug=country_slug)
    if candidacy is None:
        raise Http404("No such country in that scheme.")
    context = {
        "candidacy": candidacy,
        "scheme": candidacy.scheme,
        "changes": candidacy_history(candidacy=candidacy, user=request.user),
        "current_status": access.seen_status(request.user, candidacy),
    }
    return render_page(request, "talks/candidacy_history.html", context, default="change-history")
