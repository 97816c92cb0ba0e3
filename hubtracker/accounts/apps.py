from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "hubtracker.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from hubtracker.accounts import signals  # noqa: F401
