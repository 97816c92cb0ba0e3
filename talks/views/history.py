"""The change history of one candidacy, from the audit trail."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from hubtracker.auth import permission_required
from talks.models import Candidacy
from talks.selectors import can_see_sensitive, candidacy_history


@require_GET
@permission_required("talks.view_auditentry")
@vary_on_headers("HX-Request")
def candidacy_history_page(
    request: HttpRequest, scheme_slug: str, country_slug: str
) -> HttpResponse:
    candidacy = get_object_or_404(
        Candidacy.objects.select_related("scheme", "country"),
        scheme__slug=scheme_slug,
        country__slug=country_slug,
    )
    context = {
        "candidacy": candidacy,
        "scheme": candidacy.scheme,
        "changes": candidacy_history(candidacy=candidacy, user=request.user),
        "current_status": (
            candidacy.status if can_see_sensitive(request.user) else candidacy.official_status
        ),
    }
    template = "talks/candidacy_history.html"
    return render(request, f"{template}#change-history" if request.htmx else template, context)
