"""The one template tag library: talk events, dates and statuses shown alike on every page."""

import datetime
import hashlib
from collections.abc import Iterable

from django import template
from django.core.cache import caches
from django.forms import BoundField, Field, ModelChoiceField
from django.forms.models import ModelChoiceIterator
from django.template.defaultfilters import urlencode
from django.template.loader import get_template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from talks import access
from talks.models import DatePrecision, Reliability
from talks.rules import dates
from talks.rules.statuses import DEFINITIONS, Status, label
from talks.selectors.event_log import TimelineRow
from talks.selectors.kept import PAGES_CACHE

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
def number_query(page, number: int) -> dict:
    """The query parameters of a keyset page's numbered neighbour (talks.selectors.paging)."""
    return page.number_query(number)


SELECTED = mark_safe(" selected")


@register.simple_tag
def select_options(field: BoundField) -> SafeString:
    """A select field's options, the current value selected: what a `for` loop over the choices
    writes, without a template variable look-up per option (the event log's filters have about
    sixty on every page)."""
    current = field.value()
    current = "" if current is None else str(current)
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        (
            (value, SELECTED if str(value) == current else "", text)
            for value, text in _choices(field.field)
        ),
    )


def _choices(field: Field) -> Iterable[tuple[object, object]]:
    """The field's choices; a model's rows read in one plain query (a model choice field's own
    iterator opens a server-side cursor on PostgreSQL: three round trips for a short list)."""
    if not isinstance(field, ModelChoiceField) or field.queryset is None:
        return field.choices  # type: ignore[attr-defined]
    iterator = ModelChoiceIterator(field)
    empty = [("", field.empty_label)] if field.empty_label is not None else []
    return [*empty, *(iterator.choice(row) for row in field.queryset.all())]


TIMELINE_EVENT = "talks/_timeline_event.html"


@register.simple_tag(takes_context=True)
def timeline_events(
    context: template.Context,
    rows: list[TimelineRow],
    *,
    show_country: bool = False,
    show_scheme: bool = False,
    can_record: bool = False,
) -> SafeString:
    """The timeline's rows (`talks.selectors.event_log.timeline_rows`), each rendered once and
    then kept in the pages cache under a key of everything it shows: the row's own values
    (`TimelineRow.shown`: the event, retracted or corrected, the correction and original the
    reader may see, its source, country and scheme as they are now), the reader's picture and
    the columns shown; for a row with Correct and Retract links (`can_record`: the reader may
    record events), also the current address those links return to. A write or an admin edit
    changes the row's values, so the next request renders it afresh. One cache read for all."""
    here = urlencode(context["request"].get_full_path())
    seen = access.picture(context["user"])
    wanted = {}
    for row in rows:
        actions = can_record and not (row.event.is_retracted or row.event.is_superseded)
        options = (show_country, show_scheme, actions, here if actions else "")
        key = _row_key(row, seen, options)
        wanted[key] = (row, actions)
    cache = caches[PAGES_CACHE]
    kept = cache.get_many(list(wanted))
    drawn = {
        key: _row_html(row, actions, here, show_country, show_scheme)
        for key, (row, actions) in wanted.items()
        if key not in kept
    }
    if drawn:
        cache.set_many(drawn)
    # Each row was rendered by the template engine, which escaped what it placed.
    return mark_safe("".join(kept.get(key) or drawn[key] for key in wanted))


def _row_key(row: TimelineRow, picture: str, options: tuple[object, ...]) -> str:
    digest = hashlib.sha256(repr((row.shown(), picture, options)).encode()).hexdigest()
    return f"timeline-event:{digest[:40]}"


def _row_html(
    row: TimelineRow, actions: bool, here: str, show_country: bool, show_scheme: bool
) -> str:
    return get_template(TIMELINE_EVENT).render(
        {
            "event": row.event,
            "correction": row.correction,
            "original": row.original,
            "actions": actions,
            "here": here,
            "show_country": show_country,
            "show_scheme": show_scheme,
        }
    )
