"""Analysts record, correct and retract talk events.

Each view works as a full page without JavaScript; with htmx the same view swaps its form in
place and, after a save, answers with a confirmation plus an `events-changed` client event so
the map, counts and timelines on the page refresh themselves.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_GET, require_http_methods
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import trigger_client_event

from hubtracker.auth import permission_required
from talks.forms import EventForm, RetractForm, initial_from_event
from talks.models import Candidacy, Scheme, TalkEvent
from talks.selectors import can_see_sensitive, changes_since, refusal_for, status_on
from talks.services import (
    StaleVersion,
    add_source,
    correct_event,
    record_event,
    retract_event,
)
from talks.statuses import TransitionRefused, label

EVENTS_CHANGED = "events-changed"


# Helpers ---------------------------------------------------------------------------------
def _candidacy(scheme_slug: str, country_slug: str) -> Candidacy:
    return get_object_or_404(
        Candidacy.objects.select_related("scheme", "country"),
        scheme__slug=scheme_slug,
        country__slug=country_slug,
    )


def _visible_event(request: HttpRequest, pk: int) -> TalkEvent:
    """The event, if this user may see it: a user cannot act on what they cannot see."""
    events = TalkEvent.objects.visible_to(request.user).select_related(
        "scheme", "candidacy__country", "candidacy__scheme", "source"
    )
    return get_object_or_404(events, pk=pk)


def _seen_status(candidacy: Candidacy | None, user) -> str:
    """The candidacy's status today as this user may see it."""
    if candidacy is None:
        return ""
    return candidacy.status if can_see_sensitive(user) else candidacy.official_status


def _status_before(candidacy: Candidacy | None, event: TalkEvent | None, user) -> str:
    """The status a new event (or a correction of `event`) moves from, as this user sees it."""
    if candidacy is None or event is None:
        return _seen_status(candidacy, user)
    return status_on(
        candidacy=candidacy,
        on=timezone.localdate(),
        include_sensitive=can_see_sensitive(user),
        excluding_event_id=event.pk,
    ).status


def _form_url(scheme: Scheme, candidacy: Candidacy | None, event: TalkEvent | None) -> str:
    if event is not None:
        return reverse("event_correct", args=[event.pk])
    if candidacy is not None:
        return reverse("event_new", args=[scheme.slug, candidacy.country.slug])
    return reverse("event_new_scheme_wide", args=[scheme.slug])


def _first_url(*candidates: tuple[str, list]) -> str:
    for name, args in candidates:
        try:
            return reverse(name, args=args)
        except NoReverseMatch:
            continue
    return "/"


def _back_url(request: HttpRequest, scheme: Scheme, candidacy: Candidacy | None) -> str:
    """Where to go after a save or a cancel: `next` if it is on this site, else a sensible page."""
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(wanted, {request.get_host()}, request.is_secure()):
        return wanted
    if candidacy is not None:
        return _first_url(
            ("country_detail", [candidacy.country.slug]),
            ("candidacy_history", [scheme.slug, candidacy.country.slug]),
        )
    return _first_url(("scheme_detail", [scheme.slug]), ("event_new_scheme_wide", [scheme.slug]))


def _add_errors(form, error: Exception) -> None:
    """Put a service's refusal beside the field it concerns (or at the top of the form)."""
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            name = field if field in form.fields else f"source_{field}"
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages if isinstance(error, ValidationError) else str(error))


def _after_stale(form_class, request: HttpRequest, stale: StaleVersion, **form_kwargs):
    """Rebuild the form from what the user typed, at the candidacy's new version."""
    data = request.POST.copy()
    data["version"] = str(stale.candidacy.version)
    form = form_class(data, **form_kwargs)
    form.is_valid()
    changes = changes_since(
        candidacy=stale.candidacy, version=stale.expected_version, user=request.user
    )
    return form, {"message": str(stale), "changes": changes}


def _render(request: HttpRequest, template: str, partial: str, context: dict, status=200):
    """The whole page, or only its partial for htmx (always 200: htmx swaps only 2xx)."""
    if request.htmx:
        return render(request, f"{template}#{partial}", context)
    return render(request, template, context, status=status)


def _saved(request: HttpRequest, message: str, back: str, context: dict) -> HttpResponse:
    if not request.htmx:
        messages.success(request, message)
        return redirect(back)
    context = {**context, "message": message, "back_url": back}
    response = render(request, "talks/event_form.html#event-saved", context)
    return trigger_client_event(response, EVENTS_CHANGED, {"scheme": context["scheme"].slug})


# Record and correct ----------------------------------------------------------------------
def _save_event(form: EventForm, *, scheme, candidacy, event, user) -> TalkEvent:
    expected = form.cleaned_data["version"]
    with transaction.atomic():
        fields = form.new_source_fields()
        source = add_source(by=user, **fields) if fields else None
        if event is not None:
            return correct_event(
                event=event, details=form.details(source), by=user, expected_version=expected
            )
        return record_event(
            scheme=scheme,
            candidacy=candidacy,
            details=form.details(source),
            by=user,
            expected_version=expected,
        )


def _saved_message(saved: TalkEvent, candidacy: Candidacy | None, corrected: bool) -> str:
    verb = "Correction recorded" if corrected else "Event recorded"
    text = f"{verb}: {saved.title}."
    if candidacy is not None and saved.new_status:
        text += f" {candidacy.country} is now {label(saved.new_status)}."
    return text


def _event_form_page(request, *, scheme, candidacy, event=None) -> HttpResponse:
    """GET: an empty (or correction) form; POST: save it through the services or say why not."""
    user = request.user
    before = _status_before(candidacy, event, user)
    kwargs = {"user": user, "current_status": before, "with_status": candidacy is not None}
    version = candidacy.version if candidacy is not None else None
    initial = {**(initial_from_event(event) if event else {}), "version": version}
    form = EventForm(request.POST or None, initial=initial, **kwargs)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            saved = _save_event(form, scheme=scheme, candidacy=candidacy, event=event, user=user)
        except StaleVersion as stale:
            candidacy = stale.candidacy
            kwargs["current_status"] = _seen_status(candidacy, user)
            form, conflict = _after_stale(EventForm, request, stale, **kwargs)
        except TransitionRefused as refused:
            form.add_error("new_status", refusal_for(user, candidacy, str(refused)))
        except ValidationError as error:
            _add_errors(form, error)
        else:
            context = {"scheme": scheme, "candidacy": candidacy, "event": saved}
            back = _back_url(request, scheme, candidacy)
            return _saved(request, _saved_message(saved, candidacy, bool(event)), back, context)
    context = {
        "form": form,
        "scheme": scheme,
        "candidacy": candidacy,
        "event": event,
        "conflict": conflict,
        "form_url": _form_url(scheme, candidacy, event),
        "back_url": _back_url(request, scheme, candidacy),
        "next": request.POST.get("next") or request.GET.get("next", ""),
    }
    status = 409 if conflict else (400 if form.errors else 200)
    return _render(request, "talks/event_form.html", "event-form", context, status=status)


@require_http_methods(["GET", "POST"])
@permission_required("talks.record_event")
@vary_on_headers("HX-Request")
def event_new(request: HttpRequest, scheme_slug: str, country_slug: str) -> HttpResponse:
    candidacy = _candidacy(scheme_slug, country_slug)
    return _event_form_page(request, scheme=candidacy.scheme, candidacy=candidacy)


@require_http_methods(["GET", "POST"])
@permission_required("talks.record_event")
@vary_on_headers("HX-Request")
def event_new_scheme_wide(request: HttpRequest, scheme_slug: str) -> HttpResponse:
    scheme = get_object_or_404(Scheme, slug=scheme_slug)
    return _event_form_page(request, scheme=scheme, candidacy=None)


def event_targets() -> list[tuple[str, list[tuple[str, str]]]]:
    """Where an event can be recorded: each scheme as a whole, then each of its candidacies."""
    groups: dict[int, tuple[str, list[tuple[str, str]]]] = {}
    for scheme in Scheme.objects.order_by("-announced_on", "name"):
        groups[scheme.pk] = (scheme.name, [(scheme.slug, f"{scheme.name}: the whole scheme")])
    candidacies = Candidacy.objects.select_related("scheme", "country").order_by("country__name")
    for candidacy in candidacies:
        value = f"{candidacy.scheme.slug}/{candidacy.country.slug}"
        groups[candidacy.scheme_id][1].append((value, candidacy.country.name))
    return list(groups.values())


@require_GET
@permission_required("talks.record_event")
@vary_on_headers("HX-Request")
def event_new_choose(request: HttpRequest) -> HttpResponse:
    """Pick where an event belongs (from the event log), then get its form."""
    scheme_slug, _, country_slug = request.GET.get("where", "").partition("/")
    scheme = Scheme.objects.filter(slug=scheme_slug).first() if scheme_slug else None
    candidacy = None
    if scheme is not None and country_slug:
        candidacy = (
            scheme.candidacies.select_related("country", "scheme")
            .filter(country__slug=country_slug)
            .first()
        )
    if scheme is None or (country_slug and candidacy is None):
        context = {"targets": event_targets(), "where": request.GET.get("where", "")}
        context["error"] = "Select where the event belongs." if "where" in request.GET else ""
        return _render(request, "talks/event_choose.html", "event-choose", context)
    if request.htmx:
        return _event_form_page(request, scheme=scheme, candidacy=candidacy)
    url = _form_url(scheme, candidacy, None)
    wanted = request.GET.get("next", "")
    return redirect(f"{url}?{urlencode({'next': wanted})}" if wanted else url)


def _closed_event_page(request: HttpRequest, event: TalkEvent) -> HttpResponse:
    context = {"event": event, "scheme": event.scheme, "candidacy": event.candidacy}
    context["back_url"] = _back_url(request, event.scheme, event.candidacy)
    return _render(request, "talks/event_closed.html", "event-closed", context, status=409)


@require_http_methods(["GET", "POST"])
@permission_required("talks.record_event")
@vary_on_headers("HX-Request")
def event_correct(request: HttpRequest, pk: int) -> HttpResponse:
    event = _visible_event(request, pk)
    if event.is_retracted or event.is_superseded:
        return _closed_event_page(request, event)
    return _event_form_page(request, scheme=event.scheme, candidacy=event.candidacy, event=event)


@require_http_methods(["GET", "POST"])
@permission_required("talks.record_event")
@vary_on_headers("HX-Request")
def event_retract(request: HttpRequest, pk: int) -> HttpResponse:
    event = _visible_event(request, pk)
    if event.is_retracted or event.is_superseded:
        return _closed_event_page(request, event)
    candidacy = event.candidacy
    initial = {"version": candidacy.version if candidacy else None}
    form = RetractForm(request.POST or None, initial=initial)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            retract_event(
                event=event,
                reason=form.cleaned_data["reason"],
                by=request.user,
                expected_version=form.cleaned_data["version"],
            )
        except StaleVersion as stale:
            form, conflict = _after_stale(RetractForm, request, stale)
            candidacy = stale.candidacy
        except ValidationError as error:
            _add_errors(form, error)
        else:
            context = {"scheme": event.scheme, "candidacy": candidacy, "event": event}
            back = _back_url(request, event.scheme, candidacy)
            return _saved(request, f"Event retracted: {event.title}.", back, context)
    context = {
        "form": form,
        "event": event,
        "scheme": event.scheme,
        "candidacy": candidacy,
        "conflict": conflict,
        "back_url": _back_url(request, event.scheme, candidacy),
        "next": request.POST.get("next") or request.GET.get("next", ""),
    }
    status = 409 if conflict else (400 if form.errors else 200)
    return _render(request, "talks/event_retract.html", "retract-form", context, status=status)
