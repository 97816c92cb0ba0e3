"""A small scheme with OFFICIAL and OFFICIAL-SENSITIVE events, for briefing and export tests."""

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import Group, Permission

from talks.models import Candidacy, Classification, Scheme
from talks.rules.statuses import Status
from tests.factories import (
    CandidacyFactory,
    CountryFactory,
    SchemeFactory,
    SourceFactory,
    UserFactory,
    add_event,
)

AS_OF = datetime.date(2025, 12, 31)
SINCE = datetime.date(2025, 9, 30)
SECRET = "Secret Serbian channel"


def cleared_recorder():
    """A cleared analyst who records the test events."""
    user = UserFactory(username="recorder")
    user.groups.add(Group.objects.get(name="Analysts"))
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="talks", codename="view_sensitive")
    )
    return user


@dataclass
class BriefingData:
    scheme: Scheme
    kosovo: Candidacy
    serbia: Candidacy
    montenegro: Candidacy


def make_scheme_data() -> BriefingData:
    recorder = cleared_recorder()
    scheme = SchemeFactory(name="UK return hubs (2025)", slug="uk-return-hubs-2025")
    countries = {
        code: CountryFactory(name=name, slug=name.lower(), code=code)
        for code, name in [("XKX", "Kosovo"), ("SRB", "Serbia"), ("MNE", "Montenegro")]
    }
    kosovo, serbia, montenegro = (
        CandidacyFactory(scheme=scheme, country=countries[code]) for code in ("XKX", "SRB", "MNE")
    )
    sky = SourceFactory(outlet="Sky News", title="Interview with President Osmani")
    upday = SourceFactory(outlet="upday (PA)", title="Albania rejects UK return hubs")
    add_event(
        kosovo,
        recorder,
        occurred_on=datetime.date(2025, 5, 16),
        new_status=Status.OPEN,
        title="Osmani: Kosovo would be open to discussing it",
        source=sky,
        quote="We would be open to discussing it",
        speaker="Vjosa Osmani",
    )
    add_event(
        serbia,
        recorder,
        occurred_on=datetime.date(2025, 5, 26),
        new_status=Status.SHORTLISTED,
        title="Named on the UK's shortlist",
        source=sky,
    )
    add_event(
        kosovo,
        recorder,
        occurred_on=datetime.date(2025, 10, 21),
        new_status=Status.EXPLORATORY,
        title="Kurti: Kosovo wants to help the UK",
        source=upday,
        quote="We want to help the UK",
        speaker="Albin Kurti",
    )
    add_event(
        montenegro,
        recorder,
        occurred_on=datetime.date(2025, 10, 21),
        new_status=Status.OPEN,
        title="Spajić: yes, for €10bn of railways",
        source=upday,
    )
    add_event(
        serbia,
        recorder,
        occurred_on=datetime.date(2025, 11, 3),
        new_status=Status.NEGOTIATING,
        title=SECRET,
        summary="Back-channel talks.",
        classification=Classification.OFFICIAL_SENSITIVE,
    )
    return BriefingData(scheme, kosovo, serbia, montenegro)
