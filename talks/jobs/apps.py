from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "talks.jobs"
    label = "jobs"
    verbose_name = "Background jobs and their files"
