"""Failed sign-ins: locked out per normalised username and client address (django-axes)."""

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOOK_ALIKES = ["ｖictim", "𝐯𝐢𝐜𝐭𝐢𝐦", "VICTIM", " victim "]


@pytest.fixture
def victim(db):
    return UserFactory(username="victim")


def sign_in(client, username, password=PASSWORD, ip="10.0.0.1", **headers):
    return client.post(
        reverse("login"),
        {"login": username, "password": password, "next": "/healthz"},
        REMOTE_ADDR=ip,
        **headers,
    )


def lock_out(client, username="victim", ip="10.0.0.1", **headers):
    for attempt in range(1, 6):
        response = sign_in(client, username, "wrong", ip=ip, **headers)
        assert response.status_code == (429 if attempt == 5 else 200), attempt
    return response


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def refused(response) -> bool:
    """Refused for too many attempts: django-axes' lockout page or allauth's per-address limit
    (429), or, while allauth's own count for this username and address is also full, the
    sign-in form saying so."""
    return response.status_code == 429 or "Too many failed attempts" in response.content.decode()


def test_the_fifth_failure_locks_out_even_the_right_password(client, victim, settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    fifth = lock_out(client)
    assert "Too many failed attempts" in fifth.content.decode()
    assert "govuk-error-summary" in fifth.content.decode()
    right = sign_in(client, "victim")
    assert refused(right)
    assert not signed_in(client)


def test_a_look_alike_username_signs_in_as_the_user_when_not_locked_out(client, victim):
    """Authentication folds full-width and mathematical-bold letters (NFKC), as Django does."""
    assert sign_in(client, "ｖictim").status_code == 302
    assert client.session["_auth_user_id"] == str(victim.pk)


@pytest.mark.parametrize("look_alike", LOOK_ALIKES)
def test_a_look_alike_username_is_locked_out_with_the_user(client, victim, look_alike):
    lock_out(client)
    response = sign_in(client, look_alike)
    assert refused(response)
    assert not signed_in(client)


def test_failures_under_look_alike_names_count_together(client, victim):
    for name in ["victim", "ｖictim", "𝐯𝐢𝐜𝐭𝐢𝐦", "Victim"]:
        assert sign_in(client, name, "wrong").status_code == 200
    assert sign_in(client, "ＶＩＣＴＩＭ", "wrong").status_code == 429
    assert refused(sign_in(client, "victim"))
    assert AccessAttempt.objects.get().username == "victim"


def test_a_second_user_at_the_same_address_is_not_locked_out(client, victim):
    colleague = UserFactory(username="colleague")
    lock_out(client)
    assert sign_in(client, "colleague").status_code == 302
    assert client.session["_auth_user_id"] == str(colleague.pk)


def test_the_user_at_another_address_is_not_locked_out(client, victim):
    lock_out(client, ip="203.0.113.9")
    assert sign_in(client, "victim", ip="10.0.0.1").status_code == 302


def test_a_forged_forwarded_header_does_not_move_the_lockout(client, victim, settings):
    """Without a trusted proxy, X-Forwarded-For is the client's own text and is ignored."""
    settings.TRUSTED_PROXIES = []
    for attempt in range(5):
        sign_in(client, "victim", "wrong", HTTP_X_FORWARDED_FOR=f"198.51.100.{attempt}")
    assert refused(sign_in(client, "victim", HTTP_X_FORWARDED_FOR="198.51.100.77"))


def test_behind_a_trusted_proxy_the_real_client_is_locked_out_not_everyone(
    client, victim, settings
):
    """Every request comes from the proxy (10.0.0.1); its X-Forwarded-For names the client."""
    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]
    attacker = {"HTTP_X_FORWARDED_FOR": "203.0.113.66"}
    lock_out(client, **attacker)
    # The attacker's forged prefix is ignored: the proxy appended the real address.
    forged = {"HTTP_X_FORWARDED_FOR": "192.0.2.1, 203.0.113.66"}
    assert refused(sign_in(client, "victim", **forged))
    real_user = {"HTTP_X_FORWARDED_FOR": "192.0.2.10"}
    assert sign_in(client, "victim", **real_user).status_code == 302


def test_a_successful_sign_in_clears_the_lockout_count(client, victim):
    for _ in range(4):
        sign_in(client, "victim", "wrong")
    assert sign_in(client, "victim").status_code == 302
    client.logout()
    assert sign_in(client, "victim", "wrong").status_code == 200  # a fifth failure, not locked
    assert AccessAttempt.objects.get().failures_since_start == 1


def test_the_admin_sign_in_is_the_apps_sign_in(client):
    response = client.get("/admin/login/?next=/admin/auth/user/")
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=%2Fadmin%2Fauth%2Fuser%2F"
    posted = client.post("/admin/login/", {"username": "admin", "password": "x"})
    assert posted.status_code == 302 and posted["Location"].startswith("/login/")


def test_a_locked_out_administrator_cannot_reach_the_admin(client, settings):
    UserFactory(username="root", is_staff=True, is_superuser=True)
    for _ in range(40):
        sign_in(client, "root", "wrong")
    assert refused(sign_in(client, "root"))
    assert not signed_in(client)
    assert client.get("/admin/").status_code == 302
