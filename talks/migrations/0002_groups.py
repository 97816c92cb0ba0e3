from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP_PERMISSIONS = {
    "Viewers": [
        "countries.view_country",
        "countries.view_migrationroute",
        "countries.view_routefigure",
        "countries.view_routewaypoint",
        "talks.view_scheme",
        "talks.view_candidacy",
        "talks.view_talkevent",
        "talks.view_source",
    ],
}
GROUP_PERMISSIONS["Analysts"] = [
    *GROUP_PERMISSIONS["Viewers"],
    "talks.view_auditentry",
    "talks.record_event",
    "talks.import_events",
    "talks.add_source",
]
GROUP_PERMISSIONS["Managers"] = [
    *GROUP_PERMISSIONS["Viewers"],
    "talks.view_auditentry",
    "talks.export_briefing",
]


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations; create them now so the groups
    # can hold them on a fresh database.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, codes in GROUP_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        for code in codes:
            app_label, codename = code.split(".")
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUP_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("countries", "0001_initial"),
        ("talks", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
