import datetime
import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from talks.models import Candidacy, TalkEvent
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

MODELS = [
    "countries/country",
    "countries/migrationroute",
    "talks/scheme",
    "talks/candidacy",
    "talks/source",
    "talks/talkevent",
    "talks/auditentry",
    "api/apitoken",
]


@pytest.fixture
def admin_client(client):
    call_command("load_demo_data")
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize("model", MODELS)
def test_every_model_has_an_admin_changelist(admin_client, model):
    assert admin_client.get(f"/admin/{model}/").status_code == 200


def test_events_are_read_only_in_the_admin(admin_client):
    event = TalkEvent.objects.first()
    page = admin_client.get(reverse("admin:talks_talkevent_change", args=[event.pk]))
    assert page.status_code == 200
    assert b'name="_save"' not in page.content
    assert admin_client.get(reverse("admin:talks_talkevent_add")).status_code == 403


def test_candidacy_status_cannot_be_edited_in_the_admin(admin_client):
    candidacy = Candidacy.objects.exclude(status="").first()
    url = reverse("admin:talks_candidacy_change", args=[candidacy.pk])
    page = admin_client.get(url)
    assert b'name="status"' not in page.content
    admin_client.post(
        url,
        {
            "scheme": candidacy.scheme_id,
            "country": candidacy.country_id,
            "status": "operational",
            "note": "edited",
        },
    )
    candidacy.refresh_from_db()
    assert candidacy.status != "operational"


def test_the_event_changelist_counts_the_list_once_and_caps_it_on_postgresql(admin_client):
    with CaptureQueriesContext(connection) as queries:
        page = admin_client.get(reverse("admin:talks_talkevent_changelist"))
    assert page.status_code == 200
    counts = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
    assert len(counts) == 1  # no count of every event beside the filtered list's
    if connection.vendor == "postgresql":
        assert "LIMIT 1001" in counts[0]  # past that, the planner's estimate
    total = TalkEvent.objects.count()
    assert f"{total} talk events" in page.text


def test_the_event_date_hierarchy_lists_the_years_with_events_without_reading_every_date(
    admin_client,
):
    event = TalkEvent.objects.order_by("occurred_on").first()
    TalkEvent.objects.filter(pk=event.pk).update(occurred_on=datetime.date(2001, 6, 1))
    years = sorted({day.year for day in TalkEvent.objects.values_list("occurred_on", flat=True)})
    with CaptureQueriesContext(connection) as queries:
        page = admin_client.get(reverse("admin:talks_talkevent_changelist"))
    listed = [int(y) for y in re.findall(r"\?occurred_on__year=(\d{4})", page.text)]
    assert listed == years and 2002 not in listed
    assert not [q for q in queries.captured_queries if "DISTINCT" in q["sql"].upper()]
    month = admin_client.get(
        reverse("admin:talks_talkevent_changelist"), {"occurred_on__year": 2001}
    )
    assert "?occurred_on__month=6&amp;occurred_on__year=2001" in month.text
