"""The one template tag library: talk events, dates and statuses shown alike on every page."""

import datetime

from django import template
from django.utils.html import format_html

from talks import access
from talks.models import DatePrecision, Reliability
from talks.rules import dates
from talks.rules.statuses import DEFINITIONS, Status, label

register = template.Library()


@register.filter
def date_label(day: datetime.date | None, precision: str = DatePrecision.DAY) -> str:
    """ "15 May 2025", "May 2025", "Q4 2025" or "2025"."""
    if day is None:
        return ""
    return dates.date_label(day, precision or DatePrecision.DAY)


@register.filter
def event_date(event) -> str:
    """An event's date at its precision: "16 May 2025", "May 2025", "Q4 2025"."""
    return dates.date_label(event.occurred_on, event.precision)


@register.filter
def precision_label(precision: str) -> str:
    """How precise a date is, in words, for anything less precise than a day."""
    if not precision or precision == DatePrecision.DAY:
        return ""
    return f"known to the {DatePrecision(precision).label.lower()}"


@register.filter
def status_label(status: str | None) -> str:
    """A status's name; "No status recorded" for none."""
    return label(status)


@register.filter
def status_definition(status: str) -> str:
    return DEFINITIONS.get(status, "No status-changing event has been recorded yet.")


@register.simple_tag
def status_badge(status: str) -> str:
    """A colour swatch and the status's name (the colour never stands alone)."""
    modifier = status if status in Status.values else "none"
    return format_html(
        '<span class="app-status" title="{}"><span class="app-status__swatch '
        'app-status__swatch--{}" aria-hidden="true"></span>{}</span>',
        status_definition(status),
        modifier,
        label(status),
    )


@register.filter
def reliability_meaning(grade: str) -> str:
    """'usually reliable' for 'B' (the Admiralty scale's words)."""
    try:
        return Reliability(grade).label.split(": ", 1)[1]
    except (ValueError, IndexError):
        return "not graded"


@register.filter
def is_web_url(url: str) -> bool:
    """Only http(s) addresses become links: never javascript: or data: from imported rows."""
    return isinstance(url, str) and url.lower().startswith(("https://", "http://"))


@register.filter
def is_sensitive(classification: str) -> bool:
    return access.is_sensitive_classification(classification)


@register.filter
def sees_sensitive(user) -> bool:
    return access.sees_sensitive(user)


@register.filter
def visible_original(event, user):
    """The event this one corrects, if `user` may see it (else None: it reads as new)."""
    return access.visible_related(user, event, "supersedes")


@register.filter
def visible_correction(event, user):
    """The correction that replaced this event, if `user` may see it."""
    return access.visible_related(user, event, "superseded_by")


@register.filter
def number_query(page, number: int) -> dict:
    """The query parameters of a keyset page's numbered neighbour (talks.selectors.paging)."""
    return page.number_query(number)


@register.filter
def choice_list(choices) -> list:
    """A field's choices as a list, without the extra COUNT query that len() of a model
    choice iterator runs (the `for` tag asks for the length)."""
    return [choice for choice in choices]  # noqa: C416 - list() would call len() too
