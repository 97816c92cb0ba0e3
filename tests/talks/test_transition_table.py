"""The transition table, stated here independently of `ALLOWED`.

The expected moves are written out by hand, so any change to the table in the code (a move
added, removed or misspelt) fails a test until this statement of the policy changes too.
"""

import pytest

from talks.rules.statuses import (
    ALLOWED,
    DEFINITIONS,
    Status,
    TransitionRefused,
    check_transition,
    label,
    refusal_reason,
)

S = Status
# before -> the statuses an event may move it to (the policy, in stage order).
POLICY: dict[str | None, list[str]] = {
    None: [S.SHORTLISTED, S.OPEN, S.EXPLORATORY, S.NEGOTIATING, S.AGREED, S.OPERATIONAL,
           S.SUSPENDED, S.REJECTED, S.ENDED],
    S.SHORTLISTED: [S.OPEN, S.EXPLORATORY, S.NEGOTIATING, S.REJECTED, S.ENDED],
    S.OPEN: [S.SHORTLISTED, S.EXPLORATORY, S.NEGOTIATING, S.REJECTED, S.ENDED],
    S.EXPLORATORY: [S.OPEN, S.NEGOTIATING, S.AGREED, S.SUSPENDED, S.REJECTED, S.ENDED],
    S.NEGOTIATING: [S.EXPLORATORY, S.AGREED, S.SUSPENDED, S.REJECTED, S.ENDED],
    S.AGREED: [S.NEGOTIATING, S.OPERATIONAL, S.SUSPENDED, S.REJECTED, S.ENDED],
    S.OPERATIONAL: [S.SUSPENDED, S.ENDED],
    S.SUSPENDED: [S.NEGOTIATING, S.AGREED, S.OPERATIONAL, S.REJECTED, S.ENDED],
    S.REJECTED: [S.OPEN, S.EXPLORATORY, S.NEGOTIATING],
    S.ENDED: [],
}  # fmt: skip

PAIRS = [(before, after) for before in POLICY for after in Status]


def test_the_table_covers_every_status_and_no_status():
    assert set(ALLOWED) == set(POLICY) == {None, *Status}


@pytest.mark.parametrize(("before", "after"), PAIRS)
def test_each_move_is_allowed_exactly_when_the_policy_says_so(before, after):
    if after in POLICY[before]:
        check_transition(before, after)
    else:
        with pytest.raises(TransitionRefused) as refused:
            check_transition(before, after)
        assert str(refused.value)


def test_an_ended_arrangement_never_reopens():
    for after in set(Status) - {S.ENDED}:
        with pytest.raises(TransitionRefused, match="has ended"):
            check_transition(S.ENDED, after)


def test_the_refusal_for_an_ended_arrangement_says_it_has_ended():
    assert refusal_reason(S.ENDED, S.OPEN) == (
        "The arrangement has ended: no further status changes are possible."
    )


def test_no_status_reads_as_no_status_recorded():
    assert label(None) == label("") == "No status recorded"
    assert label(S.OPEN) == "Open to talks"


def test_operational_cannot_move_back_to_agreed_or_negotiating():
    for earlier in (S.AGREED, S.NEGOTIATING, S.EXPLORATORY, S.OPEN, S.SHORTLISTED):
        with pytest.raises(TransitionRefused):
            check_transition(S.OPERATIONAL, earlier)


def test_a_suspended_arrangement_can_resume_operations():
    check_transition(S.SUSPENDED, S.OPERATIONAL)


def test_a_rejection_can_be_revisited_but_not_jump_to_agreement():
    check_transition(S.REJECTED, S.OPEN)
    with pytest.raises(TransitionRefused):
        check_transition(S.REJECTED, S.AGREED)


def test_a_status_cannot_move_to_itself():
    for status in Status:
        with pytest.raises(TransitionRefused, match=f"already {status.label}"):
            check_transition(status, status)


def test_any_status_can_be_the_first():
    for status in Status:
        assert refusal_reason(None, status) is None


def test_a_refusal_lists_the_allowed_moves_in_stage_order():
    assert refusal_reason(S.SHORTLISTED, S.AGREED) == (
        "Shortlisted cannot move to Agreed. Allowed next: Open to talks, Exploratory talks, "
        "Negotiating, Rejected, Ended."
    )
    assert refusal_reason(S.OPERATIONAL, S.AGREED) == (
        "Operational cannot move to Agreed. Allowed next: Suspended, Ended."
    )


def test_every_status_has_a_written_definition():
    assert set(DEFINITIONS) == set(Status)
    assert all(DEFINITIONS[status].strip() for status in Status)
