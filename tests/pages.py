"""The one registry of the app's URLs: every named URL pattern is listed here, as a page (checked
across all pages: CSP, fuzzing, accessibility, permissions) or as another endpoint with the reason
the page checks leave it out. The benchmark (scripts/bench_pages.py) drives the `bench` requests.

`tests/hubtracker/test_page_registry.py` fails when a URL pattern is missing from the registry or
an entry no longer resolves (a renamed URL is never silently dropped): add a row when you add a
URL. Arguments are slugs from the demo data (`load_demo_data`).
"""

from dataclasses import dataclass, field

from django.urls import reverse

HTMX = {"HX-Request": "true"}
PAST_DATE = "2024-06-30"
UK = "uk-return-hubs-2025"
NO_JOB = "00000000-0000-0000-0000-000000000000"


@dataclass(frozen=True)
class Bench:
    """One request the benchmark drives: a label for its report, a query string, headers."""

    label: str
    query: str = ""
    headers: dict = field(default_factory=dict)
    args: tuple | None = None  # instead of the entry's own arguments


@dataclass(frozen=True)
class PageType:
    name: str  # URL name
    args: tuple = ()
    role: str | None = "viewer"  # the least privileged user that may see it; None: anyone
    query_params: tuple[str, ...] = field(default=())  # GET parameters the page reads
    bench: tuple[Bench, ...] = ()

    @property
    def url(self) -> str:
        return reverse(self.name, args=self.args)

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True)
class Endpoint:
    """A named URL that is not an HTML page of its own: a download, a POST-only action, an htmx
    region, a health check."""

    name: str
    reason: str  # why the page checks leave it out
    args: tuple = ()
    role: str | None = "viewer"
    bench: tuple[Bench, ...] = ()
    only_when: str = ""  # a setting that must be true for the URL to exist

    def __str__(self) -> str:
        return self.name


PAGE_TYPES = [
    PageType(
        "dashboard",
        query_params=("scheme", "date", "view", "year", "sort", "country"),
        bench=(
            Bench("dashboard"),
            Bench("dashboard as of a past date", f"date={PAST_DATE}"),
            Bench("dashboard htmx results (as of)", f"date={PAST_DATE}", HTMX),
            Bench(
                "dashboard htmx status table", "sort=status", {**HTMX, "HX-Target": "status-table"}
            ),
        ),
    ),
    PageType(
        "country_list",
        query_params=("sort", "order", "all", "q"),
        bench=(Bench("country list"),),
    ),
    PageType(
        "country_detail",
        ("serbia",),
        query_params=("scheme", "page", "after", "before"),
        bench=(
            Bench("country page (Serbia)"),
            Bench("country page (Serbia) timeline last page", "page=last"),
        ),
    ),
    PageType(
        "scheme_detail",
        (UK,),
        query_params=("as_of", "on"),
        bench=(Bench("scheme page (UK)"),),
    ),
    PageType("scheme_list"),
    PageType("account"),
    PageType(
        "event_log",
        query_params=(
            "q",
            "scheme",
            "country",
            "kind",
            "status",
            "date_from",
            "date_to",
            "sort",
            "order",
            "current_only",
            "page",
            "after",
            "before",
        ),
        bench=(
            Bench("event log"),
            Bench("event log page 200", "page=200"),
            Bench("event log last page", "page=last"),
            Bench("event log search (Kosovo)", "q=Kosovo"),
            Bench("event log search htmx", "q=ministry", HTMX),
        ),
    ),
    PageType("event_new", (UK, "serbia"), role="analyst"),
    PageType("event_new_scheme_wide", (UK,), role="analyst"),
    PageType("event_new_choose", role="analyst", query_params=("where",)),
    PageType("event_import", (UK,), role="analyst"),
    PageType("candidacy_history", (UK, "serbia"), role="analyst"),
    PageType("export_log", role="manager", query_params=("page",)),
    PageType("following"),
    PageType("job_list", role="manager"),
    PageType("api_tokens"),
    PageType("api_docs"),
    PageType("feed_address"),
    PageType(
        "briefings",
        role="manager",
        query_params=("scheme", "schemes", "as_of", "since", "changes_since", "format"),
        bench=(Bench("briefings"),),
    ),
]

ENDPOINTS = [
    Endpoint(
        "bench_constant",
        "a constant response for the benchmark's baseline",
        bench=(Bench("constant view"),),
        only_when="BENCHMARK",
    ),
    Endpoint("healthz", "the load balancer's health check", role=None, bench=(Bench("healthz"),)),
    Endpoint(
        "login",
        "sign-in (checked by tests/hubtracker)",
        role=None,
        bench=(Bench("login page (anonymous)"),),
    ),
    Endpoint("logout", "POST only"),
    Endpoint(
        "dashboard_panel",
        "an htmx region of the dashboard (a plain request redirects to it)",
        ("serbia",),
        bench=(Bench("dashboard htmx country panel", headers=HTMX),),
    ),
    Endpoint("event_correct", "needs an event's id (tests/talks/test_editing.py)", (1,)),
    Endpoint("event_retract", "needs an event's id (tests/talks/test_editing.py)", (1,)),
    Endpoint("event_import_confirm", "POST only, after an upload", (UK,), role="analyst"),
    Endpoint("event_import_template", "a CSV download", role="analyst"),
    Endpoint("briefing_preview", "the briefings page's preview, for a filled form", role="manager"),
    Endpoint("briefing_download", "a PDF or Word download", ("pdf",), role="manager"),
    Endpoint("export_candidacies", "a CSV or XLSX download", ("csv",)),
    Endpoint("export_events", "a CSV or XLSX download", ("csv",)),
    Endpoint("admin_sign_in", "the admin's sign-in, handed to the app's own", role=None),
    Endpoint("signed_out", "shown after signing out, to anyone (tests/accounts)", role=None),
    Endpoint("api_root", "JSON: where the API starts (tests/api)", role=None),
    Endpoint("api_openapi", "JSON: the API's OpenAPI schema (tests/api)", role=None),
    Endpoint("api_token_revoke", "POST only", (1,)),
    Endpoint("feed_scheme", "an Atom feed at a secret address (tests/feeds)", ("t", UK), None),
    Endpoint(
        "feed_country", "an Atom feed at a secret address (tests/feeds)", ("t", "serbia"), None
    ),
    Endpoint("feed_events", "an Atom feed at a secret address (tests/feeds)", ("t",), role=None),
    Endpoint("feed_rotate", "POST only"),
    Endpoint("follow_add", "POST only"),
    Endpoint("follow_stop", "POST only", (1,)),
    Endpoint("digest_unsubscribe", "one-click unsubscribe from a digest email", ("t",), None),
    Endpoint("job_detail", "one background job, by its id (tests/jobs)", (NO_JOB,), "manager"),
    Endpoint("job_download", "a finished job's file (tests/jobs)", (NO_JOB,), "manager"),
    Endpoint("job_start_events", "POST: starts a background export", ("csv",)),
    Endpoint("job_start_briefing", "POST: starts a background briefing", ("pdf",), "manager"),
    Endpoint(
        "admin:talks_talkevent_changelist",
        "Django's admin",
        role="admin",
        bench=(Bench("admin changelist (talk events)"),),
    ),
]

# URL namespaces and name prefixes not listed one by one, with where they are checked.
EXTERNAL_NAMESPACES = {
    "admin": "Django's admin",
    "api-v1": "the JSON API's endpoints (tests/api, from its OpenAPI schema)",
}
EXTERNAL_NAME_PREFIXES = {
    "account_": "django-allauth's account pages (tests/accounts)",
    "mfa_": "django-allauth's two-factor pages (tests/accounts)",
    "socialaccount_": "django-allauth's linked accounts (tests/accounts)",
    "openid_connect_": "django-allauth's OpenID Connect sign-in (tests/accounts)",
}

USER_FIXTURES = {"viewer": "viewer", "analyst": "cleared_analyst", "manager": "cleared_manager"}


def existing_page_types() -> list[PageType]:
    """Every page type. (They all exist: tests/hubtracker/test_page_registry.py checks it.)"""
    return list(PAGE_TYPES)


def user_for(page: PageType, request):
    """The user fixture (tests/conftest.py) for the page's role."""
    return request.getfixturevalue(USER_FIXTURES[page.role])
