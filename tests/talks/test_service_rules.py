"""Each rule the write services enforce, one test per rule, named for the rule it states.

Every test here fails when the rule it names is broken in talks/services or the status rule.
"""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError

from talks.models import AuditAction, AuditEntry, Classification, DatePrecision, TalkEvent
from talks.rules.statuses import Status, TransitionRefused
from talks.selectors.status import status_on, statuses_on
from talks.services.events import (
    StaleVersion,
    add_source,
    correct_event,
    record_event,
    retract_event,
)
from tests.factories import CandidacyFactory, UserFactory, add_event, details

pytestmark = pytest.mark.django_db
MAY_16 = datetime.date(2025, 5, 16)


@pytest.fixture
def candidacy(analyst):
    candidacy = CandidacyFactory()
    add_event(candidacy, analyst, new_status=Status.SHORTLISTED, occurred_on=MAY_16)
    candidacy.refresh_from_db()
    return candidacy


def record(candidacy, by, version, **overrides):
    return record_event(
        scheme=candidacy.scheme,
        candidacy=candidacy,
        details=details(**overrides),
        by=by,
        expected_version=version,
    )


def current_version(candidacy) -> int:
    candidacy.refresh_from_db()
    return candidacy.version


def writes() -> tuple[int, int]:
    return TalkEvent.objects.count(), AuditEntry.objects.count()


# Versions -------------------------------------------------------------------------------


def test_a_write_without_an_expected_version_is_refused(candidacy, analyst):
    before = writes()
    with pytest.raises(StaleVersion):
        record(candidacy, analyst, None, title="No version")
    assert writes() == before


def test_a_higher_expected_version_than_the_current_one_is_refused(candidacy, analyst):
    before = writes()
    with pytest.raises(StaleVersion):
        record(candidacy, analyst, current_version(candidacy) + 1, title="From the future")
    assert writes() == before


def test_a_stale_refusal_says_which_version_the_user_saw_and_which_is_current(candidacy, analyst):
    """The conflict page lists what changed between the two, on the candidacy refused."""
    seen = current_version(candidacy)
    record(candidacy, analyst, seen, title="Someone else's write")
    with pytest.raises(StaleVersion) as refused:
        record(candidacy, analyst, seen, title="Mine")
    assert refused.value.candidacy == candidacy
    assert (refused.value.expected_version, refused.value.seen_version) == (seen, seen + 1)
    assert f"you saw version {seen}, it is now version {seen + 1}" in str(refused.value)


def test_a_correction_with_a_stale_version_is_refused(candidacy, analyst):
    event = add_event(candidacy, analyst, title="Original")
    stale = current_version(candidacy) - 1
    with pytest.raises(StaleVersion):
        correct_event(
            event=event, details=details(title="Fixed"), by=analyst, expected_version=stale
        )
    event.refresh_from_db()
    assert event.superseded_by is None


def test_each_write_moves_the_version_on_by_exactly_one(candidacy, analyst):
    version = current_version(candidacy)
    event = record(candidacy, analyst, version, title="One")
    assert current_version(candidacy) == version + 1
    correct_event(
        event=event, details=details(title="Two"), by=analyst, expected_version=version + 1
    )
    assert current_version(candidacy) == version + 2


# Corrections and retractions ------------------------------------------------------------


def test_a_retracted_event_cannot_be_corrected(candidacy, analyst):
    event = add_event(candidacy, analyst, title="Wrong")
    retract_event(
        event=event, reason="Duplicate", by=analyst, expected_version=current_version(candidacy)
    )
    with pytest.raises(ValidationError, match="already been corrected or retracted"):
        correct_event(
            event=event,
            details=details(title="Fix"),
            by=analyst,
            expected_version=current_version(candidacy),
        )


def test_a_retracted_event_cannot_be_retracted_again(candidacy, analyst):
    event = add_event(candidacy, analyst, title="Wrong")
    retract_event(
        event=event, reason="Duplicate", by=analyst, expected_version=current_version(candidacy)
    )
    before = writes()
    with pytest.raises(ValidationError, match="already been corrected or retracted"):
        retract_event(
            event=event, reason="Again", by=analyst, expected_version=current_version(candidacy)
        )
    assert writes() == before
    event.refresh_from_db()
    assert event.retraction_reason == "Duplicate"


def test_a_superseded_event_cannot_be_corrected_again(candidacy, analyst):
    event = add_event(candidacy, analyst, title="Wrong")
    correct_event(
        event=event, details=details(title="Right"), by=analyst,
        expected_version=current_version(candidacy),
    )  # fmt: skip
    with pytest.raises(ValidationError, match="already been corrected or retracted"):
        correct_event(
            event=event, details=details(title="Right again"), by=analyst,
            expected_version=current_version(candidacy),
        )  # fmt: skip


def test_an_uncleared_analyst_cannot_correct_an_event_into_official_sensitive(candidacy, analyst):
    event = add_event(candidacy, analyst, title="Official")
    before = writes()
    with pytest.raises(PermissionDenied, match="clearance"):
        correct_event(
            event=event,
            details=details(
                title="Now sensitive", classification=Classification.OFFICIAL_SENSITIVE
            ),
            by=analyst,
            expected_version=current_version(candidacy),
        )
    assert writes() == before
    event.refresh_from_db()
    assert event.superseded_by is None


def test_a_correction_is_validated_like_a_new_event(candidacy, analyst, today):
    event = add_event(candidacy, analyst, title="Original")
    with pytest.raises(ValidationError, match="Enter a title"):
        correct_event(
            event=event, details=details(title="   "), by=analyst,
            expected_version=current_version(candidacy),
        )  # fmt: skip
    tomorrow = today + datetime.timedelta(days=2)
    with pytest.raises(ValidationError, match="future"):
        correct_event(
            event=event, details=details(occurred_on=tomorrow, new_status=Status.OPEN),
            by=analyst, expected_version=current_version(candidacy),
        )  # fmt: skip
    event.refresh_from_db()
    assert event.superseded_by is None


def test_a_retraction_is_audited_as_a_retraction_with_its_reason(candidacy, analyst):
    event = add_event(candidacy, analyst, title="Wrong")
    retract_event(event=event, reason="Duplicate report", by=analyst,
                  expected_version=current_version(candidacy))  # fmt: skip
    entry = AuditEntry.objects.filter(event=event).latest("pk")
    assert entry.action == AuditAction.RETRACTED
    assert entry.changed_by == analyst
    assert "Duplicate report" in entry.detail


def test_a_correction_is_audited_as_a_correction_naming_the_superseded_event(candidacy, analyst):
    event = add_event(candidacy, analyst, title="Wrong")
    correction = correct_event(
        event=event, details=details(title="Right"), by=analyst,
        expected_version=current_version(candidacy),
    )  # fmt: skip
    entry = AuditEntry.objects.get(event=correction)
    assert entry.action == AuditAction.CORRECTED
    assert f"event {event.pk}" in entry.detail


# What an event may say ------------------------------------------------------------------


@pytest.mark.parametrize("title", ["", "   ", "\t\n"])
def test_a_blank_title_is_refused(candidacy, analyst, title):
    before = writes()
    with pytest.raises(ValidationError, match="Enter a title"):
        record(candidacy, analyst, current_version(candidacy), title=title)
    assert writes() == before


@pytest.mark.parametrize("year", [1899, 2101])
def test_a_date_outside_1900_to_2100_is_refused_on_the_year_field(candidacy, analyst, year):
    before = writes()
    with pytest.raises(ValidationError) as refused:
        record(
            candidacy, analyst, current_version(candidacy), occurred_on=datetime.date(year, 1, 1)
        )
    assert refused.value.message_dict == {
        "year": ["The year must be between 1900 and 2100, like 2025."]
    }
    assert writes() == before


def test_an_event_for_a_candidacy_of_another_scheme_is_refused(candidacy, analyst):
    other = CandidacyFactory()
    before = writes()
    with pytest.raises(ValidationError, match="not a candidate in this scheme"):
        record_event(
            scheme=other.scheme,
            candidacy=candidacy,
            details=details(title="Wrong scheme"),
            by=analyst,
            expected_version=current_version(candidacy),
        )
    assert writes() == before


def test_a_status_move_is_checked_at_the_start_of_its_period(candidacy, analyst):
    """A "May 2025" event counts from 1 May, before the Shortlisted event of 16 May."""
    version = current_version(candidacy)
    event = record(
        candidacy, analyst, version, occurred_on=datetime.date(2025, 5, 20),
        precision=DatePrecision.MONTH, new_status=Status.AGREED,
    )  # fmt: skip
    assert event.occurred_on == datetime.date(2025, 5, 1)
    with pytest.raises(TransitionRefused):  # the same move on a day after 16 May is refused
        record(candidacy, analyst, version + 1, occurred_on=datetime.date(2025, 5, 20),
               new_status=Status.AGREED)  # fmt: skip


# The audit trail ------------------------------------------------------------------------


def test_the_audit_row_records_both_pictures_before_and_after_the_write(candidacy, analyst):
    """Uncleared readers of the history see the OFFICIAL picture's statuses and version."""
    version = current_version(candidacy)
    event = record(candidacy, analyst, version, occurred_on=MAY_16, new_status=Status.OPEN)
    candidacy.refresh_from_db()
    entry = AuditEntry.objects.get(event=event)
    assert (entry.status_before, entry.status_after) == (Status.SHORTLISTED, Status.OPEN)
    assert (entry.official_status_before, entry.official_status_after) == (
        Status.SHORTLISTED,
        Status.OPEN,
    )
    assert (entry.version_after, entry.official_version_after) == (
        candidacy.version,
        candidacy.official_version,
    )


def test_an_uncleared_correction_the_full_picture_also_allows_carries_no_review_note(
    candidacy, analyst
):
    """Shortlisted (16 May), then Open (1 June) with a misspelt title. The correction keeps
    Open: judged, in either picture, against Shortlisted (the status before the event it
    replaces), not against the Open it replaces, so nothing asks cleared readers to review it."""
    june_1 = datetime.date(2025, 6, 1)
    misspelt = record(candidacy, analyst, current_version(candidacy), occurred_on=june_1,
                      new_status=Status.OPEN, title="Tlaks open")  # fmt: skip
    correction = correct_event(
        event=misspelt,
        details=details(occurred_on=june_1, new_status=Status.OPEN, title="Talks open"),
        by=analyst,
        expected_version=current_version(candidacy),
    )
    entry = AuditEntry.objects.get(event=correction)
    assert entry.judged_against == "official"
    assert entry.full_picture_note == ""


# Sources --------------------------------------------------------------------------------


def _user_with(*codenames):
    user = UserFactory()
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="talks", codename__in=codenames)
    )
    return user


@pytest.mark.parametrize("codenames", [("add_source",), ("record_event",)])
def test_adding_a_source_needs_both_permissions(codenames):
    with pytest.raises(PermissionDenied):
        add_source(outlet="LBC", reliability="B", by=_user_with(*codenames))


def test_adding_a_source_with_both_permissions_keeps_what_was_typed_trimmed():
    source = add_source(
        outlet=" LBC ",
        reliability="B",
        by=_user_with("add_source", "record_event"),
        title=" Interview ",
        url="https://example.org/interview",
        published_on=MAY_16,
        reliability_note=" Live on air ",
    )
    source.refresh_from_db()
    assert (source.outlet, source.title, source.reliability_note) == (
        "LBC",
        "Interview",
        "Live on air",
    )
    assert (source.url, source.published_on, source.reliability) == (
        "https://example.org/interview",
        MAY_16,
        "B",
    )


@pytest.mark.parametrize("outlet", ["", "   "])
def test_a_source_without_an_outlet_is_refused(outlet):
    with pytest.raises(ValidationError) as refused:
        add_source(outlet=outlet, reliability="B", by=_user_with("add_source", "record_event"))
    assert refused.value.message_dict == {
        "source_outlet": ["Enter the outlet that published the source."]
    }


# The status rule's same-day tie ---------------------------------------------------------


def test_on_a_same_day_tie_the_later_recorded_event_sets_the_status(candidacy, analyst):
    add_event(candidacy, analyst, occurred_on=MAY_16, new_status=Status.OPEN)
    on_the_day = status_on(candidacy=candidacy, on=MAY_16, include_sensitive=True)
    assert on_the_day.status == Status.OPEN
    by_scheme = statuses_on(scheme=candidacy.scheme, on=MAY_16, include_sensitive=True)
    assert by_scheme[candidacy.pk].status == Status.OPEN
    candidacy.refresh_from_db()
    assert candidacy.status == Status.OPEN
