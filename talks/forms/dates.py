"""The one GOV.UK date input: day, month and year boxes; each error names the box it is about.

Used by the event form (whose date may be a day, a month, a quarter or a year: it asks only for
the parts its precision needs) and the briefing form. What a typed date may be:

- each part typed is a whole number ("Enter the month as a number, like 5.");
- every part needed is there ("The date must include a day.", or `required_message` when none is);
- the year is one HubTracker stores (`talks.rules.dates.year_problem`);
- the parts make a real date ("The date must be a real date.").

Each error carries the part it is about (`params["part"]`): the page marks that box, and the
error summary links to it (`DateBoundField.id_for_label`).
"""

import datetime
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import ErrorList

from talks.rules.dates import year_problem

PARTS = ("day", "month", "year")
NUMBER_MESSAGES = {
    "day": "Enter the day as a number.",
    "month": "Enter the month as a number, like 5.",
    "year": "Enter the year as a number, like 2025.",
}
WIDTHS = {"day": 2, "month": 2, "year": 4}


def _error(message: str, part: str) -> ValidationError:
    return ValidationError(message, code=part, params={"part": part})


def _numbers(typed: dict[str, str]) -> dict[str, int | None]:
    """Each typed part as a whole number (None where empty); every part that is not, refused."""
    numbers: dict[str, int | None] = {}
    errors = []
    for part in PARTS:
        text = typed[part]
        if text and not text.isdigit():
            errors.append(_error(NUMBER_MESSAGES[part], part))
        numbers[part] = int(text) if text.isdigit() else None
    if errors:
        raise ValidationError(errors)
    return numbers


class DatePartsWidget(forms.MultiWidget):
    """Three boxes named `<name>_day`, `<name>_month`, `<name>_year`, or, for a form with one
    date, plain `day`, `month`, `year` (`plain_names=True`)."""

    def __init__(self, *, plain_names: bool = False) -> None:
        self.plain_names = plain_names
        super().__init__(widgets={part: forms.TextInput() for part in PARTS})

    def box_name(self, name: str, part: str) -> str:
        return part if self.plain_names else f"{name}_{part}"

    def value_from_datadict(self, data: Any, files: Any, name: str) -> list[str]:
        return [str(data.get(self.box_name(name, part)) or "").strip() for part in PARTS]

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return all(self.box_name(name, part) not in data for part in PARTS)

    def decompress(self, value: Any) -> list[object]:
        """A date's parts; a dict of parts (a month or a year: some of them None) as it is."""
        if isinstance(value, datetime.date):
            return [value.day, value.month, value.year]
        if isinstance(value, dict):
            return [value.get(part) for part in PARTS]
        return [None, None, None]


@dataclass(frozen=True)
class DateBox:
    """One box as the template draws it."""

    part: str
    label: str
    name: str
    id: str
    value: str
    width: int
    in_error: bool


class DateBoundField(forms.BoundField):
    """A date field as the template sees it: its three boxes, and the box its error is about."""

    field: "GovDateField"

    @property
    def date_widget(self) -> DatePartsWidget:
        return self.field.widget

    def box_id(self, part: str) -> str:
        auto_id = self.form.auto_id
        name = self.date_widget.box_name(self.html_name, part)
        return auto_id % name if isinstance(auto_id, str) and "%s" in auto_id else name

    def error_parts(self) -> set[str]:
        """The parts the field's errors are about (every part for an error about none)."""
        errors = self.form.errors.get(self.name)
        if not isinstance(errors, ErrorList):
            return set()
        parts = set()
        for error in errors.as_data():
            part = (error.params or {}).get("part")
            parts |= {part} if part in PARTS else set(self.field.needed)
        return parts

    @property
    def id_for_label(self) -> str:
        """The box the error summary links to: the first one in error, else the first needed."""
        wrong = self.error_parts()
        first = next((part for part in PARTS if part in wrong), self.field.needed[0])
        return self.box_id(first)

    def typed_parts(self) -> dict[str, str]:
        if self.form.is_bound:
            typed = self.date_widget.value_from_datadict(self.form.data, {}, self.html_name)
        else:
            parts = self.date_widget.decompress(self.value())
            typed = ["" if part is None else str(part) for part in parts]
        return dict(zip(PARTS, typed, strict=True))

    @property
    def boxes(self) -> list[DateBox]:
        wrong = self.error_parts()
        typed = self.typed_parts()
        return [
            DateBox(
                part=part,
                label=part.capitalize(),
                name=self.date_widget.box_name(self.html_name, part),
                id=self.box_id(part),
                value=typed[part],
                width=WIDTHS[part],
                in_error=part in wrong,
            )
            for part in PARTS
        ]


class GovDateField(forms.Field):
    """A date typed as day, month and year (the GOV.UK date input).

    `noun` names the date in messages ("The {noun} must be a real date."); `required_message`
    is what an empty required date says. `needed` is the parts a date must have; a part not
    needed may be left empty (the day of a month) and is then 1.
    """

    widget: DatePartsWidget
    bound_field_class = DateBoundField

    def __init__(
        self,
        *,
        noun: str,
        required_message: str = "",
        plain_names: bool = False,
        **kwargs: Any,
    ) -> None:
        self.noun = noun
        self.needed: tuple[str, ...] = PARTS
        kwargs.setdefault("widget", DatePartsWidget(plain_names=plain_names))
        super().__init__(**kwargs)
        self.error_messages["required"] = required_message or f"Enter the {noun}."

    def to_python(self, value: Any) -> datetime.date | None:
        typed = dict(zip(PARTS, (str(p or "").strip() for p in value or ["", "", ""]), strict=True))
        numbers = _numbers(typed)
        missing = [part for part in self.needed if numbers[part] is None]
        if missing == list(self.needed):
            return None  # validate() says whether an empty date is allowed
        if missing:
            message = f"The {self.noun} must include a {' and a '.join(missing)}."
            raise _error(message, missing[0])
        return self._date(numbers)

    def _date(self, numbers: dict[str, int | None]) -> datetime.date:
        year, month = numbers["year"] or 0, numbers["month"] or 1
        day = numbers["day"] if "day" in self.needed else 1
        if problem := year_problem(year):
            raise _error(problem, "year")
        try:
            return datetime.date(year, month, day or 1)
        except (ValueError, OverflowError):  # 31 February; a day beyond a C long
            part = "month" if not 1 <= month <= 12 else "day"
            raise _error(f"The {self.noun} must be a real date.", part) from None

    def validate(self, value: Any) -> None:
        if value is None and self.required:
            raise _error(str(self.error_messages["required"]), self.needed[0])
