import pytest

from talks.statuses import ALLOWED, DEFINITIONS, Status, TransitionRefused, check_transition

ALLOWED_PAIRS = [(before, after) for before, targets in ALLOWED.items() for after in targets]
REFUSED_PAIRS = [
    (before, after) for before in ALLOWED for after in Status if after not in ALLOWED[before]
]


def test_every_status_has_a_written_definition():
    assert set(DEFINITIONS) == set(Status)
    assert all(DEFINITIONS[status].strip() for status in Status)


@pytest.mark.parametrize(("before", "after"), ALLOWED_PAIRS)
def test_allowed_moves_pass(before, after):
    check_transition(before, after)


@pytest.mark.parametrize(("before", "after"), REFUSED_PAIRS)
def test_refused_moves_raise_with_a_reason(before, after):
    with pytest.raises(TransitionRefused) as refused:
        check_transition(before, after)
    assert str(refused.value)


def test_refusal_names_the_moves_that_are_allowed():
    with pytest.raises(TransitionRefused, match="Allowed next: .*Suspended"):
        check_transition(Status.OPERATIONAL, Status.SHORTLISTED)


def test_an_ended_arrangement_cannot_move():
    with pytest.raises(TransitionRefused, match="has ended"):
        check_transition(Status.ENDED, Status.NEGOTIATING)


def test_a_status_cannot_move_to_itself():
    with pytest.raises(TransitionRefused, match="already"):
        check_transition(Status.OPEN, Status.OPEN)


def test_any_status_can_be_the_first():
    for status in Status:
        check_transition(None, status)
