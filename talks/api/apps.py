from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "talks.api"
    label = "api"
    verbose_name = "API"
