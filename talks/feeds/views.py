"""The page where a user finds their secret feed address, and rotates it."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from talks.feeds.feeds import MARKING
from talks.feeds.keys import feed_token, rotate
from talks.models import Scheme


@require_GET
def feed_address(request: HttpRequest) -> HttpResponse:
    token = feed_token(request.user)
    schemes = Scheme.objects.order_by("name")
    feeds = [
        (scheme.name, request.build_absolute_uri(reverse("feed_scheme", args=[token, scheme.slug])))
        for scheme in schemes
    ]
    context = {
        "feeds": feeds,
        "events_feed": request.build_absolute_uri(reverse("feed_events", args=[token])),
        "marking": MARKING,
    }
    return render(request, "feeds/feed_address.html", context)


@require_POST
def feed_rotate(request: HttpRequest) -> HttpResponse:
    rotate(request.user)
    messages.success(
        request, "Your feed address has changed. Feed readers using the old one get nothing now."
    )
    return redirect("feed_address")
