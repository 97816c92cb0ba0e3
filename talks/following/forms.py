from django import forms

from talks.following.models import Frequency


class FrequencyForm(forms.Form):
    frequency = forms.ChoiceField(
        label="Email me a digest of what changed",
        choices=[
            (Frequency.DAILY, "Daily"),
            (Frequency.WEEKLY, "Weekly"),
            (Frequency.OFF, "Never: I will look on the site"),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose daily, weekly or never.",
            "invalid_choice": "Choose daily, weekly or never.",
        },
    )
