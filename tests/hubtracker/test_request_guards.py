"""Bad requests get a clear error before anything reads them: NUL characters in the address
(PostgreSQL cannot hold them), bodies over the size limit (never read, never written to disk),
and a database out of reach (503: nothing was saved, try again)."""

import pytest
from django.conf import settings
from django.core.files.uploadedfile import TemporaryUploadedFile
from django.db import connections
from django.urls import reverse

from talks.models import TalkEvent
from tests.factories import CandidacyFactory, UserFactory
from tests.talks.briefing_data import make_scheme_data

pytestmark = pytest.mark.django_db

NUL_QUERIES = [
    ("/exports/events.csv", {"q": "a\x00b"}),
    ("/exports/events.xlsx", {"q": "a\x00b"}),
    ("/exports/events.csv", {"co\x00untry": "serbia"}),
    ("/exports/events.xlsx", {"scheme": "\x00"}),
    ("/events/new/", {"where": "uk-return-hubs-2025/ser\x00bia"}),
    ("/events/new/", {"where": "\x00"}),
    ("/events/", {"country": "ser\x00bia"}),
]
NUL_ADMIN_QUERIES = [
    ("/admin/talks/talkevent/", {"q": "a\x00b"}),
    ("/admin/talks/talkevent/", {"kind__exact": "statement\x00"}),
    ("/admin/talks/source/", {"reliability__exact": "\x00"}),
    ("/admin/countries/country/", {"region__exact": "a\x00"}),
]


@pytest.fixture
def power_user(db):
    make_scheme_data()
    user = UserFactory(username="nul-tester")
    from django.contrib.auth.models import Group

    user.groups.set(Group.objects.filter(name__in=["Analysts", "Managers", "Viewers"]))
    return user


@pytest.mark.parametrize(("path", "query"), NUL_QUERIES)
def test_a_nul_byte_in_a_query_parameter_gets_a_clear_400_not_a_server_error(
    client, power_user, path, query
):
    client.force_login(power_user)
    response = client.get(path, query)
    assert response.status_code == 400
    html = response.content.decode()
    assert "NUL character" in html
    assert "Nothing was saved" in html
    assert "Content-Security-Policy" in response.headers


@pytest.mark.parametrize(("path", "query"), NUL_ADMIN_QUERIES)
def test_a_nul_byte_in_an_admin_list_filter_gets_a_clear_400(client, db, path, query):
    make_scheme_data()
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    assert client.get(path, query).status_code == 400


def test_a_nul_byte_refusal_needs_no_sign_in(client, db):
    assert client.get("/exports/events.csv", {"q": "\x00"}).status_code == 400


def test_query_parameters_without_nul_still_reach_the_page(client, power_user):
    client.force_login(power_user)
    assert client.get("/events/", {"q": "Kosovo"}).status_code == 200


def _post_declaring(client, path: str, length: int, **extra):
    """POST whose Content-Length says `length` bytes; the body sent is small."""
    return client.generic(
        "POST",
        path,
        b"x" * 10,
        content_type="multipart/form-data; boundary=BoUnDaRy",
        CONTENT_LENGTH=str(length),
        **extra,
    )


@pytest.fixture
def temporary_files(monkeypatch):
    """Every upload Django writes to a temporary file."""
    created: list[str] = []
    original = TemporaryUploadedFile.__init__

    def record(self, *args, **kwargs):
        original(self, *args, **kwargs)
        created.append(self.temporary_file_path())

    monkeypatch.setattr(TemporaryUploadedFile, "__init__", record)
    return created


def test_an_anonymous_oversized_post_is_refused_before_its_body_is_read(client, db):
    response = _post_declaring(client, "/schemes/uk-return-hubs-2025/import/", 100 * 1024 * 1024)
    assert response.status_code == 413
    html = response.content.decode()
    assert "too large" in html
    assert "Nothing was saved" in html
    assert "Set-Cookie" not in response.headers  # no session, no CSRF cookie: nothing ran


def test_an_oversized_real_upload_never_reaches_a_temporary_file(client, analyst, temporary_files):
    scheme = CandidacyFactory(scheme__slug="uk-return-hubs-2025").scheme
    client.force_login(analyst)
    size = settings.REQUEST_MAX_BYTES + 1024
    from django.core.files.uploadedfile import SimpleUploadedFile

    big = SimpleUploadedFile("big.csv", b"country,date\n" + b"x" * size, "text/csv")
    response = client.post(reverse("event_import", args=[scheme.slug]), {"file": big})
    assert response.status_code == 413
    assert temporary_files == []


def test_a_file_just_over_the_import_limit_gets_the_import_forms_message(client, analyst):
    """Bodies under the request limit still reach the form, which explains the 2 MB limit."""
    scheme = CandidacyFactory(scheme__slug="uk-return-hubs-2025").scheme
    client.force_login(analyst)
    from django.core.files.uploadedfile import SimpleUploadedFile

    file = SimpleUploadedFile("big.csv", b"country,date\n" + b"x" * (2 * 1024 * 1024), "text/csv")
    response = client.post(reverse("event_import", args=[scheme.slug]), {"file": file})
    assert response.status_code == 400
    assert "must be at most 2 MB" in response.content.decode()


def test_uploads_under_the_limit_stay_in_memory():
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE >= settings.REQUEST_MAX_BYTES
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= settings.REQUEST_MAX_BYTES


# The database out of reach ----------------------------------------------------------------------
class UnreachableDatabase:
    """Point the default connection at a database that is not there, for the requests made
    inside the block: PostgreSQL on a port where nothing listens, SQLite in a missing folder."""

    def __init__(self, tmp_path) -> None:
        self.tmp_path = tmp_path

    def __enter__(self):
        self.good = connections["default"]
        settings_dict = dict(self.good.settings_dict)
        if self.good.vendor == "postgresql":
            settings_dict.update(HOST="127.0.0.1", PORT="8239")  # nothing listens here
            settings_dict["OPTIONS"] = {**settings_dict.get("OPTIONS", {}), "connect_timeout": 2}
        else:
            settings_dict["NAME"] = str(self.tmp_path / "no-such-folder" / "db.sqlite3")
        self.bad = self.good.__class__(settings_dict, alias="default")
        connections["default"] = self.bad
        return self

    def __exit__(self, *exc):
        connections["default"] = self.good
        self.bad.close()


def test_the_unreachable_database_really_is_unreachable(tmp_path):
    from django.db import OperationalError

    with UnreachableDatabase(tmp_path), pytest.raises(OperationalError):
        connections["default"].ensure_connection()


def test_a_page_answers_503_saying_nothing_was_saved_while_the_database_is_down(
    client, viewer, tmp_path
):
    client.force_login(viewer)
    client.raise_request_exception = False
    with UnreachableDatabase(tmp_path):
        response = client.get("/events/")
    assert response.status_code == 503
    html = response.content.decode()
    assert "Nothing you submitted was saved" in html
    assert "Try again" in html
    assert response.headers["Retry-After"] == "30"
    assert "<script" not in html


def test_a_form_post_answers_503_while_the_database_is_down_and_nothing_is_written(
    client, analyst, tmp_path
):
    candidacy = CandidacyFactory(scheme__slug="uk-return-hubs-2025", country__slug="serbia")
    client.force_login(analyst)
    client.raise_request_exception = False
    url = reverse("event_new", args=["uk-return-hubs-2025", "serbia"])
    form = {
        "day": "16",
        "month": "5",
        "year": "2025",
        "precision": "day",
        "kind": "statement",
        "title": "Said while the database was down",
        "source_mode": "none",
        "classification": "official",
        "version": str(candidacy.version),
    }
    with UnreachableDatabase(tmp_path):
        response = client.post(url, form)
    assert response.status_code == 503
    assert "Nothing you submitted was saved" in response.content.decode()
    assert not TalkEvent.objects.filter(title="Said while the database was down").exists()


def test_an_anonymous_request_answers_503_while_the_database_is_down(client, db, tmp_path):
    client.raise_request_exception = False
    with UnreachableDatabase(tmp_path):
        response = client.get("/events/")
    # No session cookie: the way to the sign-in page needs no database.
    assert response.status_code == 302
    with UnreachableDatabase(tmp_path):
        response = client.post("/login/", {"username": "viewer", "password": "x"})
    assert response.status_code == 503
