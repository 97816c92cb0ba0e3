"""The briefing form: scheme(s), "as of", "changes since" and, for cleared users only, whether
to include OFFICIAL-SENSITIVE material. Dates use the GOV.UK date input (talks/forms/dates.py).
"""

import datetime
import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from talks import access
from talks.forms.dates import GovDateField
from talks.models import DEFAULT_SCHEME, Person, Scheme
from talks.selectors.briefings import BriefingRequest

DEFAULT_WINDOW_DAYS = 90
EARLIEST = datetime.date(1990, 1, 1)


BIGINT = range(-(2**63), 2**63)
WHOLE_NUMBER = re.compile(r"-?[0-9]+")


class SchemesField(forms.ModelMultipleChoiceField):
    """Scheme ids from the query string. A value that is not a 64-bit whole number is not a
    choice; it never reaches the database (SQLite cannot even be asked about one)."""

    def _check_values(self, value):
        for pk in value if isinstance(value, list | tuple) else []:
            text = str(pk).strip()
            if not WHOLE_NUMBER.fullmatch(text) or int(text) not in BIGINT:
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": pk},
                )
        return super()._check_values(value)  # type: ignore[misc]  # Django has it, the stubs not


class SchemeCheckboxes(forms.CheckboxSelectMultiple):
    """Checkboxes whose field's id is the first box's, for the error summary to link to."""

    def id_for_label(self, id_: str, index: str | None = "0") -> str:
        return super().id_for_label(id_, index)


class BriefingForm(forms.Form):
    schemes = SchemesField(
        queryset=Scheme.objects.order_by("-announced_on", "name"),
        widget=SchemeCheckboxes,
        error_messages={"required": "Select at least one scheme"},
    )
    as_of = GovDateField(noun="'as of' date")
    changes_since = GovDateField(noun="'changes since' date")
    include_sensitive = forms.BooleanField(required=False)

    def __init__(self, *args, user: Person, today: datetime.date, **kwargs) -> None:
        kwargs.setdefault("auto_id", "%s")  # ids as the boxes' names: as_of_day, schemes_0
        super().__init__(*args, **kwargs)
        self.user = user
        self.today = today
        self.cleared = access.sees_sensitive(user)
        default = Scheme.objects.filter(slug=DEFAULT_SCHEME).values_list("pk", flat=True)
        self.initial.setdefault("schemes", list(default))
        self.initial.setdefault("as_of", today)
        self.initial.setdefault("changes_since", today - datetime.timedelta(DEFAULT_WINDOW_DAYS))

    def clean_as_of(self) -> datetime.date:
        as_of = self.cleaned_data["as_of"]
        if as_of > self.today:
            raise ValidationError("The 'as of' date must be today or in the past")
        if as_of < EARLIEST:
            raise ValidationError(f"The 'as of' date must be after {EARLIEST.year}")
        return as_of

    def clean_include_sensitive(self) -> bool:
        wanted = self.cleaned_data["include_sensitive"]
        if wanted and not self.cleared:
            raise ValidationError(
                "You do not have clearance to include OFFICIAL-SENSITIVE material"
            )
        return wanted

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        as_of, since = cleaned.get("as_of"), cleaned.get("changes_since")
        if as_of and since and since >= as_of:
            self.add_error("changes_since", "The 'changes since' date must be before 'as of'")
        return cleaned

    def filters_for_log(self) -> dict:
        data = self.cleaned_data
        return {
            "schemes": [scheme.slug for scheme in data["schemes"]],
            "as_of": data["as_of"].isoformat(),
            "changes_since": data["changes_since"].isoformat(),
            "include_sensitive": data["include_sensitive"],
        }

    def briefing_request(self) -> BriefingRequest:
        data = self.cleaned_data
        return BriefingRequest(
            schemes=list(data["schemes"]),
            as_of=data["as_of"],
            changes_since=data["changes_since"],
            include_sensitive=data["include_sensitive"],
        )
