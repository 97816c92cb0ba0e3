"""Template helpers for showing talk events and statuses the same way on every page."""

import datetime

from django import template
from django.utils.html import format_html

from talks import dates
from talks.models import Classification, DatePrecision, Reliability
from talks.statuses import DEFINITIONS, Status, label

register = template.Library()


@register.filter
def date_label(day: datetime.date | None, precision: str = DatePrecision.DAY) -> str:
    """ "15 May 2025", "May 2025", "Q4 2025" or "2025"."""
    if day is None:
        return ""
    return dates.date_label(day, precision or DatePrecision.DAY)


@register.filter
def precision_label(precision: str) -> str:
    """How precise a date is, in words, for anything less precise than a day."""
    if not precision or precision == DatePrecision.DAY:
        return ""
    return f"known to the {DatePrecision(precision).label.lower()}"


@register.filter
def status_label(status: str) -> str:
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
    return classification == Classification.OFFICIAL_SENSITIVE


@register.filter
def elided_pages(paginator, number: int):
    """Page numbers around `number`, with the paginator's ELLIPSIS where pages are left out."""
    return paginator.get_elided_page_range(number, on_each_side=1, on_ends=1)


@register.filter
def choice_list(choices) -> list:
    """A field's choices as a list, without the extra COUNT query that len() of a model
    choice iterator runs (the `for` tag asks for the length)."""
    return [choice for choice in choices]  # noqa: C416 - list() would call len() too
