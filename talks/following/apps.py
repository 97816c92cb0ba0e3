from django.apps import AppConfig


class FollowingConfig(AppConfig):
    name = "talks.following"
    label = "following"
    verbose_name = "Following and email digests"
