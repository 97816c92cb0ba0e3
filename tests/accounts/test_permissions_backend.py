"""A user's permissions: the same answer as Django's ModelBackend, read in one query."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission

from hubtracker.accounts.backends import OneQueryPermissionsBackend
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def fresh(user):
    """The user as the next request loads it: nothing kept from earlier questions."""
    return get_user_model().objects.get(pk=user.pk)


@pytest.fixture
def people(viewer, analyst, cleared_manager):
    direct = UserFactory(username="direct")
    direct.user_permissions.add(Permission.objects.get(codename="record_event"))
    both = UserFactory(username="both")
    both.groups.add(Group.objects.get(name="Viewers"))
    both.user_permissions.add(Permission.objects.get(codename="record_event"))
    nobody = UserFactory(username="nobody")
    superuser = UserFactory(username="root", is_superuser=True)
    gone = UserFactory(username="gone", is_active=False)
    gone.groups.add(Group.objects.get(name="Analysts"))
    return [viewer, analyst, cleared_manager, direct, both, nobody, superuser, gone]


def test_the_answer_is_django_modelbackends_for_every_kind_of_user(people):
    for person in people:
        expected = ModelBackend().get_all_permissions(fresh(person))
        assert OneQueryPermissionsBackend().get_all_permissions(fresh(person)) == expected
        assert fresh(person).has_perm("talks.record_event") == ("talks.record_event" in expected)
    assert "talks.record_event" in ModelBackend().get_all_permissions(fresh(people[3]))
    assert ModelBackend().get_all_permissions(fresh(people[-1])) == set()  # inactive


def test_the_first_question_of_a_request_costs_one_query_and_the_rest_none(
    analyst, django_assert_num_queries
):
    person = fresh(analyst)
    with django_assert_num_queries(1):
        assert person.has_perm("talks.record_event")
        assert not person.has_perm("talks.view_sensitive")
        assert person.has_perms(["talks.record_event"])


def test_a_group_taken_away_counts_from_the_next_request(analyst):
    assert fresh(analyst).has_perm("talks.record_event")
    analyst.groups.clear()
    assert not fresh(analyst).has_perm("talks.record_event")
