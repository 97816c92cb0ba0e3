import csv
import datetime

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from countries.models import Country, RouteFigure
from talks.models import AuditEntry, Candidacy, DatePrecision, Scheme, Source, TalkEvent
from talks.rules.dates import period_start
from talks.rules.statuses import Status
from talks.selectors.status import status_on
from talks.services.bulk import generate_bulk_events
from talks.services.demo import demo_files, load_demo_data

pytestmark = pytest.mark.django_db


def snapshot():
    return {
        model.__name__: sorted(model.objects.values_list("pk", flat=True))
        for model in (Country, Scheme, Candidacy, TalkEvent, Source, AuditEntry, RouteFigure)
    }


def test_load_demo_data_twice_gives_the_same_rows(capsys):
    call_command("load_demo_data")
    first = snapshot()
    out = capsys.readouterr().out
    assert "analyst" in out and "viewer" in out and "manager" in out
    call_command("load_demo_data")
    assert snapshot() == first
    assert "0 new events" in capsys.readouterr().out


def test_demo_data_shows_the_uk_shortlist_as_reported():
    call_command("load_demo_data")
    uk = Scheme.objects.get(slug="uk-return-hubs-2025")
    assert uk.shortlist_size == 9
    named = set(
        uk.candidacies.filter(events__title="Named on the UK's shortlist (The Times)").values_list(
            "country__name", flat=True
        )
    )
    assert named == {"Kosovo", "Serbia", "North Macedonia", "Bosnia and Herzegovina"}
    statuses = dict(uk.candidacies.values_list("country__code", "status"))
    assert statuses == {
        "XKX": Status.NEGOTIATING,
        "SRB": Status.SHORTLISTED,
        "MKD": Status.REJECTED,
        "BIH": Status.REJECTED,
        "ALB": Status.REJECTED,
        "MNE": Status.REJECTED,
    }
    assert Country.objects.get(code="XKX").name == "Kosovo"


def test_every_demo_event_keeps_its_source_and_precision():
    call_command("load_demo_data")
    assert not TalkEvent.objects.filter(source__isnull=True).exists()
    assert TalkEvent.objects.filter(precision="month").exists()
    osmani = TalkEvent.objects.get(speaker__startswith="Vjosa Osmani")
    assert "open to discussing it" in osmani.quote
    assert osmani.source.reliability == "U"


def test_frontex_figures_carry_the_detections_caveat():
    call_command("load_demo_data")
    figures = {f.year: f for f in RouteFigure.objects.all()}
    assert figures[2023].count == 99_068
    assert figures[2024].is_approximate
    assert figures[2025].count == 12_525 and not figures[2025].is_approximate
    assert all("detections" in f.caveat for f in figures.values())


def test_demo_users_belong_to_their_groups():
    call_command("load_demo_data")
    assert Group.objects.get(name="Viewers").user_set.filter(username="viewer").exists()
    assert Group.objects.get(name="Analysts").user_set.filter(username="analyst").exists()
    assert Group.objects.get(name="Managers").user_set.filter(username="manager").exists()


def test_demo_data_is_current_to_november_2026():
    call_command("load_demo_data")
    montenegro = Candidacy.objects.get(scheme__slug="uk-return-hubs-2025", country__code="MNE")
    assert (
        status_on(
            candidacy=montenegro, on=datetime.date(2025, 10, 26), include_sensitive=False
        ).status
        == Status.OPEN
    )
    assert (
        status_on(
            candidacy=montenegro, on=datetime.date(2025, 10, 27), include_sensitive=False
        ).status
        == Status.REJECTED
    )
    uganda = Candidacy.objects.get(scheme__slug="netherlands-uganda-return-hub")
    assert uganda.status == Status.SUSPENDED and uganda.status_since == datetime.date(2026, 1, 30)
    arbitration = TalkEvent.objects.get(title="Rwanda files a Notice of Arbitration")
    assert arbitration.occurred_on == datetime.date(2025, 11, 24)
    deal = TalkEvent.objects.get(title="Provisional agreement on the Return Regulation")
    assert deal.occurred_on == datetime.date(2026, 6, 1)
    latest = TalkEvent.objects.filter(occurred_on__lte=datetime.date(2026, 12, 1)).first()
    assert latest.occurred_on.year == 2026


def _file_rows():
    for path in demo_files().values():
        with path.open(encoding="utf-8") as file:
            yield from csv.DictReader(file)


def test_every_demo_row_keeps_its_quote_source_and_grade_from_the_file():
    call_command("load_demo_data")
    rows = list(_file_rows())
    assert len(rows) == TalkEvent.objects.count()
    for row in rows:
        event = (
            TalkEvent.objects.select_related("source").get(
                scheme__slug=row["scheme"],
                title=row["title"],
                candidacy__country__name=row["country"],
            )
            if row["country"]
            else TalkEvent.objects.select_related("source").get(
                scheme__slug=row["scheme"], title=row["title"], candidacy=None
            )
        )
        assert (event.quote, event.speaker) == (row["quote"], row["speaker"])
        assert event.source.outlet == row["source_outlet"]
        assert event.source.url == row["source_url"]
        assert event.source.reliability == row["source_reliability"]
        assert event.source.reliability_note == row["source_reliability_note"]
        assert event.precision == row["precision"]
    unverified = TalkEvent.objects.get(title="Coalition agreement puts the Uganda hub on hold")
    assert unverified.source.reliability == "U"


def test_map_says_when_the_latest_event_was_instead_of_looking_abandoned(client, viewer):
    call_command("load_demo_data")
    client.force_login(viewer)
    html = client.get("/", {"scheme": "uk-return-hubs-2025"}).content.decode()
    assert "Nothing is dated after" not in html
    assert "No scheduled dates after" in html
    assert "The latest recorded event is from February 2026." in html


def test_generated_bench_events_are_dated_as_their_precision_stores_them(cleared_analyst):
    load_demo_data(recorded_by=cleared_analyst)
    generate_bulk_events(events=400)
    generated = TalkEvent.objects.filter(summary__contains="(bench data)")
    assert generated.count() == 400
    assert generated.filter(precision=DatePrecision.MONTH).exists()
    for occurred_on, precision in generated.values_list("occurred_on", "precision"):
        assert occurred_on == period_start(occurred_on, precision)
