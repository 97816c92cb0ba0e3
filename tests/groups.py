"""Put back the groups the data migration creates, for tests that flush the database.

Transactional tests (live server, threads) flush the database when they finish, which removes
the groups and permissions that migrations created. `create_groups` sets `models_module` to None
on the app configs it is given; with the global registry that would change the running app, so
the original values are restored.
"""

from importlib import import_module

from django.apps import apps

create_groups = import_module("talks.migrations.0002_groups").create_groups


def ensure_groups() -> None:
    saved = {config.label: config.models_module for config in apps.get_app_configs()}
    try:
        create_groups(apps, None)
    finally:
        for config in apps.get_app_configs():
            config.models_module = saved[config.label]
