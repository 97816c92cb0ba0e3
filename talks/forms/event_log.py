"""The event log's filter form: what a user may ask the log for."""

import datetime
from typing import Any

from django import forms

from countries.models import Country
from talks.models import Candidacy, EventKind, Scheme
from talks.rules.statuses import Status
from talks.selectors.event_log import MAX_QUERY_LENGTH, EventFilters

EARLIEST = datetime.date(1900, 1, 1)


LATEST = datetime.date(2100, 12, 31)


SORT_CHOICES = [
    ("", "Best match, else date"),
    ("date", "Date"),
    ("title", "Title"),
    ("country", "Country"),
]


ORDER_CHOICES = [("desc", "Descending (newest, Z to A)"), ("asc", "Ascending (oldest, A to Z)")]


DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d %m %Y", "%d-%m-%Y"]


DATE_HELP = "For example, 2025-05-15 or 15/05/2025"


class EventLogFilters(forms.Form):
    """The event log's GET parameters, validated. Errors name the field and say what to type."""

    q = forms.CharField(
        label="Search",
        required=False,
        max_length=MAX_QUERY_LENGTH,
        strip=True,
        help_text='Words in the title, summary, quote or speaker. Use "quotes" for a phrase and '
        "-word to leave a word out.",
    )
    scheme = forms.ModelChoiceField(
        queryset=Scheme.objects.order_by("name"),
        to_field_name="slug",
        required=False,
        empty_label="All schemes",
        error_messages={"invalid_choice": "Choose a scheme from the list."},
    )
    country = forms.ModelChoiceField(
        queryset=Country.objects.filter(pk__in=Candidacy.objects.values("country_id")).order_by(
            "name"
        ),
        to_field_name="slug",
        required=False,
        empty_label="All countries",
        error_messages={"invalid_choice": "Choose a country from the list."},
    )
    kind = forms.ChoiceField(
        label="Kind of event",
        choices=[("", "All kinds"), *EventKind.choices],
        required=False,
        error_messages={"invalid_choice": "Choose a kind of event from the list."},
    )
    status = forms.ChoiceField(
        label="Status moved to",
        choices=[("", "Any or none"), *Status.choices],
        required=False,
        error_messages={"invalid_choice": "Choose a status from the list."},
    )
    date_from = forms.DateField(
        label="From",
        required=False,
        input_formats=DATE_FORMATS,
        help_text=DATE_HELP,
        error_messages={"invalid": "Enter the start date as a real date, for example 2025-05-15."},
    )
    date_to = forms.DateField(
        label="To",
        required=False,
        input_formats=DATE_FORMATS,
        help_text=DATE_HELP,
        error_messages={"invalid": "Enter the end date as a real date, for example 2025-12-31."},
    )
    sort = forms.ChoiceField(
        label="Sort by",
        choices=SORT_CHOICES,
        required=False,
        error_messages={"invalid_choice": "Sort by date, title or country."},
    )
    order = forms.ChoiceField(
        label="Order",
        choices=ORDER_CHOICES,
        required=False,
        error_messages={"invalid_choice": "Choose ascending or descending order."},
    )
    current_only = forms.BooleanField(label="Hide corrected and retracted events", required=False)

    def __init__(self, *args, **kwargs):
        # Ids of their own ("filter-kind"): the event form opens on the same page with "id_kind".
        kwargs.setdefault("auto_id", "filter-%s")
        super().__init__(*args, **kwargs)

    def clean_date_from(self) -> datetime.date | None:
        return self._in_range("date_from")

    def clean_date_to(self) -> datetime.date | None:
        return self._in_range("date_to")

    def _in_range(self, name: str) -> datetime.date | None:
        value = self.cleaned_data.get(name)
        if value and not EARLIEST <= value <= LATEST:
            raise forms.ValidationError(f"Enter a date between {EARLIEST.year} and {LATEST.year}.")
        return value

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "The end date must be the same as or after the start date.")
        return data

    def filters(self) -> EventFilters:
        """The valid part of what was asked for (call after is_valid()), with the errors."""
        data = getattr(self, "cleaned_data", {})
        errors = tuple(str(message) for messages in self.errors.values() for message in messages)
        return EventFilters(
            errors=errors,
            scheme=data.get("scheme"),
            country=data.get("country"),
            kind=data.get("kind") or "",
            status=data.get("status") or "",
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            q=data.get("q") or "",
            sort=data.get("sort") or "",
            order=data.get("order") or "desc",
            current_only=bool(data.get("current_only")),
        )
