import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from countries.models import Country, RouteFigure
from talks.models import AuditEntry, Candidacy, Scheme, Source, TalkEvent
from talks.statuses import Status

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
        "XKX": Status.EXPLORATORY,
        "SRB": Status.SHORTLISTED,
        "MKD": Status.REJECTED,
        "BIH": Status.REJECTED,
        "ALB": Status.REJECTED,
        "MNE": Status.OPEN,
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
    assert all("detections" in f.caveat for f in figures.values())


def test_demo_users_belong_to_their_groups():
    call_command("load_demo_data")
    assert Group.objects.get(name="Viewers").user_set.filter(username="viewer").exists()
    assert Group.objects.get(name="Analysts").user_set.filter(username="analyst").exists()
    assert Group.objects.get(name="Managers").user_set.filter(username="manager").exists()
