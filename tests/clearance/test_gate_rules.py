"""The gate's rules one by one (talks/access.py), each stated on a small world.

tests/clearance/test_non_interference.py proves the gate's property over HTTP; these tests say
which rule of the gate each answer comes from, so a broken rule fails a test named for it.

The world: Serbia's candidacy, Open on 16 May 2025 (OFFICIAL), then Exploratory talks on
21 October 2025 (OFFICIAL-SENSITIVE). A cleared reader sees Exploratory talks since 21 October;
everyone else sees Open since 16 May.
"""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.views.generic import RedirectView

from talks import access
from talks.models import AuditAction, AuditEntry, Classification, ExportLog, Source, TalkEvent
from talks.rules.statuses import Status
from talks.selectors.status import seen_status_on, status_in
from talks.services.events import correct_event, record_event, retract_event
from tests.factories import CandidacyFactory, SourceFactory, UserFactory, add_event, details

pytestmark = pytest.mark.django_db

MAY_16 = datetime.date(2025, 5, 16)
OCT_21 = datetime.date(2025, 10, 21)
NOV_1 = datetime.date(2025, 11, 1)
SENSITIVE = Classification.OFFICIAL_SENSITIVE


@pytest.fixture
def serbia(cleared_analyst):
    candidacy = CandidacyFactory(country__name="Serbia", country__code="SRB")
    add_event(candidacy, cleared_analyst, occurred_on=MAY_16, new_status=Status.OPEN)
    add_event(
        candidacy,
        cleared_analyst,
        occurred_on=OCT_21,
        new_status=Status.EXPLORATORY,
        classification=SENSITIVE,
        title="Talks in confidence",
    )
    candidacy.refresh_from_db()
    return candidacy


def official_event(candidacy) -> TalkEvent:
    return candidacy.events.get(classification=Classification.OFFICIAL)


def sensitive_event(candidacy) -> TalkEvent:
    return candidacy.events.get(classification=SENSITIVE)


# Who sees which picture ------------------------------------------------------------------------


def test_only_users_with_clearance_see_the_full_picture(viewer, analyst, cleared_analyst):
    assert access.picture(cleared_analyst) == access.FULL
    for user in (viewer, analyst, AnonymousUser(), None):
        assert access.picture(user) == access.OFFICIAL
        assert not access.sees_sensitive(user)


def test_the_official_picture_holds_official_events_only(serbia, analyst, cleared_analyst):
    official, sensitive = official_event(serbia), sensitive_event(serbia)
    assert set(access.events_in(access.OFFICIAL)) == {official}
    assert set(access.events_in(access.FULL)) == {official, sensitive}
    assert set(access.visible_events(analyst)) == {official}
    assert set(access.visible_events(cleared_analyst)) == {official, sensitive}
    assert set(TalkEvent.objects.filter(access.official_only_q())) == {official}
    rows = AuditEntry.objects.filter(access.official_only_q("event__"))
    assert {row.event for row in rows} == {official}


def test_a_picture_of_some_events_keeps_to_those_events(serbia):
    only_the_sensitive = TalkEvent.objects.filter(classification=SENSITIVE)
    assert set(access.events_in(access.FULL, only_the_sensitive)) == {sensitive_event(serbia)}
    assert not access.events_in(access.OFFICIAL, only_the_sensitive).exists()
    only_the_official = TalkEvent.objects.filter(classification=Classification.OFFICIAL)
    assert not access.sensitive_events(only_the_official).exists()
    assert set(access.sensitive_events()) == {sensitive_event(serbia)}


def test_an_event_is_visible_to_a_user_only_in_their_picture(serbia, analyst, cleared_analyst):
    official, sensitive = official_event(serbia), sensitive_event(serbia)
    assert access.is_visible(analyst, official) and access.is_visible(cleared_analyst, official)
    assert access.is_visible(cleared_analyst, sensitive)
    assert not access.is_visible(analyst, sensitive)
    assert not access.is_visible(cleared_analyst, None)
    assert not access.is_visible_event(None)


def test_the_event_a_correction_replaced_is_named_only_to_those_who_may_see_it(
    serbia, analyst, cleared_analyst
):
    sensitive = sensitive_event(serbia)
    correction = correct_event(
        event=sensitive,
        details=details(occurred_on=OCT_21, new_status=Status.EXPLORATORY, title="Now public"),
        by=cleared_analyst,
        expected_version=serbia.version,
    )
    sensitive.refresh_from_db()
    assert access.visible_related(cleared_analyst, correction, "supersedes") == sensitive
    assert access.visible_related(analyst, correction, "supersedes") is None
    assert access.visible_related(cleared_analyst, sensitive, "superseded_by") == correction
    assert access.visible_related(analyst, sensitive, "superseded_by") == correction
    assert access.visible_related(analyst, correction, "superseded_by") is None


# Sources, audit rows and export logs -----------------------------------------------------------


@pytest.fixture
def sources(serbia, cleared_analyst):
    uncited, official, secret, both = (SourceFactory() for _ in range(4))
    for source, classification in [
        (official, Classification.OFFICIAL),
        (secret, SENSITIVE),
        (both, SENSITIVE),
        (both, Classification.OFFICIAL),
    ]:
        add_event(serbia, cleared_analyst, source=source, classification=classification)
    return {"uncited": uncited, "official": official, "secret": secret, "both": both}


def test_a_source_cited_only_by_sensitive_events_is_hidden_from_the_uncleared(
    sources, analyst, cleared_analyst
):
    visible = {"uncited", "official", "both"}
    assert set(access.visible_sources(analyst)) == {sources[name] for name in visible}
    assert set(access.visible_sources(cleared_analyst)) == set(sources.values())
    assert access.cited_hidden_source(analyst, sources["secret"])
    assert not access.cited_hidden_source(cleared_analyst, sources["secret"])
    assert not any(access.cited_hidden_source(analyst, sources[name]) for name in visible)
    assert not access.cited_hidden_source(analyst, None)


def test_a_source_is_found_by_its_address_only_if_the_user_may_see_it(
    sources, analyst, cleared_analyst
):
    secret, official = sources["secret"], sources["official"]
    assert access.source_with_url(analyst, secret.url) is None
    assert access.source_with_url(cleared_analyst, secret.url) == secret
    assert access.source_with_url(analyst, official.url) == official
    assert access.source_with_url(analyst, "") is None


def test_of_two_sources_with_one_address_the_first_added_is_found(analyst):
    first = SourceFactory(url="https://example.org/same")
    SourceFactory(url="https://example.org/same")
    assert access.source_with_url(analyst, "https://example.org/same") == first


def test_audit_rows_about_sensitive_events_are_hidden_from_the_uncleared(
    serbia, analyst, cleared_analyst
):
    official, sensitive = official_event(serbia), sensitive_event(serbia)
    assert {row.event for row in access.visible_audit_entries(analyst)} == {official}
    seen = {row.event for row in access.visible_audit_entries(cleared_analyst)}
    assert seen == {official, sensitive}


def test_exports_that_held_sensitive_rows_are_hidden_from_the_uncleared_in_the_log(
    manager, cleared_manager
):
    plain = ExportLog.objects.create(user=manager, kind="events", format="csv")
    secret = ExportLog.objects.create(
        user=cleared_manager, kind="events", format="csv", included_sensitive=True
    )
    assert set(access.visible_exports(manager)) == {plain}
    assert set(access.visible_exports(cleared_manager)) == {plain, secret}


def test_the_gate_narrows_the_rows_it_is_given_and_never_widens_them(
    sources, manager, cleared_manager, analyst, cleared_analyst
):
    mine = ExportLog.objects.create(user=manager, kind="events", format="csv")
    ExportLog.objects.create(user=cleared_manager, kind="events", format="csv")
    for reader in (manager, cleared_manager):
        assert set(access.visible_exports(reader, ExportLog.objects.filter(user=manager))) == {mine}
    one_source = Source.objects.filter(pk=sources["official"].pk)
    official_rows = AuditEntry.objects.filter(event__classification=Classification.OFFICIAL)
    for reader in (analyst, cleared_analyst):
        assert set(access.visible_sources(reader, one_source)) == {sources["official"]}
        assert set(access.visible_audit_entries(reader, official_rows)) == set(official_rows)


# A candidacy as each user sees it --------------------------------------------------------------


def test_each_user_sees_the_status_since_and_version_of_their_picture(
    serbia, analyst, cleared_analyst
):
    assert access.seen_status(cleared_analyst, serbia) == Status.EXPLORATORY
    assert access.seen_status(analyst, serbia) == Status.OPEN
    assert access.seen_since(cleared_analyst, serbia) == OCT_21
    assert access.seen_since(analyst, serbia) == MAY_16
    assert serbia.version != serbia.official_version
    assert access.seen_version(cleared_analyst, serbia) == serbia.version
    assert access.seen_version(analyst, serbia) == serbia.official_version


def test_each_user_sees_the_status_on_a_past_date_in_their_picture(
    serbia, analyst, cleared_analyst
):
    assert seen_status_on(cleared_analyst, serbia, NOV_1) == Status.EXPLORATORY
    assert seen_status_on(analyst, serbia, NOV_1) == Status.OPEN
    assert seen_status_on(cleared_analyst, serbia, OCT_21 - datetime.timedelta(1)) == "open"
    assert status_in(access.FULL, serbia, NOV_1).status == Status.EXPLORATORY
    assert status_in(access.OFFICIAL, serbia, NOV_1).status == Status.OPEN


def test_a_scheme_wide_event_has_no_status_or_version_for_anyone(cleared_analyst):
    assert access.seen_status(cleared_analyst, None) == ""
    assert seen_status_on(cleared_analyst, None, NOV_1) == ""
    assert access.seen_version(cleared_analyst, None) is None


# Audit rows as each reader sees them -----------------------------------------------------------


def test_a_cleared_reader_sees_an_audit_row_as_written(serbia, cleared_analyst):
    row = AuditEntry.objects.get(event=sensitive_event(serbia))
    row.full_picture_note = "A note for cleared readers"
    seen = access.seen_audit(cleared_analyst, row)
    assert seen == access.SeenAudit(
        action="Recorded",
        status_before=Status.OPEN,
        status_after=Status.EXPLORATORY,
        version_after=row.version_after,
        detail=row.detail,
        full_picture_note="A note for cleared readers",
    )


def test_an_uncleared_reader_sees_an_audit_row_in_the_official_picture(serbia, analyst):
    row = AuditEntry.objects.get(event=official_event(serbia))
    row.full_picture_note = "A note for cleared readers"
    row.status_after = Status.NEGOTIATING  # what the full picture said, never shown
    seen = access.seen_audit(analyst, row)
    assert seen == access.SeenAudit(
        action="Recorded",
        status_before=row.official_status_before,
        status_after=Status.OPEN,
        version_after=row.official_version_after,
        detail=row.detail,
        full_picture_note="",
    )


def test_an_uncleared_reader_of_the_history_sees_each_move_and_its_undoing(serbia, analyst):
    """Negotiating recorded on 1 November, then retracted: the history says Open -> Negotiating,
    then Negotiating -> Open (the status the retraction went back to, in the OFFICIAL picture)."""
    event = record_event(
        scheme=serbia.scheme,
        candidacy=serbia,
        details=details(occurred_on=NOV_1, new_status=Status.NEGOTIATING),
        by=analyst,
        expected_version=access.seen_version(analyst, serbia),
    )
    serbia.refresh_from_db()
    retract_event(
        event=event,
        reason="Misreported",
        by=analyst,
        expected_version=access.seen_version(analyst, serbia),
    )
    rows = AuditEntry.objects.filter(event=event).order_by("pk")
    seen = [access.seen_audit(analyst, row) for row in rows]
    assert [(s.action, s.status_before, s.status_after) for s in seen] == [
        ("Recorded", Status.OPEN, Status.NEGOTIATING),
        ("Retracted", Status.NEGOTIATING, Status.OPEN),
    ]


def test_a_sensitive_event_corrected_into_an_official_one_reads_as_new_to_the_uncleared(
    serbia, analyst, cleared_analyst
):
    correction = correct_event(
        event=sensitive_event(serbia),
        details=details(occurred_on=OCT_21, new_status=Status.EXPLORATORY, title="Now public"),
        by=cleared_analyst,
        expected_version=serbia.version,
    )
    row = AuditEntry.objects.get(event=correction)
    uncleared = access.seen_audit(analyst, row)
    assert (uncleared.action, uncleared.detail) == ("Recorded", "")
    cleared = access.seen_audit(cleared_analyst, row)
    assert cleared.action == "Corrected" and "Talks in confidence" in cleared.detail


def test_an_official_correction_reads_as_a_correction_to_everyone(serbia, analyst):
    correction = correct_event(
        event=official_event(serbia),
        details=details(occurred_on=MAY_16, new_status=Status.OPEN, title="Open, corrected"),
        by=analyst,
        expected_version=serbia.official_version,
    )
    seen = access.seen_audit(analyst, AuditEntry.objects.get(event=correction))
    assert seen.action == AuditAction.CORRECTED.label
    assert "Supersedes event" in seen.detail


def test_an_audit_row_from_before_official_versions_shows_the_status_its_event_set(serbia, analyst):
    """Rows written before the OFFICIAL picture was recorded separately have no official
    version: the uncleared reader sees the status the (OFFICIAL) event itself set."""
    row = AuditEntry.objects.get(event=official_event(serbia))
    row.official_version_after = None
    row.official_status_before, row.official_status_after = "", ""
    seen = access.seen_audit(analyst, row)
    assert (seen.status_before, seen.status_after) == ("", Status.OPEN)
    assert seen.version_after is None


# The checks the services make ------------------------------------------------------------------


def test_only_a_cleared_user_may_enter_an_official_sensitive_item(analyst, cleared_analyst):
    with pytest.raises(PermissionDenied, match="You need clearance"):
        access.check_classification(analyst, SENSITIVE)
    access.check_classification(cleared_analyst, SENSITIVE)
    access.check_classification(analyst, Classification.OFFICIAL)


def test_only_an_official_event_corrected_into_a_sensitive_one_is_refused(serbia):
    official, sensitive = official_event(serbia), sensitive_event(serbia)
    assert access.check_correction(official, SENSITIVE) == access.CORRECTION_REFUSED
    assert access.check_correction(official, Classification.OFFICIAL) is None
    assert access.check_correction(sensitive, Classification.OFFICIAL) is None
    assert access.check_correction(sensitive, SENSITIVE) is None


# Permissions and the messages that name them ---------------------------------------------------


def test_a_refusal_names_the_permission_and_the_group_to_ask():
    expected = (
        "You need the permission to record, correct and retract talk events "
        "(talks.record_event): ask to join the Analysts group."
    )
    assert access.missing_permission_message(access.RECORD) == expected
    assert access.missing_permission_message("talks.record_event") == expected


def test_a_refusal_for_want_of_clearance_says_clearance_not_a_group():
    assert access.missing_permission_message(access.SEE_SENSITIVE) == (
        "You need clearance to see or enter OFFICIAL-SENSITIVE items "
        "(permission talks.view_sensitive)."
    )


def test_a_refusal_for_a_permission_outside_the_table_sends_the_user_to_an_administrator():
    assert access.missing_permission_message("talks.change_scheme") == (
        "You need the permission talks.change_scheme, which an administrator can give you."
    )


def test_a_permission_can_be_asked_for_by_action_or_by_its_code(analyst, viewer):
    assert access.can(analyst, access.RECORD) and access.can(analyst, "talks.record_event")
    assert not access.can(viewer, access.RECORD)
    assert not access.can(viewer, "talks.record_event")
    assert not access.can(AnonymousUser(), access.READ)
    assert not access.can(None, access.READ)
    with pytest.raises(PermissionDenied, match="Analysts group"):
        access.require(viewer, access.RECORD)
    access.require(analyst, access.RECORD)


def test_a_view_that_requires_two_actions_refuses_a_user_with_one(rf, analyst):
    @access.requires(access.READ, access.EXPORT)
    def view(request):
        return "answered"

    request = rf.get("/")
    request.user = analyst
    with pytest.raises(PermissionDenied, match="Managers group"):
        view(request)


def test_a_view_that_requires_actions_answers_a_user_with_all_of_them(rf, manager):
    @access.requires(access.READ, access.EXPORT)
    def view(request, slug):
        return f"answered {slug}"

    request = rf.get("/")
    request.user = manager
    assert view(request, slug="uk") == "answered uk"


# Which pages need what -------------------------------------------------------------------------


def _view_in(module: str):
    def view(request):
        return None

    view.__module__ = module
    return view


class _Elsewhere(RedirectView):
    url = "/"


def test_a_page_in_the_table_needs_the_action_the_table_names():
    assert access.action_for_view("event_new", _view_in("talks.views.editing")) == access.RECORD
    assert access.action_for_view("export_log", _view_in("talks.views.exports")) == access.EXPORT


def test_signing_in_and_one_s_own_account_need_no_talks_permission():
    assert access.action_for_view("login", _view_in("talks.views.anything")) == ""
    assert access.action_for_view("token_page", _view_in("hubtracker.accounts.views")) == ""
    assert access.action_for_view(None, _view_in("allauth.account.views")) == ""


def test_the_api_pages_need_read_access():
    assert access.action_for_view("schemes", _view_in("talks.api.views")) == access.READ
    assert access.action_for_view(None, _view_in("ninja.operation")) == access.READ


def test_a_redirect_needs_nothing_itself():
    assert access.action_for_view("elsewhere", _Elsewhere.as_view()) == ""


def test_a_page_neither_in_the_table_nor_open_is_undecided():
    assert access.action_for_view("mystery", _view_in("talks.views.mystery")) is None
    assert access.action_for_view("mystery", _view_in("hubtracker.views")) is None


def test_a_signed_in_user_in_no_group_may_still_open_their_account(client):
    client.force_login(UserFactory(username="nobody"))
    assert client.get(reverse("account")).status_code == 200


# Caching -------------------------------------------------------------------------------------


def test_a_page_for_a_signed_in_user_may_be_kept_by_no_cache(client, viewer):
    client.force_login(viewer)
    response = client.get(reverse("dashboard"))
    assert response["Cache-Control"] == "private, no-store"
    assert response["Pragma"] == "no-cache"


def test_the_api_keeps_its_revalidated_private_cache_for_a_signed_in_user(client, viewer):
    client.force_login(viewer)
    response = client.get("/api/v1/schemes")
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-cache"
    assert "Pragma" not in response


def test_a_signed_out_visitor_s_pages_keep_their_own_cache_headers(client):
    response = client.get("/healthz")  # never_cache: the answer is revalidated, not dropped
    assert response["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"
    assert "Pragma" not in response
