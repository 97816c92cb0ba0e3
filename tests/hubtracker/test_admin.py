import pytest
from django.core.management import call_command
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
