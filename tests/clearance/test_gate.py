"""The gate itself: every page decided in the permission table, a 403 that names the group to
ask, no caching of signed-in answers, and no module but talks/access.py deciding on clearance."""

import ast
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from talks import access
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TALKS = Path(settings.BASE_DIR) / "talks"


def _views(patterns):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            yield from _views(pattern.url_patterns)
        elif isinstance(pattern, URLPattern):
            yield pattern.name, pattern.callback


def test_every_page_is_decided_in_the_permission_table():
    undecided = [
        name
        for name, view in _views(get_resolver().url_patterns)
        if access.action_for_view(name, view) is None
    ]
    assert not undecided, f"pages with no entry in talks.access.VIEW_ACTIONS: {undecided}"


def test_every_action_in_the_table_exists():
    assert set(access.VIEW_ACTIONS.values()) <= set(access.ACTIONS)


@pytest.mark.parametrize("name", ["dashboard", "country_list", "scheme_list", "event_log"])
def test_a_user_in_no_group_is_refused_with_the_group_to_ask_for(client, name):
    client.force_login(UserFactory(username="nobody"))
    response = client.get(reverse(name))
    assert response.status_code == 403
    body = response.content.decode()
    assert "talks.view_talkevent" in body
    assert "Viewers group" in body


def test_a_viewer_still_reads_every_page(client, viewer):
    client.force_login(viewer)
    for name in ["dashboard", "country_list", "scheme_list", "event_log"]:
        assert client.get(reverse(name)).status_code == 200, name


def test_a_page_left_out_of_the_table_is_refused(client, viewer, monkeypatch):
    monkeypatch.delitem(access.VIEW_ACTIONS, "scheme_list")
    client.force_login(viewer)
    response = client.get(reverse("scheme_list"))
    assert response.status_code == 403
    assert "permission table" in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/events/",
        "/countries/",
        "/briefings/log/",
        "/exports/events.csv",
        "/exports/events.xlsx",
        "/events/import-template.csv",
        "/no-such-page/",
    ],
)
def test_no_signed_in_answer_may_be_stored(client, cleared_manager, url):
    client.force_login(cleared_manager)
    response = client.get(url)
    cache_control = response["Cache-Control"]
    assert "no-store" in cache_control and "private" in cache_control, (url, cache_control)


def test_documents_may_not_be_stored(client, cleared_manager):
    from django.core.management import call_command

    call_command("load_demo_data", stdout=__import__("io").StringIO())
    client.force_login(cleared_manager)
    response = client.get(reverse("briefings"))
    assert "no-store" in response["Cache-Control"]
    scheme = __import__("talks.models", fromlist=["Scheme"]).Scheme.objects.first()
    query = {
        "schemes": scheme.pk,
        "as_of_day": "1", "as_of_month": "12", "as_of_year": "2025",
        "changes_since_day": "1", "changes_since_month": "6", "changes_since_year": "2025",
    }  # fmt: skip
    for fmt in ("pdf", "docx"):
        response = client.get(reverse("briefing_download", args=[fmt]), query)
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"], fmt


# --- No module but the gate decides on clearance ----------------------------------------------


def _modules():
    for path in sorted(TALKS.rglob("*.py")):
        if "migrations" in path.parts or path.name == "access.py":
            continue
        yield path


QUERY_CALLS = {"filter", "exclude", "get", "Q", "annotate", "aggregate", "update"}


def _called(node: ast.Call) -> str:
    func = node.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def _clearance_decisions(path: Path) -> list[str]:
    """Where a module filters on classification or checks permissions itself."""
    tree = ast.parse(path.read_text(), filename=str(path))
    found = []
    for node in ast.walk(tree):
        where = f"{path.relative_to(path.parents[1]) if len(path.parents) > 1 else path.name}"
        if isinstance(node, ast.Call):
            name = _called(node)
            if name in QUERY_CALLS and any(
                "classification" in (k.arg or "") for k in node.keywords
            ):
                found.append(f"{where}:{node.lineno} {name}() on classification")
            if name in ("has_perm", "has_perms", "visible_to"):
                found.append(f"{where}:{node.lineno} calls {name}() (use talks.access)")
        if isinstance(node, ast.Compare):
            operands = [node.left, *node.comparators]
            for operand in operands:
                if (
                    isinstance(operand, ast.Attribute)
                    and isinstance(operand.value, ast.Name)
                    and operand.value.id == "Classification"
                ):
                    found.append(
                        f"{where}:{node.lineno} compares with Classification.{operand.attr}"
                    )
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if node.value.removeprefix("talks.") == "view_sensitive":
                found.append(f"{where}:{node.lineno} names {node.value!r}")
    return found


# Modules that may name a classification for what it is, not to decide who sees it: the model
# defines it, the demo and bulk data write it, forms offer its choices, documents print it.
ALLOWED = {
    "models.py": "defines the classifications and the permission",
    "demo.py": "demo data records events at their classification",
    "bulk.py": "benchmark data records events at their classification",
}


def test_no_module_but_the_gate_filters_on_classification():
    offenders = []
    for path in _modules():
        if path.name in ALLOWED:
            continue
        offenders += _clearance_decisions(path)
    assert not offenders, "clearance decided outside talks/access.py:\n" + "\n".join(offenders)


def test_the_classification_check_finds_a_filter(tmp_path):
    """The scan above can fail: a module that filters on classification is caught."""
    module = tmp_path / "leaky.py"
    module.write_text(
        "from talks.models import Classification, TalkEvent\n"
        "rows = TalkEvent.objects.filter(classification=Classification.OFFICIAL)\n"
        "ok = user.has_perm('talks.view_sensitive')\n"
        "hidden = event.classification == Classification.OFFICIAL_SENSITIVE\n"
    )
    assert len(_clearance_decisions(module)) == 4
