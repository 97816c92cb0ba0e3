"""Forms analysts fill in: a talk event (new or a correction), a retraction, a CSV upload.

Forms check what a user typed and what the user may choose; the services check it all again.
"""

import datetime
from collections.abc import Callable
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError

from talks import access
from talks.forms.dates import GovDateField
from talks.models import (
    Classification,
    DatePrecision,
    EventKind,
    Person,
    Reliability,
    Source,
    TalkEvent,
)
from talks.rules.dates import period_start, year_problem
from talks.rules.statuses import ALLOWED, Status, label, refusal_reason
from talks.services.events import EventDetails
from talks.services.submissions import new_key

# The parts of the date each precision needs (the day of a month, say, may be left empty).
NEEDED_PARTS: dict[str, tuple[str, ...]] = {
    DatePrecision.DAY: ("day", "month", "year"),
    DatePrecision.MONTH: ("month", "year"),
    DatePrecision.QUARTER: ("month", "year"),
    DatePrecision.YEAR: ("year",),
}
SOURCE_NONE, SOURCE_EXISTING, SOURCE_NEW = "none", "existing", "new"


class EventForm(forms.Form):
    """A talk event as an analyst types it.

    `current_status` is today's status as the user sees it (what the form offers moves from);
    `status_on(date)` gives the status on the event's own date in the user's picture, which is
    what a move is checked against (decision 0001: a back-dated event fits the history at its
    date). Without `status_on` the form leaves the check to the service.
    """

    occurred_on = GovDateField(
        noun="date", required_message="Enter the date the event happened.", plain_names=True
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
    submission_key = forms.CharField(required=False, widget=forms.HiddenInput, initial=new_key)

    def __init__(
        self,
        *args: Any,
        user: Person,
        current_status: str | None,
        with_status: bool,
        status_on: Callable[[datetime.date], str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.current_status = current_status or None
        self.status_on = status_on
        self.with_status = with_status
        date_field = cast(GovDateField, self.fields["occurred_on"])
        precision = self.data.get("precision") if self.is_bound else None
        date_field.needed = NEEDED_PARTS.get(precision or "", NEEDED_PARTS[DatePrecision.DAY])
        source_field = cast(forms.ModelChoiceField, self.fields["source"])
        # Newest first; sources of one date and outlet in the order they were added, so the list
        # reads the same whatever other sources exist.
        source_field.queryset = access.visible_sources(user).order_by(
            "-published_on", "outlet", "pk"
        )
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
        if access.sees_sensitive(self.user):
            return list(Classification.choices)
        return [(Classification.OFFICIAL, Classification.OFFICIAL.label)]

    def status_options(self) -> list[tuple[str, str]]:
        """The moves allowed from today's status, plus the one typed (a back-dated move)."""
        allowed = set(ALLOWED[self.current_status])
        typed = self["new_status"].value() if "new_status" in self.fields else ""
        if typed in Status.values:
            allowed.add(typed)
        return [(s.value, s.label) for s in Status if s in allowed]

    def refused_statuses(self) -> list[tuple[str, str]]:
        refused = [s for s in Status if s not in ALLOWED[self.current_status]]
        return [(label(s), refusal_reason(self.current_status, s) or "") for s in refused]

    def current_status_label(self) -> str:
        return label(self.current_status)

    # Checks ------------------------------------------------------------------------------
    def clean_source_published_on(self) -> datetime.date | None:
        value = self.cleaned_data.get("source_published_on")
        if value and (problem := year_problem(value.year)):
            raise ValidationError(problem)
        return value

    def clean_classification(self) -> str:
        value = self.cleaned_data["classification"]
        if access.is_sensitive_classification(value) and not access.sees_sensitive(self.user):
            raise ValidationError("You need clearance to enter OFFICIAL-SENSITIVE items.")
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or self.cleaned_data
        self._clean_source(data)
        self._clean_move(data)
        return data

    def _clean_move(self, data: dict[str, Any]) -> None:
        """A status move must be allowed from the status on the event's own date."""
        value = data.get("new_status", "")
        occurred_on = data.get("occurred_on")
        if not value or self.status_on is None or occurred_on is None:
            return
        day = period_start(occurred_on, data.get("precision") or DatePrecision.DAY)
        reason = refusal_reason(self.status_on(day) or None, value)
        if reason:
            self.add_error("new_status", reason)

    def _clean_source(self, data: dict[str, Any]) -> None:
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
        "occurred_on": {
            "day": day.day if event.precision == DatePrecision.DAY else None,
            "month": day.month if event.precision != DatePrecision.YEAR else None,
            "year": day.year,
        },
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
    submission_key = forms.CharField(required=False, widget=forms.HiddenInput, initial=new_key)
