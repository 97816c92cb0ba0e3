"""Drill: property-based fuzzing of every page's path, query string and form. 0 server errors.

Generic on purpose, so it covers pages as they land without edits here:
- every URL pattern of the project (admin left out: Django's own) is requested with demo slugs
  and with fuzzed path segments;
- each page's GET parameters are the names of the fields of its GET forms (and any listed in
  tests/pages.py), fuzzed with good values taken from the page itself (select options, checkbox
  values) mixed with hostile ones (NUL bytes, huge numbers, bad dates, long text, markup);
- each POST form found on the pages is submitted with fuzzed fields, with and without HX-Request.
Every response must have a status below 500.

Repeatable in scripts/test: the inputs are derandomised (the same every run, on every machine) and
the inputs that once found a 500 are kept as @example. `scripts/fuzz` runs the same drill with
fresh random inputs and more of them (FUZZ_RANDOM=true, FUZZ_EXAMPLES=500): when it finds a
failure, fix it and add the input here as an @example.
"""

import os
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.factories import UserFactory
from tests.pages import existing_page_types

pytestmark = pytest.mark.django_db
RANDOM = os.environ.get("FUZZ_RANDOM", "").lower() in {"1", "true", "yes"}
FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "500" if RANDOM else "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,
    derandomize=not RANDOM,
    print_blob=RANDOM,
)
# Inputs that once gave a 500, kept as fixed examples. "{event}" and "{other_event}" in a path
# stand for scheme-wide events of the demo data (no version needed: the write really happens).
FOUND_QUERIES = [
    ("/briefings/preview/", {"schemes": "9223372036854775808"}),
    ("/briefings/preview/", {"schemes": "1", "as_of_day": "99999999999999999999"}),
    ("/exports/events.csv", {"q": "a\x00b"}),
    ("/exports/events.xlsx", {"country": "\x00"}),
    ("/events/new/", {"where": "\x00"}),
]
FOUND_POSTS = [
    ("/events/{event}/retract/", {"reason": "0", "next": "1041"}),
    (
        "/events/{other_event}/correct/",
        {
            "day": "1",
            "month": "6",
            "year": "2025",
            "precision": "day",
            "kind": "statement",
            "title": "x",
            "source_mode": "none",
            "classification": "official",
            "next": "abc",
        },
    ),
]
DEMO_SLUGS = {
    "country": ["serbia", "kosovo", "albania"],
    "scheme": ["uk-return-hubs-2025", "eu-return-hubs-working-group", "uk-rwanda-partnership"],
}
HOSTILE = st.sampled_from(
    [
        "",
        " ",
        "\x00",
        "a\x00b",
        "-1",
        "0",
        "99999999999999999999999",
        "1e309",
        "NaN",
        "2025-02-30",
        "0000-00-00",
        "9999-12-31",
        "31/12/2025",
        "2025-13",
        "Q5 2025",
        "<script>alert(1)</script>",
        "' OR 1=1 --",
        "%",
        "../../etc/passwd",
        "=cmd|'/c calc'!A1",
        "x" * 5000,
        "ü🙂Сербия",
        "true",
        "null",
        "[]",
    ]
)
FUZZ_TEXT = st.one_of(HOSTILE, st.text(max_size=40), st.integers().map(str))


@dataclass
class Form:
    method: str
    action: str
    fields: dict[str, list[str]] = field(default_factory=dict)  # name -> good values seen


class FormParser(HTMLParser):
    """Collects forms, their fields and the values the page offers for each."""

    def __init__(self, page_url: str) -> None:
        super().__init__()
        self.page_url = page_url
        self.forms: list[Form] = []
        self.current: Form | None = None
        self.select: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            action = attrs.get("action") or self.page_url
            self.current = Form(attrs.get("method", "get").lower(), action)
            self.forms.append(self.current)
            return
        form = self.current or Form("hx", "")
        name = attrs.get("name")
        if tag in {"input", "textarea"} and name:
            form.fields.setdefault(name, []).append(attrs.get("value") or "")
        elif tag == "select" and name:
            self.select = name
            form.fields.setdefault(name, [])
        elif tag == "option" and self.select:
            form.fields[self.select].append(attrs.get("value") or "")
        # htmx controls outside forms (data-hx-get with a name) count as GET parameters too.
        hx_get = attrs.get("data-hx-get") or attrs.get("hx-get")
        if hx_get and name:
            self.forms.append(Form("get", hx_get, {name: [attrs.get("value") or ""]}))

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None
        elif tag == "select":
            self.select = None


def routes() -> list[str]:
    """Every project URL pattern as a route string (admin left out: Django's own)."""
    found: list[str] = []

    def walk(patterns, prefix: str) -> None:
        for entry in patterns:
            route = prefix + str(entry.pattern).lstrip("^").rstrip("$")
            if route.startswith("admin/"):
                continue
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, route)
            elif isinstance(entry, URLPattern):
                found.extend(expand_alternatives(route))

    walk(get_resolver().url_patterns, "")
    return found


def expand_alternatives(route: str) -> list[str]:
    """re_path routes: `exports/events\\.(?P<fmt>csv|xlsx)` -> one route per choice."""
    choice = re.search(r"\(\?P<\w+>([\w|]+)\)", route)
    if not choice:
        return [route.replace("\\.", ".")]
    return [
        expanded
        for option in choice.group(1).split("|")
        for expanded in expand_alternatives(route.replace(choice.group(0), option, 1))
    ]


CONVERTER = re.compile(r"<(?:\w+:)?(\w+)>")


def demo_values(route: str, name: str) -> list[str]:
    from talks.models import TalkEvent

    if name == "pk":
        return [str(pk) for pk in TalkEvent.objects.order_by("pk").values_list("pk", flat=True)[:2]]
    if name == "country_slug" or (name == "slug" and "countr" in route):
        return DEMO_SLUGS["country"]
    if name in {"scheme_slug", "slug"}:
        return DEMO_SLUGS["scheme"]
    return ["1"]


def pattern_paths() -> list[str]:
    """Every route with demo values in its path parameters."""
    paths: list[str] = []
    for route in routes():
        variants = ["/" + route]
        for name in CONVERTER.findall(route):
            variants = [
                CONVERTER.sub(value, variant, count=1)
                for variant in variants
                for value in demo_values(route, name)[:2]
            ]
        paths.extend(variants)
    return sorted(set(paths))


def fuzz_paths() -> list[str]:
    """Each route with one path parameter left as {} for a hostile value, the others demo."""
    templates: list[str] = []
    for route in routes():
        names = CONVERTER.findall(route)
        for position in range(len(names)):
            template, index = "/" + route, 0
            for name in names:
                value = "{}" if index == position else demo_values(route, name)[0]
                template = CONVERTER.sub(value.replace("{}", "{}"), template, count=1)
                index += 1
            templates.append(template)
    return sorted(set(templates))


@pytest.fixture
def power_user(db):
    """Analyst and manager, cleared: sees every page and every form."""
    call_command("load_demo_data", verbosity=0)
    user = UserFactory(username="fuzzer")
    user.groups.set(Group.objects.filter(name__in=["Analysts", "Managers", "Viewers"]))
    user.user_permissions.add(Permission.objects.get(codename="view_sensitive"))
    return user


def discover_forms(client, paths: list[str]) -> list[Form]:
    forms: list[Form] = []
    for path in paths:
        response = client.get(path)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        parser = FormParser(path)
        parser.feed(response.content.decode())
        forms.extend(parser.forms)
    listed = [
        Form("get", page.url, {name: [] for name in page.query_params})
        for page in existing_page_types()
    ]
    return forms + listed + [Form("get", path, {}) for path in paths]


def values_for(form: Form):
    """A strategy of {field: value} for one form: good values and hostile ones, some left out."""
    return st.fixed_dictionaries(
        {},
        optional={
            name: st.one_of(st.sampled_from(good), FUZZ_TEXT) if good else FUZZ_TEXT
            for name, good in form.fields.items()
            if name != "csrfmiddlewaretoken"
        },
    )


def examples(found: list[tuple[str, dict]]):
    """Each input in `found` as a fixed example, without and then with htmx (the last example
    added runs first: the plain request, which follows `next`, comes before the htmx one)."""

    def decorate(test):
        for case in reversed(found):
            for htmx in (True, False):
                test = example(case=case, htmx=htmx)(test)
        return test

    return decorate


def assert_no_server_error(response, what: str) -> None:
    assert response.status_code < 500, f"{what} -> HTTP {response.status_code}"


def test_fuzzed_query_strings_never_cause_a_server_error(client, power_user):
    client.force_login(power_user)
    paths = pattern_paths()
    forms = [f for f in discover_forms(client, paths) if f.method in {"get", "hx"}]
    targets = [(urlsplit(f.action).path or "/", f) for f in forms]
    assert targets, "no pages found to fuzz"

    cases = st.sampled_from(targets).flatmap(
        lambda target: st.tuples(st.just(target[0]), values_for(target[1]))
    )

    @FUZZ
    @given(case=cases, htmx=st.booleans())
    @examples(FOUND_QUERIES)
    def check(case, htmx):
        path, params = case
        headers = {"HX-Request": "true"} if htmx else {}
        response = client.get(path, params, headers=headers)
        assert_no_server_error(response, f"GET {path} {params!r} htmx={htmx}")

    check()


def test_fuzzed_path_segments_never_cause_a_server_error(client, power_user):
    client.force_login(power_user)
    templates = fuzz_paths()
    if not templates:
        pytest.skip("no routes with path parameters yet")

    @FUZZ
    @given(template=st.sampled_from(templates), segment=FUZZ_TEXT)
    def check(template, segment):
        from urllib.parse import quote

        path = template.format(quote(segment, safe="") or "x")
        assert_no_server_error(client.get(path), f"GET {path}")

    check()


def test_fuzzed_form_posts_never_cause_a_server_error(client, power_user):
    client.force_login(power_user)
    forms = [f for f in discover_forms(client, pattern_paths()) if f.method == "post"]
    forms = [f for f in forms if not urlsplit(f.action).path.startswith("/logout")]
    if not forms:
        pytest.skip("no POST forms on the pages yet")

    from talks.models import TalkEvent

    scheme_wide = TalkEvent.objects.filter(candidacy__isnull=True).effective().order_by("pk")
    events = {"{event}": scheme_wide[0].pk, "{other_event}": scheme_wide[1].pk}
    cases = st.sampled_from(forms).flatmap(
        lambda form: st.tuples(st.just(urlsplit(form.action).path), values_for(form))
    )

    @FUZZ
    @given(case=cases, htmx=st.booleans())
    @examples(FOUND_POSTS)
    def check(case, htmx):
        path, body = case
        for placeholder, pk in events.items():
            path = path.replace(placeholder, str(pk))
        headers = {"HX-Request": "true"} if htmx else {}
        response = client.post(path, body, headers=headers)
        assert_no_server_error(response, f"POST {path} {body!r} htmx={htmx}")

    check()


def test_the_login_form_survives_fuzzing(client, db):
    @FUZZ
    @given(username=FUZZ_TEXT, password=FUZZ_TEXT, next_url=FUZZ_TEXT)
    def check(username, password, next_url):
        response = client.post(
            "/login/", {"login": username, "password": password, "next": next_url}
        )
        assert_no_server_error(response, f"POST /login/ {username!r} {next_url!r}")

    check()
