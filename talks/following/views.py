"""Following: the "Following" page (follows, digest frequency), follow and stop buttons, and the
signed unsubscribe link from digest emails."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from countries.models import Country
from hubtracker.rendering import HtmxHttpRequest, SignedInRequest
from talks.following import selectors, services
from talks.following.forms import FrequencyForm
from talks.following.models import FollowKind
from talks.models import Scheme

MAX_SEARCH = 600


def _back(request: HttpRequest, fallback: str = "following") -> HttpResponse:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return redirect(target)
    return redirect(fallback)


@require_http_methods(["GET", "POST"])
def following(request: SignedInRequest) -> HttpResponse:
    settings = services.digest_settings_for(request.user)
    form = FrequencyForm(request.POST or None, initial={"frequency": settings.frequency})
    if request.method == "POST" and form.is_valid():
        services.set_frequency(user=request.user, frequency=form.cleaned_data["frequency"])
        messages.success(request, "Your email digest setting is saved.")
        return redirect("following")
    follows = selectors.follows_of(request.user)
    counts = selectors.change_counts(user=request.user, follows=follows)
    rows = [(follow, counts.get(follow.pk, 0)) for follow in follows]
    context = {"rows": rows, "form": form, "has_email": bool(request.user.email)}
    return render(request, "following/following.html", context, status=400 if form.errors else 200)


def _target(request: HttpRequest) -> dict:
    kind = request.POST.get("kind")
    if kind == FollowKind.COUNTRY:
        return {"country": get_object_or_404(Country, slug=request.POST.get("country", ""))}
    if kind == FollowKind.SCHEME:
        return {"scheme": get_object_or_404(Scheme, slug=request.POST.get("scheme", ""))}
    if kind == FollowKind.SEARCH:
        search = selectors.normalise_search(QueryDict(request.POST.get("search", "")))
        if search and len(search) <= MAX_SEARCH:
            return {"search": QueryDict(search)}
    raise BadRequest("Choose a country, a scheme or an event-log search to follow.")


@require_POST
def follow_add(request: SignedInRequest) -> HttpResponse:
    try:
        follow = services.follow(user=request.user, **_target(request))
    except services.TooManyFollows as error:
        messages.error(request, str(error))
        return _back(request)
    if request.htmx:
        return render(
            request, "following/_follow_button.html", {"follow": follow, **_target_context(follow)}
        )
    messages.success(request, f"You now follow {follow.label}.")
    return _back(request)


def _target_context(follow) -> dict:
    return {
        "kind": follow.kind,
        "slug": (follow.country or follow.scheme).slug if follow.kind != FollowKind.SEARCH else "",
        "search": follow.search,
        "label": follow.label,
    }


@require_POST
def follow_stop(request: HtmxHttpRequest, follow_id: int) -> HttpResponse:
    follow = get_object_or_404(selectors.Follow, pk=follow_id, user=request.user)
    context = {"follow": None, **_target_context(follow)}
    services.stop_following(user=request.user, follow_id=follow.pk)
    if request.htmx:
        return render(request, "following/_follow_button.html", context)
    messages.success(request, f"You no longer follow {follow.label}.")
    return _back(request)


# RFC 8058 one-click unsubscribe: the mail provider POSTs with no session and no CSRF token; the
# signed token is the authority, and the only action is to stop the token's owner's digests.
@login_not_required
@csrf_exempt
@require_http_methods(["GET", "POST"])
def digest_unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a confirmation button (link scanners must not unsubscribe anyone); POST, from
    that button or from a mail client's one-click unsubscribe, stops the digests."""
    user_id = services.user_id_from_token(token)
    if user_id is None:
        return render(request, "following/unsubscribe.html", {"invalid": True}, status=400)
    if request.method == "POST":
        services.unsubscribe(user_id=user_id)
        return render(request, "following/unsubscribe.html", {"done": True})
    return render(request, "following/unsubscribe.html", {"token": token})
