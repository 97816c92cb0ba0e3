"""One regression test per leak of issue 9, each the attacker's own move with an uncleared account.

The non-interference crawl (test_non_interference.py) covers all of them at once; these name
each leak and fail with a message that says which one is back.
"""

import datetime

import pytest
from django.urls import reverse

from talks.forms.events import EventForm
from talks.models import ExportLog, Source, TalkEvent
from talks.rules.statuses import Status
from talks.services.events import correct_event
from talks.services.imports import run_import
from tests.factories import CandidacyFactory, UserFactory, add_event, details

pytestmark = pytest.mark.django_db

SECRET = "Secret talks in Belgrade"
HIDDEN_URL = "https://example.org/hidden-report"


@pytest.fixture
def serbia(cleared_analyst):
    """Serbia: officially Shortlisted, secretly Negotiating."""
    candidacy = CandidacyFactory(
        scheme__slug="uk-return-hubs-2025",
        country__name="Serbia",
        country__slug="serbia",
        country__code="SRB",
    )
    add_event(
        candidacy,
        cleared_analyst,
        occurred_on=datetime.date(2025, 6, 1),
        title="Serbia named on the list",
        new_status=Status.SHORTLISTED,
    )
    hidden = Source.objects.create(
        outlet="Hidden Outlet", title="Hidden report", url=HIDDEN_URL, reliability="C"
    )
    add_event(
        candidacy,
        cleared_analyst,
        occurred_on=datetime.date(2025, 9, 1),
        title=SECRET,
        new_status=Status.NEGOTIATING,
        classification="official_sensitive",
        source=hidden,
    )
    candidacy.refresh_from_db()
    return candidacy


def _preview(analyst, scheme, status: str):
    text = f"country,date,kind,title,new_status\nSerbia,2025-10-01,statement,T,{status}\n"
    report = run_import(scheme=scheme, text=text, by=analyst, commit=False)
    return report.rows[0].outcome, " ".join(report.rows[0].errors)


def test_import_preview_does_not_infer_a_hidden_status(analyst, serbia):
    """Leak 1: the preview answered like the full picture (Negotiating), not the OFFICIAL one."""
    assert _preview(analyst, serbia.scheme, "open") == ("new", "")
    assert _preview(analyst, serbia.scheme, "negotiating") == ("new", "")
    outcome, errors = _preview(analyst, serbia.scheme, "agreed")
    assert outcome == "error"
    assert errors.startswith("Shortlisted cannot move to Agreed")
    assert "cleared" not in errors


def test_import_commits_no_move_the_form_refuses(client, analyst, serbia):
    """Leak 1b: Shortlisted -> Agreed was imported although the form refuses it."""
    text = "country,date,kind,title,new_status\nSerbia,2025-10-01,statement,Deal,agreed\n"
    report = run_import(scheme=serbia.scheme, text=text, by=analyst, commit=True)
    assert not report.ok
    assert not TalkEvent.objects.filter(title="Deal").exists()
    client.force_login(analyst)
    url = reverse("event_new", args=[serbia.scheme.slug, "serbia"])
    data = {
        "day": "1", "month": "10", "year": "2025", "precision": "day", "kind": "statement",
        "title": "Deal", "source_mode": "none", "classification": "official",
        "new_status": "agreed", "version": str(serbia.official_version),
    }  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 400
    assert "Shortlisted cannot move to Agreed" in response.content.decode()


def test_history_does_not_name_the_sensitive_event_a_correction_replaced(
    client, analyst, cleared_analyst, serbia
):
    """Leak 2: "Supersedes event N: <sensitive title>" after a declassifying correction."""
    secret = TalkEvent.objects.get(title=SECRET)
    correct_event(
        event=secret,
        details=details(title="Serbia confirms talks", occurred_on=datetime.date(2025, 9, 1)),
        by=cleared_analyst,
        expected_version=serbia.version,
    )
    client.force_login(analyst)
    url = reverse("candidacy_history", args=[serbia.scheme.slug, "serbia"])
    body = client.get(url).content.decode()
    assert "Serbia confirms talks" in body
    assert SECRET not in body and "Supersedes" not in body and "Corrected" not in body
    page = client.get(reverse("country_detail", args=["serbia"])).content.decode()
    assert "corrects" not in page
    client.force_login(cleared_analyst)
    assert f"Supersedes event {secret.pk}: {SECRET}" in client.get(url).content.decode()


def test_import_does_not_attach_a_sensitive_only_source(client, analyst, viewer, serbia):
    """Leak 3: a row naming a hidden source's URL attached it; viewers then saw its outlet."""
    text = (
        "country,date,kind,title,source_outlet,source_url,source_reliability\n"
        f"Serbia,2025-10-02,media_report,Reuters report,Reuters,{HIDDEN_URL},B\n"
    )
    report = run_import(scheme=serbia.scheme, text=text, by=analyst, commit=True)
    assert report.ok
    event = TalkEvent.objects.get(title="Reuters report")
    assert event.source.outlet == "Reuters"
    client.force_login(viewer)
    page = client.get(reverse("country_detail", args=["serbia"])).content.decode()
    assert "Hidden Outlet" not in page and "Hidden report" not in page


@pytest.fixture
def uncleared_staff(db):
    from django.contrib.auth.models import Permission

    user = UserFactory(username="staff", is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="talks",
            codename__in=["view_talkevent", "view_source", "view_candidacy", "view_auditentry"],
        )
    )
    return user


def test_the_admin_honours_clearance(client, uncleared_staff, serbia):
    """Leak 4: the admin showed uncleared staff sensitive events, sources and the full status."""
    client.force_login(uncleared_staff)
    events = client.get("/admin/talks/talkevent/").content.decode()
    assert "Serbia named on the list" in events and SECRET not in events
    assert "Hidden Outlet" not in client.get("/admin/talks/source/").content.decode()
    candidacies = client.get("/admin/talks/candidacy/").content.decode()
    assert 'class="field-official_status">Shortlisted<' in candidacies
    assert 'class="field-status"' not in candidacies
    audit = client.get("/admin/talks/auditentry/").content.decode()
    assert ">Negotiating<" not in audit.split('id="result_list"')[1]
    secret = TalkEvent.objects.get(title=SECRET)
    response = client.get(f"/admin/talks/talkevent/{secret.pk}/change/")
    assert response.status_code == 302  # "does not exist", as for any unknown id


def test_the_export_log_hides_sensitive_exports(client, manager, cleared_manager, serbia):
    """Leak 5: the export log showed a cleared manager's search terms and counts."""
    client.force_login(cleared_manager)
    b"".join(
        client.get(reverse("export_events", args=["csv"]), {"q": "Belgrade"}).streaming_content
    )
    assert ExportLog.objects.filter(included_sensitive=True).exists()
    client.force_login(manager)
    page = client.get(reverse("export_log")).content.decode()
    assert "Belgrade" not in page and "cleared_manager" not in page


def test_a_conflict_never_shows_sensitive_versions(client, analyst, cleared_analyst, serbia):
    """Leak 6: "you saw version 81, it is now version 82" after a sensitive write."""
    client.force_login(analyst)
    url = reverse("event_new", args=[serbia.scheme.slug, "serbia"])
    form = client.get(url).content.decode()
    version = form.split('name="version" value="')[1].split('"')[0]
    assert version == str(serbia.official_version) != str(serbia.version)
    add_event(serbia, cleared_analyst, title="More secrets", classification="official_sensitive")
    data = {
        "day": "2", "month": "10", "year": "2025", "precision": "day", "kind": "statement",
        "title": "Public note", "source_mode": "none", "classification": "official",
        "new_status": "", "version": version,
    }  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:500]


def test_the_event_form_judges_a_back_dated_move_on_the_event_date(analyst):
    """Leak 7: EventForm(current_status="ended") refused a 2023 "agreed" event."""
    data = {
        "day": "1", "month": "3", "year": "2023", "precision": "day", "kind": "agreement",
        "title": "MoU signed", "source_mode": "none", "classification": "official",
        "new_status": "agreed",
    }  # fmt: skip
    on_date = {datetime.date(2023, 3, 1): "negotiating"}
    form = EventForm(
        data,
        user=analyst,
        current_status="ended",
        with_status=True,
        status_on=lambda day: on_date.get(day, "ended"),
    )
    assert form.is_valid(), form.errors
    refused = EventForm(
        {**data, "year": "2024"},
        user=analyst,
        current_status="ended",
        with_status=True,
        status_on=lambda day: on_date.get(day, "ended"),
    )
    assert not refused.is_valid() and "new_status" in refused.errors
