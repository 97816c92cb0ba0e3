"""The API fuzzed from its own OpenAPI schema (schemathesis, seeded so runs repeat): no answer
is a 5xx, and every answer's status, content type, headers and body match the schema."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import override_settings
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from talks.api.views import schema as openapi_schema
from tests.api.helpers import bearer, token_for
from tests.talks.page_data import load_demo

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]

schema = schemathesis.openapi.from_dict(openapi_schema())
schema.app = get_wsgi_application()


@pytest.fixture
def demo_token(db, viewer, cleared_analyst):
    load_demo(cleared_analyst)
    return token_for(viewer)


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """Requests go through the WSGI app, which closes the database connection after each one
    (as in production); the test's transaction needs it open. Django's test client does the same."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=30,
    derandomize=True,  # the same cases on every run: a failure is never a fluke
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
@override_settings(API_RATE_LIMIT_PER_MINUTE=1_000_000)
def test_the_api_answers_every_generated_request_as_its_schema_says(case, demo_token):
    headers = {**bearer(demo_token), "Accept-Encoding": "identity"}
    case.call_and_validate(headers=headers, checks=CHECKS)
