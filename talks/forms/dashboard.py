"""The dashboard's query parameters: scheme, as-of date, map view, route year, sort, country.

Bad values never fail the page: each falls back to its default and the user is told why.
"""

import datetime
from dataclasses import dataclass, replace
from functools import cached_property
from typing import cast
from urllib.parse import urlencode

from django import forms

from countries.geography import BALKANS, VIEWS
from talks.models import DEFAULT_SCHEME, Scheme

SORTS = {
    "country": "Country",
    "status": "Status",
    "since": "Since",
    "last_event": "Last event",
}
SORT_CHOICES = [(key, key) for key in SORTS] + [(f"-{key}", f"-{key}") for key in SORTS]


class DashboardFilterForm(forms.Form):
    scheme = forms.ChoiceField(required=False)
    date = forms.DateField(
        required=False,
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": "Enter the date as a real date, for example 2025-06-01."},
    )
    view = forms.ChoiceField(required=False, choices=list(VIEWS.items()))
    year = forms.TypedChoiceField(required=False, coerce=int, empty_value=None)
    sort = forms.ChoiceField(required=False, choices=SORT_CHOICES)
    country = forms.SlugField(required=False, max_length=100)

    def __init__(self, data, *, schemes: list[Scheme], years: list[int]) -> None:
        super().__init__(data)
        cast(forms.ChoiceField, self.fields["scheme"]).choices = [(s.slug, s.name) for s in schemes]
        self.fields["scheme"].error_messages["invalid_choice"] = (
            "There is no scheme called “%(value)s”. Showing the default scheme instead."
        )
        cast(forms.ChoiceField, self.fields["year"]).choices = [(year, year) for year in years]
        self.fields["year"].error_messages["invalid_choice"] = (
            "There is no route figure for %(value)s. Showing the latest year instead."
        )
        self.fields["country"].error_messages["invalid"] = (
            "A country in the address must be written like “north-macedonia”."
        )
        self.fields["view"].error_messages["invalid_choice"] = (
            "Choose the Western Balkans or Europe and Africa view."
        )


@dataclass(frozen=True)
class DashboardFilters:
    scheme: Scheme | None
    as_of: datetime.date
    view: str
    year: int | None
    sort: str
    country: str
    errors: tuple[tuple[str, str], ...] = ()

    def query(self, **changes) -> str:
        """The URL query that reproduces this view, with `changes` applied."""
        values = replace(self, **changes) if changes else self
        params = {
            "scheme": values.scheme.slug if values.scheme else "",
            "date": values.as_of.isoformat(),
            "view": values.view,
            "year": values.year or "",
            "sort": values.sort,
            "country": values.country,
        }
        return urlencode({key: value for key, value in params.items() if value})

    @cached_property
    def query_string(self) -> str:
        """`query()`, worked out once: the table links every row with it."""
        return self.query()

    @property
    def without_country(self) -> str:
        return self.query(country="")


def _default_scheme(schemes: list[Scheme]) -> Scheme | None:
    return next((s for s in schemes if s.slug == DEFAULT_SCHEME), schemes[0] if schemes else None)


def resolve_filters(
    data, *, schemes: list[Scheme], years: list[int], today: datetime.date
) -> DashboardFilters:
    """Read the query string; every field that is missing or wrong takes its default."""
    form = DashboardFilterForm(data, schemes=schemes, years=years)
    form.is_valid()
    clean = form.cleaned_data
    by_slug = {scheme.slug: scheme for scheme in schemes}
    errors = tuple(
        (name, str(message)) for name, messages in form.errors.items() for message in messages
    )
    return DashboardFilters(
        scheme=by_slug.get(clean.get("scheme") or "") or _default_scheme(schemes),
        as_of=clean.get("date") or today,
        view=clean.get("view") or BALKANS,
        year=clean.get("year") or (max(years) if years else None),
        sort=clean.get("sort") or "country",
        country=clean.get("country") or "",
        errors=errors,
    )
