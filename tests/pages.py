"""Every page type of the app, for the checks that run across all pages (CSP, fuzzing,
accessibility). Pages whose URL name does not exist yet are left out, so the checks grow as the
pages land: add a row here when you add a page.

Arguments are slugs from the demo data (`load_demo_data`).
"""

from dataclasses import dataclass, field

from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class PageType:
    name: str  # URL name
    args: tuple = ()
    role: str = "viewer"  # the least privileged fixture that may see the page
    query_params: tuple[str, ...] = field(default=())  # GET parameters the page reads

    @property
    def url(self) -> str:
        return reverse(self.name, args=self.args)

    def __str__(self) -> str:
        return self.name


PAGE_TYPES = [
    PageType("dashboard", query_params=("scheme", "date", "view", "year", "sort", "country")),
    PageType("country_list", query_params=("sort", "order", "all", "q")),
    PageType("country_detail", ("serbia",), query_params=("scheme", "page")),
    PageType("scheme_detail", ("uk-return-hubs-2025",), query_params=("as_of", "on")),
    PageType("scheme_list"),
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
        ),
    ),
    PageType("event_new", ("uk-return-hubs-2025", "serbia"), role="analyst"),
    PageType("event_new_scheme_wide", ("uk-return-hubs-2025",), role="analyst"),
    PageType("event_import", ("uk-return-hubs-2025",), role="analyst"),
    PageType("candidacy_history", ("uk-return-hubs-2025", "serbia"), role="analyst"),
    PageType("export_log", role="manager", query_params=("page",)),
    PageType(
        "briefings",
        role="manager",
        query_params=("scheme", "schemes", "as_of", "since", "changes_since", "format"),
    ),
]


USER_FIXTURES = {"viewer": "viewer", "analyst": "cleared_analyst", "manager": "cleared_manager"}


def user_for(page: PageType, request):
    """The user fixture (tests/conftest.py) for the page's role."""
    return request.getfixturevalue(USER_FIXTURES[page.role])


def _exists(page: PageType) -> bool:
    try:
        reverse(page.name, args=page.args)
    except NoReverseMatch:
        return False
    return True


def existing_page_types() -> list[PageType]:
    """The page types whose views exist in this checkout (the list grows as pages land)."""
    return [page for page in PAGE_TYPES if _exists(page)]
