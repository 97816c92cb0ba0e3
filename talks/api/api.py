"""The read API, version 1: /api/v1/. Every list is keyset-paginated; every error is JSON."""

from collections.abc import Iterable
from typing import Annotated

from django.http import HttpRequest
from ninja import NinjaAPI, Path, Query
from ninja.errors import AuthenticationError, HttpError, ValidationError
from pydantic import WithJsonSchema

from talks import access
from talks.api import reads
from talks.api.auth import ApiRequest, TokenOrSession
from talks.api.errors import ApiError, error_response, from_exception
from talks.api.forms import CandidacyParameters
from talks.api.pagination import BadCursor, fingerprint, paginate
from talks.api.schemas import (
    CandidacyList,
    CountryList,
    CountryOut,
    Error,
    EventList,
    EventOut,
    RouteList,
    RouteOut,
    SchemeList,
    SchemeOut,
    SourceList,
    SourceOut,
    candidacy_out,
    country_out,
    event_out,
    route_out,
    scheme_out,
    source_out,
)
from talks.forms.event_log import ORDER_CHOICES, SORT_CHOICES, EventLogFilters
from talks.models import EventKind
from talks.rules.statuses import Status
from talks.selectors.event_log import MAX_QUERY_LENGTH

DESCRIPTION = """Read-only access to HubTracker's schemes, countries, candidacies (with their
status on any date under the status rule), talk events, sources and migration-route figures.

Authenticate with a personal API token from your API tokens page:
`Authorization: Bearer <token>`. A token reads exactly what its owner may see on the pages:
OFFICIAL-SENSITIVE items only if the owner is cleared.

Lists are paginated with a cursor: pass the `next_cursor` of one page as `cursor` (with the same
other parameters) to get the next; it is null on the last page. Every answer carries an `ETag`;
send it back as `If-None-Match` to get `304 Not Modified` when nothing changed. Errors are JSON
with an `error` code, a `message` and, for bad parameters, `fields`."""

api = NinjaAPI(
    title="HubTracker API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    openapi_url=None,  # served by talks.api.views.openapi_json, behind the same sign-in
    docs_url=None,  # the documentation page is talks.api.views.docs (no CDN, strict CSP)
    auth=TokenOrSession(),
)

ERRORS = {400: Error, 401: Error, 404: Error, 429: Error}
LIMIT = Query(50, ge=1, le=200, description="Items per page (1 to 200).")
CURSOR = Query(None, max_length=2000, description="next_cursor of the previous page.")
MAX_ID = 2**63 - 1


def _id(description: str):
    return Path(..., ge=1, le=MAX_ID, description=description)


# --- Errors ------------------------------------------------------------------------------------


@api.exception_handler(ApiError)
def _api_error(request: HttpRequest, exc: ApiError):
    return from_exception(exc)


@api.exception_handler(ValidationError)
def _validation_error(request: HttpRequest, exc: ValidationError):
    fields: dict[str, list[str]] = {}
    for error in exc.errors:
        name = str(error.get("loc", ["", "?"])[-1])
        fields.setdefault(name, []).append(error.get("msg", "Not a valid value."))
    names = ", ".join(sorted(fields))
    return error_response(400, f"Check these parameters: {names}.", fields=fields)


@api.exception_handler(AuthenticationError)
def _authentication_error(request: HttpRequest, exc: AuthenticationError):
    return error_response(401)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError):
    return error_response(exc.status_code, str(exc))


def _form_errors(form) -> ApiError:
    fields = {name: [str(m) for m in messages] for name, messages in form.errors.items()}
    names = ", ".join(sorted(fields))
    return ApiError(400, f"Check these parameters: {names}.", fields=fields)


def query_id(path: str, limit: int, params: dict) -> str:
    """What a cursor is tied to: the address, the page size and every other parameter."""
    return fingerprint({**params, "path": path, "limit": limit})


def _page(request: HttpRequest, queryset, *, cursor, limit, params: dict):
    tied_to = query_id(request.path, limit, params)
    try:
        return paginate(queryset, cursor=cursor, limit=limit, query_id=tied_to)
    except BadCursor as bad:
        raise ApiError(400, str(bad), fields={"cursor": [str(bad)]}) from None


def _not_found(what: str) -> ApiError:
    return ApiError(404, f"There is no {what} with that identifier that you may see.")


# --- Schemes and countries ---------------------------------------------------------------------


@api.get("/schemes", response={200: SchemeList, **ERRORS}, tags=["schemes"])
def list_schemes(request: HttpRequest, cursor: str | None = CURSOR, limit: int = LIMIT):
    """Every scheme (a sending state's plan), by name."""
    page = _page(
        request, reads.schemes().order_by("name", "id"), cursor=cursor, limit=limit, params={}
    )
    return {"items": [scheme_out(s) for s in page.items], "next_cursor": page.next_cursor}


@api.get("/schemes/{slug}", response={200: SchemeOut, **ERRORS}, tags=["schemes"])
def get_scheme(request: HttpRequest, slug: str = Path(..., max_length=150)):
    scheme = reads.schemes().filter(slug=slug).first()
    if scheme is None:
        raise _not_found("scheme")
    return scheme_out(scheme)


@api.get("/countries", response={200: CountryList, **ERRORS}, tags=["countries"])
def list_countries(request: HttpRequest, cursor: str | None = CURSOR, limit: int = LIMIT):
    """Every country HubTracker knows, by name."""
    countries = reads.countries().order_by("name", "id")
    page = _page(request, countries, cursor=cursor, limit=limit, params={})
    return {"items": [country_out(c) for c in page.items], "next_cursor": page.next_cursor}


@api.get("/countries/{slug}", response={200: CountryOut, **ERRORS}, tags=["countries"])
def get_country(request: HttpRequest, slug: str = Path(..., max_length=100)):
    country = reads.countries().filter(slug=slug).first()
    if country is None:
        raise _not_found("country")
    return country_out(country)


# --- Candidacies -------------------------------------------------------------------------------


@api.get("/candidacies", response={200: CandidacyList, **ERRORS}, tags=["candidacies"])
def list_candidacies(
    request: ApiRequest,
    scheme: str | None = Query(None, max_length=150, description="Scheme slug."),
    country: str | None = Query(None, max_length=100, description="Country slug."),
    as_of: Annotated[str | None, WithJsonSchema({"type": "string", "format": "date"})] = Query(
        None, description="Status on this date (YYYY-MM-DD); today if left out."
    ),
    cursor: str | None = CURSOR,
    limit: int = LIMIT,
):
    """Candidacies (a country in a scheme) with their status on `as_of` under the status rule:
    the latest event on or before that date that carries a status and is neither retracted nor
    corrected sets it. Only events you may see count."""
    params = {"scheme": scheme, "country": country, "as_of": as_of}
    form = CandidacyParameters({k: v for k, v in params.items() if v})
    if not form.is_valid():
        raise _form_errors(form)
    on = form.cleaned_data["as_of"]
    candidacies = reads.candidacies_for(
        request.auth,
        on=on,
        scheme=form.cleaned_data["scheme"],
        country=form.cleaned_data["country"],
    ).order_by("scheme__name", "country__name", "id")
    page = _page(request, candidacies, cursor=cursor, limit=limit, params={**params, "on": on})
    return {"items": [candidacy_out(c, on) for c in page.items], "next_cursor": page.next_cursor}


# --- Events ------------------------------------------------------------------------------------


def _enum(choices: Iterable[tuple[str, object]]) -> WithJsonSchema:
    """A string parameter documented with its choices; the event log's form checks it."""
    return WithJsonSchema({"type": "string", "enum": [value for value, _ in choices if value]})


KindParam = Annotated[str | None, _enum(EventKind.choices)]
StatusParam = Annotated[str | None, _enum(Status.choices)]
SortParam = Annotated[str | None, _enum(SORT_CHOICES)]
OrderParam = Annotated[str | None, _enum(ORDER_CHOICES)]


@api.get("/events", response={200: EventList, **ERRORS}, tags=["events"])
def list_events(
    request: ApiRequest,
    q: str | None = Query(
        None,
        max_length=MAX_QUERY_LENGTH,
        description='Words in the title, summary, quote or speaker; "a phrase", -word.',
    ),
    scheme: str | None = Query(None, max_length=150, description="Scheme slug."),
    country: str | None = Query(None, max_length=100, description="Country slug."),
    kind: KindParam = Query(None, description="Kind of event."),
    status: StatusParam = Query(None, description="Status moved to."),
    date_from: str | None = Query(
        None, max_length=40, description="On or after this date: 2025-05-15 or 15/05/2025."
    ),
    date_to: str | None = Query(
        None, max_length=40, description="On or before this date: 2025-12-31 or 31/12/2025."
    ),
    sort: SortParam = Query(
        None, description="Left out: best match when searching (PostgreSQL), else date."
    ),
    order: OrderParam = Query(None, description="desc (the default) or asc."),
    current_only: bool = Query(False, description="Leave out corrected and retracted events."),
    cursor: str | None = CURSOR,
    limit: int = LIMIT,
):
    """The event log: the same parameters with the same meaning, the same rows in the same
    order as the event log page (/events/)."""
    params = event_params(
        q=q,
        scheme=scheme,
        country=country,
        kind=kind,
        status=status,
        date_from=date_from,
        date_to=date_to,
        sort=sort,
        order=order,
        current_only="on" if current_only else None,
    )
    form = EventLogFilters({k: v for k, v in params.items() if v})
    if not form.is_valid():
        raise _form_errors(form)
    events = reads.events_for(request.auth, form.filters())
    page = _page(request, events, cursor=cursor, limit=limit, params=params)
    return _events_page(request, page)


def event_params(**given) -> dict:
    """The event log's parameters, each None unless given (as the form reads them)."""
    return {name: given.get(name) for name in EventLogFilters.base_fields}


def _events_page(request: ApiRequest, page) -> dict:
    cleared = access.sees_sensitive(request.auth)
    return {
        "items": [event_out(event, cleared=cleared) for event in page.items],
        "next_cursor": page.next_cursor,
    }


@api.get("/events/{event_id}", response={200: EventOut, **ERRORS}, tags=["events"])
def get_event(request: ApiRequest, event_id: int = _id("Event id.")):
    event = reads.event_for(request.auth, event_id)
    if event is None:
        raise _not_found("event")
    return event_out(event, cleared=access.sees_sensitive(request.auth))


# --- Sources and route figures -----------------------------------------------------------------


@api.get("/sources", response={200: SourceList, **ERRORS}, tags=["sources"])
def list_sources(request: ApiRequest, cursor: str | None = CURSOR, limit: int = LIMIT):
    """Sources cited by events you may see (and sources not yet cited), by id."""
    sources = reads.sources_for(request.auth).order_by("id")
    page = _page(request, sources, cursor=cursor, limit=limit, params={})
    return {"items": [source_out(s) for s in page.items], "next_cursor": page.next_cursor}


@api.get("/sources/{source_id}", response={200: SourceOut, **ERRORS}, tags=["sources"])
def get_source(request: ApiRequest, source_id: int = _id("Source id.")):
    source = reads.sources_for(request.auth).filter(pk=source_id).first()
    if source is None:
        raise _not_found("source")
    return source_out(source)


@api.get("/routes", response={200: RouteList, **ERRORS}, tags=["routes"])
def list_routes(request: HttpRequest, cursor: str | None = CURSOR, limit: int = LIMIT):
    """Migration routes with their waypoints and yearly crossing figures."""
    page = _page(
        request, reads.routes().order_by("name", "id"), cursor=cursor, limit=limit, params={}
    )
    return {"items": [route_out(r) for r in page.items], "next_cursor": page.next_cursor}


@api.get("/routes/{slug}", response={200: RouteOut, **ERRORS}, tags=["routes"])
def get_route(request: HttpRequest, slug: str = Path(..., max_length=100)):
    route = reads.routes().filter(slug=slug).first()
    if route is None:
        raise _not_found("route")
    return route_out(route)
