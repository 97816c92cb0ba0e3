"""The status vocabulary and the one table of allowed moves between statuses."""

from django.db import models


class Status(models.TextChoices):
    SHORTLISTED = "shortlisted", "Shortlisted"
    OPEN = "open", "Open to talks"
    EXPLORATORY = "exploratory", "Exploratory talks"
    NEGOTIATING = "negotiating", "Negotiating"
    AGREED = "agreed", "Agreed"
    OPERATIONAL = "operational", "Operational"
    SUSPENDED = "suspended", "Suspended"
    REJECTED = "rejected", "Rejected"
    ENDED = "ended", "Ended"


DEFINITIONS: dict[str, str] = {
    Status.SHORTLISTED: "Named on the sending state's list; no contact confirmed.",
    Status.OPEN: "The host country says it is open to talks.",
    Status.EXPLORATORY: "Informal contacts between the governments are confirmed.",
    Status.NEGOTIATING: "Formal talks are under way.",
    Status.AGREED: "A letter of intent, memorandum of understanding or agreement in principle.",
    Status.OPERATIONAL: "Transfers are happening.",
    Status.SUSPENDED: "Halted by a court or by politics.",
    Status.REJECTED: "The host country has ruled itself out.",
    Status.ENDED: "The scheme or the arrangement has ended.",
}

# Colour-blind-safe palette (Okabe-Ito based) ordered from early to late stages. Every use of
# a colour also carries the status's name in text. One palette for the web map, its legend, the
# status swatches (hubtracker.css) and the PDF/Word map. Shortlisted is a mid grey with a contrast
# of at least 3:1 (WCAG 1.4.11) against NOT_LISTED_COLOUR, the pale grey of countries that are not
# on the list, so the two greys are not confused.
NOT_LISTED_COLOUR = "#F3F2F1"

COLOURS: dict[str, str] = {
    Status.SHORTLISTED: "#878787",
    Status.OPEN: "#56B4E9",
    Status.EXPLORATORY: "#0072B2",
    Status.NEGOTIATING: "#F0E442",
    Status.AGREED: "#E69F00",
    Status.OPERATIONAL: "#009E73",
    Status.SUSPENDED: "#CC79A7",
    Status.REJECTED: "#D55E00",
    Status.ENDED: "#555555",
}

# Candidacies with no status on a date: white, with the outline every country has on the map.
NO_STATUS_COLOUR = "#FFFFFF"

_ANY_STARTING_STATUS = frozenset(Status)

# status before -> statuses an event may move it to. None means no status recorded yet.
ALLOWED: dict[str | None, frozenset[str]] = {
    None: _ANY_STARTING_STATUS,
    Status.SHORTLISTED: frozenset(
        {Status.OPEN, Status.EXPLORATORY, Status.NEGOTIATING, Status.REJECTED, Status.ENDED}
    ),
    Status.OPEN: frozenset(
        {Status.SHORTLISTED, Status.EXPLORATORY, Status.NEGOTIATING, Status.REJECTED, Status.ENDED}
    ),
    Status.EXPLORATORY: frozenset(
        {
            Status.OPEN,
            Status.NEGOTIATING,
            Status.AGREED,
            Status.SUSPENDED,
            Status.REJECTED,
            Status.ENDED,
        }
    ),
    Status.NEGOTIATING: frozenset(
        {Status.EXPLORATORY, Status.AGREED, Status.SUSPENDED, Status.REJECTED, Status.ENDED}
    ),
    Status.AGREED: frozenset(
        {Status.NEGOTIATING, Status.OPERATIONAL, Status.SUSPENDED, Status.REJECTED, Status.ENDED}
    ),
    Status.OPERATIONAL: frozenset({Status.SUSPENDED, Status.ENDED}),
    Status.SUSPENDED: frozenset(
        {Status.NEGOTIATING, Status.AGREED, Status.OPERATIONAL, Status.REJECTED, Status.ENDED}
    ),
    Status.REJECTED: frozenset({Status.OPEN, Status.EXPLORATORY, Status.NEGOTIATING}),
    Status.ENDED: frozenset(),
}


ORDER: list[str] = [s.value for s in Status]  # from early to late stages


class TransitionRefused(Exception):
    """A status move that the transition table does not allow."""


def label(status: str | None) -> str:
    return Status(status).label if status else "No status recorded"


def refusal_reason(before: str | None, after: str) -> str | None:
    """Why a move from `before` to `after` is refused, or None when it is allowed."""
    if after == before:
        return f"The status is already {label(before)}."
    if after in ALLOWED[before]:
        return None
    if before == Status.ENDED:
        return "The arrangement has ended: no further status changes are possible."
    allowed = ", ".join(label(s) for s in sorted(ALLOWED[before], key=ORDER.index))
    return f"{label(before)} cannot move to {label(after)}. Allowed next: {allowed}."


def check_transition(before: str | None, after: str) -> None:
    reason = refusal_reason(before, after)
    if reason:
        raise TransitionRefused(reason)
