from django.apps import AppConfig


class FeedsConfig(AppConfig):
    name = "talks.feeds"
    label = "feeds"
    verbose_name = "Feeds"
