"""Parameters of the API's own lists (the event list uses the event log's form as it is)."""

import datetime

from django import forms
from django.utils import timezone

from countries.models import Country
from talks.api.tokens import EXPIRY_CHOICES
from talks.forms.event_log import EARLIEST, LATEST
from talks.models import Scheme


class CandidacyParameters(forms.Form):
    scheme = forms.ModelChoiceField(
        queryset=Scheme.objects.all(),
        to_field_name="slug",
        required=False,
        error_messages={"invalid_choice": "There is no scheme with that slug (see /schemes)."},
    )
    country = forms.ModelChoiceField(
        queryset=Country.objects.all(),
        to_field_name="slug",
        required=False,
        error_messages={"invalid_choice": "There is no country with that slug (see /countries)."},
    )
    as_of = forms.DateField(
        required=False,
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": "Enter the date as YYYY-MM-DD, for example 2025-06-01."},
    )

    def clean_as_of(self) -> datetime.date:
        value = self.cleaned_data.get("as_of") or timezone.localdate()
        if not EARLIEST <= value <= LATEST:
            raise forms.ValidationError(f"Enter a date between {EARLIEST.year} and {LATEST.year}.")
        return value


class TokenForm(forms.Form):
    name = forms.CharField(
        label="Name",
        max_length=100,
        help_text="What the token is for, for example “Power BI report”.",
        error_messages={"required": "Enter a name for the token."},
    )
    days = forms.TypedChoiceField(
        label="Expires after",
        coerce=int,
        choices=list(EXPIRY_CHOICES.items()),
        initial=90,
        error_messages={"invalid_choice": "Choose when the token expires."},
    )
