"""Finding what an address names (a scheme, a country, a candidacy), the schemes a page offers,
and where an event can be recorded. Views call these instead of querying."""

from django.db.models import QuerySet

from countries.models import Country
from talks import access
from talks.models import Candidacy, ExportLog, Person, Scheme, TalkEvent


def find_scheme(*, slug: str) -> Scheme | None:
    return Scheme.objects.filter(slug=slug).first()


def find_country(*, slug: str) -> Country | None:
    return Country.objects.filter(slug=slug).first()


def all_schemes() -> list[Scheme]:
    """Every scheme with its sending country, as the filters offer them (one query)."""
    return list(Scheme.objects.select_related("sending_country"))


def export_log_entries() -> QuerySet[ExportLog]:
    """The export log, newest first, with who exported (for pagination)."""
    return ExportLog.objects.select_related("user").order_by("-created_at", "-id")


def find_visible_event(*, user: Person, pk: int) -> TalkEvent | None:
    """The event with its scheme, country and source, if `user` may see it (a user cannot act on
    what they cannot see), or None."""
    events = TalkEvent.objects.select_related(
        "scheme", "candidacy__country", "candidacy__scheme", "source"
    )
    return access.visible_events(user, events).filter(pk=pk).first()


def find_candidacy(*, scheme_slug: str, country_slug: str) -> Candidacy | None:
    """The candidacy of a country in a scheme, with both joined, or None."""
    return (
        Candidacy.objects.select_related("scheme", "country")
        .filter(scheme__slug=scheme_slug, country__slug=country_slug)
        .first()
    )


def event_targets() -> list[tuple[str, list[tuple[str, str]]]]:
    """Where an event can be recorded: each scheme as a whole, then each of its candidacies."""
    groups: dict[int, tuple[str, list[tuple[str, str]]]] = {}
    for scheme in Scheme.objects.order_by("-announced_on", "name"):
        groups[scheme.pk] = (scheme.name, [(scheme.slug, f"{scheme.name}: the whole scheme")])
    candidacies = Candidacy.objects.select_related("scheme", "country").order_by("country__name")
    for candidacy in candidacies:
        value = f"{candidacy.scheme.slug}/{candidacy.country.slug}"
        groups[candidacy.scheme_id][1].append((value, candidacy.country.name))
    return list(groups.values())
