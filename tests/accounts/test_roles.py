"""The claim -> role map, applied at every sign-in; the sign-in page with and without OIDC."""

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from hubtracker.accounts.client_address import client_address
from hubtracker.accounts.roles import apply_roles, parse_role_map, roles_from_claims
from hubtracker.accounts.usernames import lockout_key
from tests.factories import UserFactory

ROLE_MAP = "hub-viewers=Viewers, hub-analysts=Analysts,hub-managers=Managers,hub-cleared=clearance"


def test_the_role_map_is_parsed_and_refuses_an_unknown_role():
    assert parse_role_map(ROLE_MAP)["hub-cleared"] == {"clearance"}
    assert parse_role_map("team=Analysts,team=clearance") == {"team": {"Analysts", "clearance"}}
    with pytest.raises(ImproperlyConfigured, match="Admins"):
        parse_role_map("hub-admins=Admins")
    with pytest.raises(ImproperlyConfigured):
        parse_role_map("no-equals-sign")


def test_roles_come_from_the_configured_claim_as_a_list_or_a_string(settings):
    settings.OIDC_ROLE_MAP = ROLE_MAP
    settings.OIDC_ROLES_CLAIM = "roles"
    assert roles_from_claims({"roles": ["hub-analysts", "hub-cleared", "other"]}) == {
        "Analysts",
        "clearance",
    }
    assert roles_from_claims({"roles": "hub-viewers hub-managers"}) == {"Viewers", "Managers"}
    assert roles_from_claims({"groups": ["hub-analysts"]}) == set()
    assert roles_from_claims({}) == set()


@pytest.mark.django_db
def test_applying_roles_sets_exactly_the_role_groups_and_clearance_and_keeps_other_groups():
    user = UserFactory(username="carol")
    other = Group.objects.create(name="Press office")
    user.groups.add(other, Group.objects.get(name="Managers"))
    apply_roles(user, {"Analysts", "clearance"})
    assert set(user.groups.values_list("name", flat=True)) == {"Analysts", "Press office"}
    assert user.has_perm("talks.view_sensitive")
    apply_roles(user, {"Viewers"})
    assert set(user.groups.values_list("name", flat=True)) == {"Viewers", "Press office"}
    assert not user.has_perm("talks.view_sensitive")


def test_usernames_fold_as_authentication_folds_them():
    assert lockout_key("ｖictim") == lockout_key("𝐯𝐢𝐜𝐭𝐢𝐦") == lockout_key(" VICTIM ") == "victim"


def test_the_client_address_is_read_behind_trusted_proxies_only(rf, settings):
    request = rf.get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.7")
    settings.TRUSTED_PROXIES = []
    assert client_address(request) == "10.0.0.5"
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert client_address(request) == "203.0.113.7"
    chained = rf.get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="203.0.113.7, 10.1.1.1")
    assert client_address(chained) == "203.0.113.7"
    garbage = rf.get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="not-an-address")
    assert client_address(garbage) == "10.0.0.5"
    direct = rf.get("/", REMOTE_ADDR="198.51.100.1", HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert client_address(direct) == "198.51.100.1"


@pytest.mark.django_db
def test_without_oidc_the_sign_in_page_is_the_password_form_alone(client, settings):
    assert not settings.OIDC_ENABLED
    page = client.get(reverse("login")).content.decode()
    assert 'id="id_login"' in page and 'id="id_password"' in page
    assert "sign-in-with-provider" not in page


@pytest.mark.django_db
def test_nobody_signs_themselves_up(client):
    response = client.post(
        "/accounts/signup/", {"username": "newcomer", "password1": "x" * 20, "password2": "x" * 20}
    )
    assert response.status_code == 200
    assert "newcomer" not in "".join(
        UserFactory._meta.model.objects.values_list("username", flat=True)
    )


@pytest.mark.django_db
def test_the_account_page_says_whether_the_user_is_cleared(client, analyst, cleared_analyst):
    client.force_login(analyst)
    assert "Not cleared" in client.get(reverse("account")).content.decode()
    client.force_login(cleared_analyst)
    assert "Cleared for OFFICIAL-SENSITIVE" in client.get(reverse("account")).content.decode()
