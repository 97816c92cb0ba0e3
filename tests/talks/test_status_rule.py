import datetime

import pytest

from talks.models import Classification
from talks.rules.statuses import Status, TransitionRefused
from talks.selectors.status import NO_STATUS, StatusAt, status_on, statuses_on
from talks.services.events import EventDetails, correct_event, retract_event
from tests.factories import CandidacyFactory, add_event, details

pytestmark = pytest.mark.django_db

MAY_16 = datetime.date(2025, 5, 16)
OCT_21 = datetime.date(2025, 10, 21)


@pytest.fixture
def kosovo(cleared_analyst):
    candidacy = CandidacyFactory(country__name="Kosovo", country__code="XKX")
    add_event(candidacy, cleared_analyst, occurred_on=MAY_16, new_status=Status.OPEN)
    add_event(candidacy, cleared_analyst, occurred_on=OCT_21, new_status=Status.EXPLORATORY)
    candidacy.refresh_from_db()
    return candidacy


def rule(candidacy, on, *, include_sensitive=True):
    return status_on(candidacy=candidacy, on=on, include_sensitive=include_sensitive)


def test_no_status_before_the_first_event(kosovo):
    assert rule(kosovo, MAY_16 - datetime.timedelta(days=1)).status == ""


def test_status_takes_effect_on_the_day_of_its_event(kosovo):
    assert rule(kosovo, MAY_16).status == Status.OPEN
    assert rule(kosovo, MAY_16).since == MAY_16


def test_status_holds_between_events_and_moves_on_the_next(kosovo):
    assert rule(kosovo, OCT_21 - datetime.timedelta(days=1)).status == Status.OPEN
    assert rule(kosovo, OCT_21).status == Status.EXPLORATORY
    assert rule(kosovo, datetime.date(2026, 1, 1)).status == Status.EXPLORATORY


def test_events_without_a_status_do_not_change_it(kosovo, cleared_analyst):
    add_event(kosovo, cleared_analyst, occurred_on=datetime.date(2025, 11, 1), title="Meeting")
    assert rule(kosovo, datetime.date(2025, 11, 2)).status == Status.EXPLORATORY
    assert rule(kosovo, datetime.date(2025, 11, 2)).since == OCT_21


def test_a_retracted_event_no_longer_sets_the_status(kosovo, cleared_analyst):
    latest = kosovo.events.get(occurred_on=OCT_21)
    retract_event(
        event=latest,
        reason="Misattributed quote",
        by=cleared_analyst,
        expected_version=kosovo.version,
    )
    kosovo.refresh_from_db()
    assert rule(kosovo, datetime.date(2026, 1, 1)).status == Status.OPEN
    assert kosovo.status == Status.OPEN
    assert kosovo.status_since == MAY_16


def test_a_correction_replaces_the_status_and_date_of_the_event_it_supersedes(
    kosovo, cleared_analyst
):
    latest = kosovo.events.get(occurred_on=OCT_21)
    correction = correct_event(
        event=latest,
        details=details(occurred_on=datetime.date(2025, 10, 22), new_status=Status.NEGOTIATING),
        by=cleared_analyst,
        expected_version=kosovo.version,
    )
    kosovo.refresh_from_db()
    latest.refresh_from_db()
    assert latest.superseded_by == correction
    assert rule(kosovo, OCT_21).status == Status.OPEN
    assert rule(kosovo, datetime.date(2025, 10, 22)).status == Status.NEGOTIATING
    assert kosovo.status == Status.NEGOTIATING
    assert kosovo.events.count() == 3  # both versions are kept


def test_a_backdated_event_changes_history_not_the_current_status(kosovo, cleared_analyst):
    add_event(
        kosovo,
        cleared_analyst,
        occurred_on=datetime.date(2025, 7, 1),
        new_status=Status.EXPLORATORY,
    )
    kosovo.refresh_from_db()
    assert rule(kosovo, datetime.date(2025, 7, 2)).status == Status.EXPLORATORY
    assert kosovo.status_since == OCT_21


def test_sensitive_status_is_hidden_from_the_official_view(kosovo, cleared_analyst):
    add_event(
        kosovo,
        cleared_analyst,
        occurred_on=datetime.date(2025, 11, 1),
        new_status=Status.NEGOTIATING,
        classification=Classification.OFFICIAL_SENSITIVE,
    )
    kosovo.refresh_from_db()
    later = datetime.date(2025, 12, 1)
    assert rule(kosovo, later).status == Status.NEGOTIATING
    assert rule(kosovo, later, include_sensitive=False).status == Status.EXPLORATORY
    assert kosovo.status == Status.NEGOTIATING
    assert kosovo.official_status == Status.EXPLORATORY


def test_month_precision_dates_count_from_the_first_of_the_month(cleared_analyst):
    candidacy = CandidacyFactory()
    add_event(
        candidacy,
        cleared_analyst,
        occurred_on=datetime.date(2025, 12, 20),
        precision="month",
        new_status=Status.SHORTLISTED,
    )
    assert rule(candidacy, datetime.date(2025, 12, 1)).status == Status.SHORTLISTED
    assert rule(candidacy, datetime.date(2025, 11, 30)).status == ""


def test_statuses_on_gives_every_candidacy_of_a_scheme_in_one_query(
    kosovo, cleared_analyst, django_assert_num_queries
):
    serbia = CandidacyFactory(scheme=kosovo.scheme, country__name="Serbia", country__code="SRB")
    add_event(serbia, cleared_analyst, occurred_on=MAY_16, new_status=Status.SHORTLISTED)
    with django_assert_num_queries(1):
        statuses = statuses_on(scheme=kosovo.scheme, on=OCT_21, include_sensitive=False)
    assert statuses[kosovo.pk].status == Status.EXPLORATORY
    assert statuses[serbia.pk].status == Status.SHORTLISTED


def test_cached_status_matches_the_rule_after_every_write(kosovo, cleared_analyst, today):
    event = add_event(kosovo, cleared_analyst, occurred_on=today, new_status=Status.NEGOTIATING)
    kosovo.refresh_from_db()
    assert (kosovo.status, kosovo.status_since) == (Status.NEGOTIATING, today)
    retract_event(event=event, reason="Wrong", by=cleared_analyst, expected_version=kosovo.version)
    kosovo.refresh_from_db()
    expected = rule(kosovo, today)
    assert (kosovo.status, kosovo.status_since) == (expected.status, expected.since)
    assert isinstance(details(), EventDetails)


def test_the_rule_names_the_event_that_set_the_status(kosovo):
    """The API's `status_event_id` and the dashboard's "since" precision come from this event."""
    exploratory = kosovo.events.get(occurred_on=OCT_21)
    assert rule(kosovo, datetime.date(2025, 12, 1)).event_id == exploratory.pk
    by_scheme = statuses_on(
        scheme=kosovo.scheme, on=datetime.date(2025, 12, 1), include_sensitive=True
    )
    assert by_scheme[kosovo.pk] == StatusAt(
        status=Status.EXPLORATORY, since=OCT_21, event_id=exploratory.pk
    )


def test_a_candidacy_with_no_status_event_yet_has_no_status_in_its_scheme(kosovo):
    newcomer = CandidacyFactory(scheme=kosovo.scheme, country__name="Albania")
    by_scheme = statuses_on(scheme=kosovo.scheme, on=OCT_21, include_sensitive=True)
    assert by_scheme[newcomer.pk] == NO_STATUS
    assert by_scheme[newcomer.pk].status == ""


def test_a_scheme_lists_only_its_own_candidacies(kosovo, cleared_analyst):
    elsewhere = CandidacyFactory(country__name="Montenegro")
    add_event(elsewhere, cleared_analyst, occurred_on=MAY_16, new_status=Status.OPEN)
    assert set(statuses_on(scheme=kosovo.scheme, on=OCT_21, include_sensitive=True)) == {kosovo.pk}


def test_a_correction_is_judged_against_the_status_before_the_event_it_replaces(
    kosovo, cleared_analyst
):
    """Open (16 May), then Exploratory (21 October) by mistake. Corrected to Shortlisted, the
    move is Open -> Shortlisted (allowed), not Exploratory -> Shortlisted (refused)."""
    mistake = kosovo.events.get(occurred_on=OCT_21)
    correct_event(
        event=mistake,
        details=details(occurred_on=OCT_21, new_status=Status.SHORTLISTED),
        by=cleared_analyst,
        expected_version=kosovo.version,
    )
    kosovo.refresh_from_db()
    assert kosovo.status == Status.SHORTLISTED


def test_a_correction_may_not_make_a_move_the_status_before_it_refuses(kosovo, cleared_analyst):
    """Open -> Agreed is refused even though the event being replaced said Exploratory, from
    which Agreed would be allowed."""
    mistake = kosovo.events.get(occurred_on=OCT_21)
    with pytest.raises(TransitionRefused, match="Open to talks cannot move to Agreed"):
        correct_event(
            event=mistake,
            details=details(occurred_on=OCT_21, new_status=Status.AGREED),
            by=cleared_analyst,
            expected_version=kosovo.version,
        )
    mistake.refresh_from_db()
    assert mistake.superseded_by is None
