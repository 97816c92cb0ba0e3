"""The briefing form: scheme(s), "as of", "changes since" and, for cleared users only, whether
to include OFFICIAL-SENSITIVE material. Dates use the GOV.UK date input (day, month, year).
"""

import datetime

from django import forms
from django.core.exceptions import ValidationError

from talks.briefings import BriefingRequest
from talks.models import Scheme
from talks.selectors import can_see_sensitive

DEFAULT_SCHEME = "uk-return-hubs-2025"
DEFAULT_WINDOW_DAYS = 90
EARLIEST = datetime.date(1990, 1, 1)
PARTS = ("day", "month", "year")


class DatePartsWidget(forms.MultiWidget):
    """Three boxes named `<name>_day`, `<name>_month`, `<name>_year`."""

    def __init__(self) -> None:
        super().__init__(widgets={part: forms.TextInput() for part in PARTS})

    def decompress(self, value):
        if isinstance(value, datetime.date):
            return [value.day, value.month, value.year]
        return [None, None, None]


class GovDateField(forms.Field):
    """A date typed as day, month and year, with GOV.UK's error messages."""

    widget = DatePartsWidget

    def __init__(self, *, noun: str, **kwargs) -> None:
        self.noun = noun
        super().__init__(**kwargs)

    def to_python(self, value) -> datetime.date | None:
        parts = [str(p or "").strip() for p in (value or ["", "", ""])]
        if not any(parts):
            return None
        missing = [name for name, part in zip(PARTS, parts, strict=True) if not part]
        if missing:
            raise ValidationError(f"The {self.noun} must include a {missing[0]}")
        if not all(part.isdigit() for part in parts) or len(parts[2]) != 4:
            raise ValidationError(f"The {self.noun} must be a real date")
        try:
            return datetime.date(int(parts[2]), int(parts[1]), int(parts[0]))
        except ValueError:
            raise ValidationError(f"The {self.noun} must be a real date") from None

    def validate(self, value) -> None:
        if value is None and self.required:
            raise ValidationError(f"Enter the {self.noun}")


class BriefingForm(forms.Form):
    schemes = forms.ModelMultipleChoiceField(
        queryset=Scheme.objects.order_by("-announced_on", "name"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one scheme"},
    )
    as_of = GovDateField(noun="'as of' date")
    changes_since = GovDateField(noun="'changes since' date")
    include_sensitive = forms.BooleanField(required=False)

    def __init__(self, *args, user, today: datetime.date, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.today = today
        self.cleared = can_see_sensitive(user)
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

    def clean(self):
        cleaned = super().clean()
        as_of, since = cleaned.get("as_of"), cleaned.get("changes_since")
        if as_of and since and since >= as_of:
            self.add_error("changes_since", "The 'changes since' date must be before 'as of'")
        return cleaned

    def date_parts(self, name: str) -> dict[str, str]:
        """What to show in the three boxes: what was typed, or the initial date."""
        if self.is_bound:
            return {part: self.data.get(f"{name}_{part}", "") for part in PARTS}
        value = self.initial.get(name)
        return {part: str(getattr(value, part)) for part in PARTS} if value else {}

    @property
    def day_parts(self) -> dict[str, dict[str, str]]:
        return {name: self.date_parts(name) for name in ("as_of", "changes_since")}

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
