"""One column schema for the event export, the CSV import and the demo data files."""

import csv
import io

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from talks.models import AuditEntry, Scheme, Source, TalkEvent
from talks.rules import event_csv
from talks.services.demo import demo_files, load_demo_data
from talks.services.events import retract_event
from talks.services.imports import run_import
from tests.factories import add_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(cleared_analyst):
    """A cleared analyst who may also export (Analysts and Managers)."""
    cleared_analyst.groups.add(Group.objects.get(name="Managers"))
    return cleared_analyst


def snapshot():
    return {
        model.__name__: sorted(model.objects.values_list("pk", flat=True))
        for model in (TalkEvent, Source, AuditEntry)
    }


def export_csv(client, scheme: Scheme) -> str:
    response = client.get(reverse("export_events", args=["csv"]), {"scheme": scheme.slug})
    assert response.status_code == 200
    return b"".join(response.streaming_content).decode("utf-8-sig")


def test_an_exported_file_imports_again_unchanged_and_adds_nothing(client, editor):
    load_demo_data(recorded_by=editor)
    uk = Scheme.objects.get(slug="uk-return-hubs-2025")
    kosovo = uk.candidacies.get(country__code="XKX")
    add_event(kosovo, editor, title='=HYPERLINK("http://x")', summary="-1 in the poll")
    add_event(kosovo, editor, title="'=SUM(A1:A2) typed with its quote", summary="''+1")
    retracted = add_event(kosovo, editor, title="Wrongly recorded")
    kosovo.refresh_from_db()
    retract_event(event=retracted, reason="Duplicate", by=editor, expected_version=kosovo.version)
    client.force_login(editor)
    before = snapshot()
    for scheme in Scheme.objects.all():
        text = export_csv(client, scheme)
        assert text.splitlines()[0] == ",".join(event_csv.COLUMNS)
        report = run_import(scheme=scheme, text=text, by=editor, commit=True)
        assert report.ok, (scheme.slug, report.file_errors, report.error_rows[:3])
        assert report.new_count == 0
        assert report.present_count == TalkEvent.objects.filter(scheme=scheme).count()
    assert snapshot() == before


def test_the_demo_files_are_what_the_export_writes(client, editor):
    load_demo_data(recorded_by=editor)
    client.force_login(editor)
    content = [c for c in event_csv.COLUMNS if c not in event_csv.RECORD_COLUMNS]
    for slug, path in demo_files().items():
        exported = list(
            csv.DictReader(io.StringIO(export_csv(client, Scheme.objects.get(slug=slug))))
        )
        stored = list(csv.DictReader(path.open(encoding="utf-8")))
        key = lambda row: (row["date"], row["country"], row["title"])  # noqa: E731
        assert [[r[c] for c in content] for r in sorted(exported, key=key)] == [
            [r[c] for c in content] for r in sorted(stored, key=key)
        ], slug
        assert {r["state"] for r in exported} == {event_csv.CURRENT}


def test_a_retracted_row_is_not_imported_as_a_new_event(editor):
    load_demo_data(recorded_by=editor)
    uk = Scheme.objects.get(slug="uk-return-hubs-2025")
    text = (
        "scheme,country,date,kind,title,state\n"
        "uk-return-hubs-2025,Kosovo,2025-11-02,statement,Never happened,retracted\n"
    )
    report = run_import(scheme=uk, text=text, by=editor, commit=True)
    assert not report.ok
    assert "only current events are imported" in report.error_rows[0].errors[0]
    assert not TalkEvent.objects.filter(title="Never happened").exists()


def test_a_row_of_another_scheme_is_refused_with_the_reason(editor):
    load_demo_data(recorded_by=editor)
    uk = Scheme.objects.get(slug="uk-return-hubs-2025")
    text = "scheme,country,date,kind,title\nitaly-albania-protocol,Albania,2025-11-02,statement,X\n"
    report = run_import(scheme=uk, text=text, by=editor, commit=False)
    assert "belongs to the scheme “italy-albania-protocol”" in report.error_rows[0].errors[0]
