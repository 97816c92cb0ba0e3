from django.apps import AppConfig


class TalksConfig(AppConfig):
    name = "talks"
    verbose_name = "Schemes and talks"

    def ready(self) -> None:
        # The account area gives the clearance role from the identity provider's claims; the
        # permission it gives is the gate's, named here so that accounts never import talks.
        from hubtracker.accounts.roles import use_clearance_permission
        from talks.access import SENSITIVE_PERMISSION

        use_clearance_permission(SENSITIVE_PERMISSION)
