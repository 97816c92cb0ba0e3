import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand
from django.db import transaction

from talks import access
from talks.services.demo import load_demo_data

# username, group, cleared for OFFICIAL-SENSITIVE, superuser
DEMO_USERS = [
    ("viewer", "Viewers", False, False),
    ("analyst", "Analysts", True, False),
    ("manager", "Managers", True, False),
    ("admin", None, True, True),
]


class Command(BaseCommand):
    help = (
        "Load the demo data set (countries, schemes, talk events from the reference reporting) "
        "and one demo user per group. Safe to run again: nothing is duplicated."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset-passwords",
            action="store_true",
            help="Give the demo users new passwords and print them.",
        )

    @transaction.atomic
    def handle(self, *args, reset_passwords: bool = False, **options):
        logins = self._demo_users(reset_passwords)
        analyst = get_user_model().objects.get(username="analyst")
        added = load_demo_data(recorded_by=analyst)
        self.stdout.write(self.style.SUCCESS(f"Demo data loaded: {added} new events."))
        if logins:
            self.stdout.write("\nDemo logins (shown once; --reset-passwords prints new ones):")
            for username, password, role in logins:
                self.stdout.write(f"  {username:<8} {password}   {role}")
        else:
            self.stdout.write(
                "Demo users already exist; passwords unchanged "
                "(run with --reset-passwords to print new ones)."
            )

    def _demo_users(self, reset_passwords: bool) -> list[tuple[str, str, str]]:
        User = get_user_model()
        app_label, codename = access.SENSITIVE_PERMISSION.split(".")
        sensitive = Permission.objects.get(content_type__app_label=app_label, codename=codename)
        logins = []
        for username, group_name, cleared, superuser in DEMO_USERS:
            user, created = User.objects.get_or_create(
                username=username, defaults={"is_staff": superuser, "is_superuser": superuser}
            )
            if group_name:
                user.groups.add(Group.objects.get(name=group_name))
            if cleared:
                user.user_permissions.add(sensitive)
            if created or reset_passwords:
                password = secrets.token_urlsafe(12)
                user.set_password(password)
                user.save()
                role = group_name or "Administrator (Django admin)"
                clearance = ", cleared for OFFICIAL-SENSITIVE" if cleared else ""
                logins.append((username, password, role + clearance))
        return logins
