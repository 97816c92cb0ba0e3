"""Forms analysts fill in: a talk event (new or a correction), a retraction, a CSV upload.

Forms check what a user typed and what the user may choose; the services check it all again.
"""

import datetime

from django import forms
from django.core.exceptions import ValidationError

from talks.models import (
    Classification,
    DatePrecision,
    EventKind,
    Reliability,
    Source,
    TalkEvent,
)
from talks.selectors import can_see_sensitive, sources_visible_to
from talks.services import EventDetails
from talks.statuses import ALLOWED, Status, label, refusal_reason

DATE_PARTS = ("day", "month", "year")
SOURCE_NONE, SOURCE_EXISTING, SOURCE_NEW = "none", "existing", "new"


class EventForm(forms.Form):
    """A talk event as an analyst types it. `current_status` is the status moves start from."""

    day = forms.IntegerField(
        required=False, error_messages={"invalid": "Enter the day as a number."}
    )
    month = forms.IntegerField(
        required=False, error_messages={"invalid": "Enter the month as a number, like 5."}
    )
    year = forms.IntegerField(
        required=False, error_messages={"invalid": "Enter the year as a number, like 2025."}
    )
    precision = forms.ChoiceField(choices=DatePrecision.choices, initial=DatePrecision.DAY)
    kind = forms.ChoiceField(choices=EventKind.choices)
    title = forms.CharField(max_length=200)
    summary = forms.CharField(required=False, max_length=5000)
    quote = forms.CharField(required=False, max_length=5000)
    speaker = forms.CharField(required=False, max_length=200)
    source_mode = forms.ChoiceField(
        choices=[
            (SOURCE_EXISTING, "A source already in HubTracker"),
            (SOURCE_NEW, "A new source"),
            (SOURCE_NONE, "No source yet"),
        ],
        initial=SOURCE_EXISTING,
    )
    source = forms.ModelChoiceField(queryset=Source.objects.all(), required=False)
    source_outlet = forms.CharField(required=False, max_length=200)
    source_title = forms.CharField(required=False, max_length=300)
    source_url = forms.URLField(required=False, max_length=500, assume_scheme="https")
    source_published_on = forms.DateField(
        required=False, input_formats=["%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"]
    )
    source_reliability = forms.ChoiceField(choices=Reliability.choices, required=False)
    classification = forms.ChoiceField(
        choices=Classification.choices, initial=Classification.OFFICIAL
    )
    new_status = forms.ChoiceField(choices=[("", "No change"), *Status.choices], required=False)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, user, current_status: str | None, with_status: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.current_status = current_status or None
        self.with_status = with_status
        self.fields["source"].queryset = sources_visible_to(user)
        if not with_status:
            del self.fields["new_status"]
        self.fields["title"].error_messages["required"] = "Enter a title."
        self.fields["kind"].error_messages["required"] = "Select the kind of event."
        self.fields["source"].error_messages["invalid_choice"] = "Select a source from the list."
        self.fields["source_url"].error_messages["invalid"] = (
            "Enter the web address in the right format, like https://www.bbc.co.uk/news"
        )
        self.fields["source_published_on"].error_messages["invalid"] = (
            "Enter the publication date like 15/05/2025."
        )

    # What the template offers ------------------------------------------------------------
    def classification_options(self) -> list[tuple[str, str]]:
        if can_see_sensitive(self.user):
            return list(Classification.choices)
        return [(Classification.OFFICIAL, Classification.OFFICIAL.label)]

    def status_options(self) -> list[tuple[str, str]]:
        allowed = ALLOWED[self.current_status]
        return [(s.value, s.label) for s in Status if s in allowed]

    def refused_statuses(self) -> list[tuple[str, str]]:
        refused = [s for s in Status if s not in ALLOWED[self.current_status]]
        return [(label(s), refusal_reason(self.current_status, s) or "") for s in refused]

    def current_status_label(self) -> str:
        return label(self.current_status)

    def date_errors(self) -> list[str]:
        return [error for part in DATE_PARTS for error in self.errors.get(part, [])]

    # Checks ------------------------------------------------------------------------------
    def clean_classification(self) -> str:
        value = self.cleaned_data["classification"]
        if value == Classification.OFFICIAL_SENSITIVE and not can_see_sensitive(self.user):
            raise ValidationError("You need clearance to enter OFFICIAL-SENSITIVE items.")
        return value

    def clean_new_status(self) -> str:
        value = self.cleaned_data.get("new_status", "")
        if value:
            reason = refusal_reason(self.current_status, value)
            if reason:
                raise ValidationError(reason)
        return value

    def clean(self) -> dict:
        data = super().clean()
        data["occurred_on"] = self._clean_date(data)
        self._clean_source(data)
        return data

    def _clean_date(self, data: dict) -> datetime.date | None:
        precision = data.get("precision") or DatePrecision.DAY
        if any(part in self.errors for part in DATE_PARTS):
            return None
        needed = {
            DatePrecision.DAY: DATE_PARTS,
            DatePrecision.MONTH: ("month", "year"),
            DatePrecision.QUARTER: ("month", "year"),
            DatePrecision.YEAR: ("year",),
        }[precision]
        missing = [part for part in needed if data.get(part) is None]
        if missing == list(needed):
            self.add_error(missing[0], "Enter the date the event happened.")
            return None
        if missing:
            self.add_error(missing[0], f"The date must include a {' and a '.join(missing)}.")
            return None
        year, month = data["year"], data.get("month") or 1
        day = data.get("day") if precision == DatePrecision.DAY else 1
        if not 1900 <= year <= 2100:
            self.add_error("year", "The year must be a four-digit year, like 2025.")
            return None
        try:
            return datetime.date(year, month, day)
        except ValueError:
            field = "month" if not 1 <= month <= 12 else "day"
            self.add_error(field, "The date must be a real date.")
            return None

    def _clean_source(self, data: dict) -> None:
        mode = data.get("source_mode")
        if mode == SOURCE_EXISTING and not data.get("source") and "source" not in self.errors:
            self.add_error("source", "Select a source, or choose to add a new one.")
        if mode == SOURCE_NEW:
            if not data.get("source_outlet", "").strip():
                self.add_error("source_outlet", "Enter the outlet that published the source.")
            if not data.get("source_reliability"):
                self.add_error("source_reliability", "Select how reliable the source is.")

    # Results -----------------------------------------------------------------------------
    def new_source_fields(self) -> dict | None:
        if self.cleaned_data["source_mode"] != SOURCE_NEW:
            return None
        return {
            "outlet": self.cleaned_data["source_outlet"].strip(),
            "title": self.cleaned_data["source_title"].strip(),
            "url": self.cleaned_data["source_url"],
            "published_on": self.cleaned_data["source_published_on"],
            "reliability": self.cleaned_data["source_reliability"],
        }

    def details(self, source: Source | None = None) -> EventDetails:
        data = self.cleaned_data
        if data["source_mode"] == SOURCE_EXISTING:
            source = data["source"]
        return EventDetails(
            occurred_on=data["occurred_on"],
            precision=data["precision"],
            kind=data["kind"],
            title=data["title"].strip(),
            summary=data["summary"].strip(),
            quote=data["quote"].strip(),
            speaker=data["speaker"].strip(),
            source=source,
            new_status=data.get("new_status", ""),
            classification=data["classification"],
        )


def initial_from_event(event: TalkEvent) -> dict:
    """The event form's starting values for a correction of `event`."""
    day = event.occurred_on
    return {
        "day": day.day if event.precision == DatePrecision.DAY else None,
        "month": day.month if event.precision != DatePrecision.YEAR else None,
        "year": day.year,
        "precision": event.precision,
        "kind": event.kind,
        "title": event.title,
        "summary": event.summary,
        "quote": event.quote,
        "speaker": event.speaker,
        "source_mode": SOURCE_EXISTING if event.source_id else SOURCE_NONE,
        "source": event.source_id,
        "classification": event.classification,
        "new_status": event.new_status,
    }


class RetractForm(forms.Form):
    reason = forms.CharField(
        max_length=2000,
        error_messages={"required": "Enter the reason for retracting this event."},
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)
