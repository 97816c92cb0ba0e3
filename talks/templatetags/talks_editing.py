"""Small template filters for the editing pages."""

from django import template

from talks.dates import date_label
from talks.statuses import label

register = template.Library()


@register.filter
def status_label(status: str) -> str:
    """A status's name; "No status recorded" for none."""
    return label(status or None)


@register.filter
def event_date(event) -> str:
    """An event's date at its precision: "16 May 2025", "May 2025", "Q4 2025"."""
    return date_label(event.occurred_on, event.precision)
