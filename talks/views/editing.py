"""Analysts record, correct and retract talk events.

Each view works as a full page without JavaScript; with htmx the same view swaps its form in
place and, after a save, answers with a confirmation plus an `events-changed` client event so
the map, counts and timelines on the page refresh themselves.
"""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_GET, require_http_methods
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import trigger_client_event

from hubtracker.rendering import HtmxHttpRequest, render_page
from talks import access
from talks.forms.events import EventForm, RetractForm, initial_from_event
from talks.models import Candidacy, Scheme, TalkEvent
from talks.rules.statuses import TransitionRefused, label
from talks.selectors.history import changes_since
from talks.selectors.lookups import (
    event_targets,
    find_candidacy,
    find_scheme,
    find_visible_event,
)
from talks.selectors.status import status_in
from talks.services.events import (
    StaleVersion,
    retract_event,
    save_event,
)
from talks.services.submissions import FIELD as SUBMISSION_FIELD
from talks.services.submissions import AlreadySubmitted, earlier_submission, write_once

EVENTS_CHANGED = "events-changed"


# Helpers ---------------------------------------------------------------------------------
def _candidacy(scheme_slug: str, country_slug: str) -> Candidacy:
    candidacy = find_candidacy(scheme_slug=scheme_slug, country_slug=country_slug)
    if candidacy is None:
        raise Http404("No such country in that scheme.")
    return candidacy


def _visible_event(request: HtmxHttpRequest, pk: int) -> TalkEvent:
    """The event, if this user may see it: a user cannot act on what they cannot see."""
    event = find_visible_event(user=request.user, pk=pk)
    if event is None:
        raise Http404("No such event.")
    return event


def _status_before(candidacy: Candidacy | None, event: TalkEvent | None, user) -> str:
    """The status a new event (or a correction of `event`) moves from, as this user sees it."""
    if candidacy is None or event is None:
        return access.seen_status(user, candidacy)
    return _status_on_day(candidacy, event, user)(timezone.localdate())


def _status_on_day(candidacy: Candidacy | None, event: TalkEvent | None, user):
    """The status on a given day in the user's picture (leaving out the event corrected)."""
    if candidacy is None:
        return None
    picture = access.picture(user)
    excluding = event.pk if event is not None else None

    def status_on_day(day):
        return status_in(picture, candidacy, day, excluding_event_id=excluding).status

    return status_on_day


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


def _safe_next(request: HtmxHttpRequest) -> str:
    """`next` if it is a path on this site (/events/?q=x), else "": not a URL name ("abc",
    "1041"), another host, a scheme (javascript:) or text with control characters."""
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if not wanted.startswith("/") or any(ord(char) < 32 or ord(char) == 127 for char in wanted):
        return ""
    if not url_has_allowed_host_and_scheme(wanted, {request.get_host()}, request.is_secure()):
        return ""
    return wanted


def _back_url(request: HtmxHttpRequest, scheme: Scheme, candidacy: Candidacy | None) -> str:
    """Where to go after a save or a cancel: `next` if it is on this site, else a sensible page.

    Decided before anything is written, so a bad `next` can never fail a request after its write.
    """
    if wanted := _safe_next(request):
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


def _after_stale(form_class, request: HtmxHttpRequest, stale: StaleVersion, **form_kwargs):
    """Rebuild the form from what the user typed, at the candidacy's new version."""
    data = request.POST.copy()
    data["version"] = str(stale.seen_version)
    form = form_class(data, **form_kwargs)
    form.is_valid()
    changes = changes_since(
        candidacy=stale.candidacy, version=stale.expected_version, user=request.user
    )
    return form, {"message": str(stale), "changes": changes}


def _sent_again(request: HtmxHttpRequest, context: dict, back: str) -> HttpResponse | None:
    """The answer to a form sent again after its write was saved (None if it was not)."""
    if request.method != "POST":
        return None
    earlier = earlier_submission(by=request.user, key=request.POST.get(SUBMISSION_FIELD))
    if earlier is None:
        return None
    return _saved_again(request, AlreadySubmitted(earlier), back, context)


def _saved_again(request, repeat: AlreadySubmitted, back: str, context: dict) -> HttpResponse:
    message = f"{repeat.message} (The form was sent twice; it was saved once.)"
    return _saved(request, message, repeat.redirect_to or back, context)


def _saved(request: HtmxHttpRequest, message: str, back: str, context: dict) -> HttpResponse:
    if not request.htmx:
        messages.success(request, message)
        return HttpResponseRedirect(back)
    context = {**context, "message": message, "back_url": back}
    response = render(request, "talks/event_form.html#event-saved", context)
    return trigger_client_event(response, EVENTS_CHANGED, {"scheme": context["scheme"].slug})


# Record and correct ----------------------------------------------------------------------
def _save_event(form: EventForm, *, scheme, candidacy, event, user, back) -> tuple:
    """(the saved event, the message): once per form key (AlreadySubmitted on a repeat)."""
    return write_once(
        by=user,
        key=form.cleaned_data["submission_key"],
        write=lambda: save_event(
            scheme=scheme,
            candidacy=candidacy,
            event=event,
            details=form.details(),
            new_source=form.new_source_fields(),
            by=user,
            expected_version=form.cleaned_data["version"],
        ),
        answer=lambda saved: _saved_message(saved, candidacy, bool(event)),
        redirect_to=back,
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
    kwargs = {
        "user": user,
        "current_status": before,
        "with_status": candidacy is not None,
        "status_on": _status_on_day(candidacy, event, user),
    }
    version = access.seen_version(user, candidacy)
    initial = {**(initial_from_event(event) if event else {}), "version": version}
    form = EventForm(request.POST or None, initial=initial, **kwargs)
    conflict = None
    back = _back_url(request, scheme, candidacy)
    done = {"scheme": scheme, "candidacy": candidacy, "event": event}
    if repeated := _sent_again(request, done, back):
        return repeated
    if request.method == "POST" and form.is_valid():
        try:
            saved, message = _save_event(
                form, scheme=scheme, candidacy=candidacy, event=event, user=user, back=back
            )
        except AlreadySubmitted as repeat:
            return _saved_again(request, repeat, back, done)
        except StaleVersion as stale:
            candidacy = stale.candidacy
            kwargs["current_status"] = access.seen_status(user, candidacy)
            kwargs["status_on"] = _status_on_day(candidacy, event, user)
            form, conflict = _after_stale(EventForm, request, stale, **kwargs)
        except TransitionRefused as refused:
            form.add_error("new_status", str(refused))
        except ValidationError as error:
            _add_errors(form, error)
        else:
            return _saved(request, message, back, {**done, "event": saved})
    context = {
        "form": form,
        "scheme": scheme,
        "candidacy": candidacy,
        "event": event,
        "conflict": conflict,
        "form_url": _form_url(scheme, candidacy, event),
        # Unique per form: a correction can be open beside the new-event form on one page.
        "form_id": f"event-{event.pk}-correction" if event else "event-form",
        "back_url": back,
        "next": _safe_next(request),
    }
    status = 409 if conflict else (400 if form.errors else 200)
    return render_page(
        request, "talks/event_form.html", context, default="event-form", status=status
    )


@require_http_methods(["GET", "POST"])
@access.requires(access.RECORD)
@vary_on_headers("HX-Request")
def event_new(request: HtmxHttpRequest, scheme_slug: str, country_slug: str) -> HttpResponse:
    candidacy = _candidacy(scheme_slug, country_slug)
    return _event_form_page(request, scheme=candidacy.scheme, candidacy=candidacy)


@require_http_methods(["GET", "POST"])
@access.requires(access.RECORD)
@vary_on_headers("HX-Request")
def event_new_scheme_wide(request: HtmxHttpRequest, scheme_slug: str) -> HttpResponse:
    scheme = find_scheme(slug=scheme_slug)
    if scheme is None:
        raise Http404("No scheme with that address.")
    return _event_form_page(request, scheme=scheme, candidacy=None)


@require_GET
@access.requires(access.RECORD)
@vary_on_headers("HX-Request")
def event_new_choose(request: HtmxHttpRequest) -> HttpResponse:
    """Pick where an event belongs (from the event log), then get its form."""
    scheme_slug, _, country_slug = request.GET.get("where", "").partition("/")
    scheme = find_scheme(slug=scheme_slug) if scheme_slug else None
    candidacy = None
    if scheme is not None and country_slug:
        candidacy = find_candidacy(scheme_slug=scheme.slug, country_slug=country_slug)
    if scheme is None or (country_slug and candidacy is None):
        context = {"targets": event_targets(), "where": request.GET.get("where", "")}
        context["error"] = "Select where the event belongs." if "where" in request.GET else ""
        return render_page(request, "talks/event_choose.html", context, default="event-choose")
    if request.htmx:
        return _event_form_page(request, scheme=scheme, candidacy=candidacy)
    url = _form_url(scheme, candidacy, None)
    wanted = _safe_next(request)
    return redirect(f"{url}?{urlencode({'next': wanted})}" if wanted else url)


def _closed_event_page(request: HtmxHttpRequest, event: TalkEvent) -> HttpResponse:
    context: dict[str, Any] = {
        "event": event,
        "scheme": event.scheme,
        "candidacy": event.candidacy,
    }
    context["back_url"] = _back_url(request, event.scheme, event.candidacy)
    return render_page(
        request, "talks/event_closed.html", context, default="event-closed", status=409
    )


@require_http_methods(["GET", "POST"])
@access.requires(access.RECORD)
@vary_on_headers("HX-Request")
def event_correct(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    event = _visible_event(request, pk)
    done = {"scheme": event.scheme, "candidacy": event.candidacy, "event": event}
    if repeated := _sent_again(request, done, _back_url(request, event.scheme, event.candidacy)):
        return repeated
    if event.is_retracted or event.is_superseded:
        return _closed_event_page(request, event)
    return _event_form_page(request, scheme=event.scheme, candidacy=event.candidacy, event=event)


@require_http_methods(["GET", "POST"])
@access.requires(access.RECORD)
@vary_on_headers("HX-Request")
def event_retract(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    event = _visible_event(request, pk)
    candidacy = event.candidacy
    back = _back_url(request, event.scheme, candidacy)
    done = {"scheme": event.scheme, "candidacy": candidacy, "event": event}
    if repeated := _sent_again(request, done, back):
        return repeated
    if event.is_retracted or event.is_superseded:
        return _closed_event_page(request, event)
    initial = {"version": access.seen_version(request.user, candidacy)}
    form = RetractForm(request.POST or None, initial=initial)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            _, message = write_once(
                by=request.user,
                key=form.cleaned_data["submission_key"],
                write=lambda: retract_event(
                    event=event,
                    reason=form.cleaned_data["reason"],
                    by=request.user,
                    expected_version=form.cleaned_data["version"],
                ),
                answer=lambda retracted: f"Event retracted: {retracted.title}.",
                redirect_to=back,
            )
        except AlreadySubmitted as repeat:
            return _saved_again(request, repeat, back, done)
        except StaleVersion as stale:
            form, conflict = _after_stale(RetractForm, request, stale)
            candidacy = stale.candidacy
        except ValidationError as error:
            _add_errors(form, error)
        else:
            return _saved(request, message, back, done)
    context: dict[str, Any] = {
        "form": form,
        "event": event,
        "scheme": event.scheme,
        "candidacy": candidacy,
        "conflict": conflict,
        "back_url": back,
        "next": _safe_next(request),
    }
    status = 409 if conflict else (400 if form.errors else 200)
    return render_page(
        request, "talks/event_retract.html", context, default="retract-form", status=status
    )
