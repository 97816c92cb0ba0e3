import pytest
from django.contrib.auth.models import Group

pytestmark = pytest.mark.django_db


def perms(group_name: str) -> set[str]:
    group = Group.objects.get(name=group_name)
    return {
        f"{app}.{code}"
        for app, code in group.permissions.values_list("content_type__app_label", "codename")
    }


def test_a_fresh_database_has_the_three_groups():
    assert set(Group.objects.values_list("name", flat=True)) >= {"Viewers", "Analysts", "Managers"}


def test_viewers_can_only_read():
    viewer = perms("Viewers")
    assert {"talks.view_talkevent", "countries.view_country", "talks.view_scheme"} <= viewer
    assert not {"talks.record_event", "talks.export_briefing", "talks.view_sensitive"} & viewer


def test_analysts_record_and_import_but_do_not_export():
    analyst = perms("Analysts")
    assert {"talks.record_event", "talks.import_events", "talks.view_talkevent"} <= analyst
    assert "talks.export_briefing" not in analyst


def test_managers_export_but_do_not_record():
    manager = perms("Managers")
    assert "talks.export_briefing" in manager
    assert "talks.record_event" not in manager


def test_no_group_grants_sensitive_clearance_by_itself():
    for name in ("Viewers", "Analysts", "Managers"):
        assert "talks.view_sensitive" not in perms(name)
