import datetime

import pytest
from django.urls import reverse

from talks.models import AuditAction, AuditEntry, Source, TalkEvent
from talks.rules import event_csv
from talks.rules.statuses import Status
from talks.services.imports import (
    MAX_BYTES,
    FileRefused,
    decode,
    parse_date,
    run_import,
    template_csv,
)
from tests.factories import CandidacyFactory, CountryFactory, add_event

pytestmark = pytest.mark.django_db

HEADER = "country,date,kind,title,new_status,classification,source_outlet,source_reliability\n"


@pytest.fixture
def kosovo(cleared_analyst):
    candidacy = CandidacyFactory(
        scheme__slug="uk-return-hubs-2025",
        country__name="Kosovo",
        country__slug="kosovo",
        country__code="XKX",
    )
    add_event(candidacy, cleared_analyst, occurred_on=datetime.date(2025, 5, 16), new_status="open")
    candidacy.refresh_from_db()
    return candidacy


@pytest.fixture
def serbia(kosovo):
    return CandidacyFactory(
        scheme=kosovo.scheme, country__name="Serbia", country__slug="serbia", country__code="SRB"
    )


GOOD = (
    HEADER
    + "Kosovo,2025-10-21,statement,Kurti confirms talks,exploratory,OFFICIAL,BBC News,B\n"
    + "SRB,2025-06,media_report,Serbia named on the list,shortlisted,,,\n"
    + ",2025-Q4,milestone,Summit on return hubs,,,,\n"
)


def upload(client, scheme, text: str | bytes, name="events.csv"):
    data = text.encode() if isinstance(text, str) else text
    from django.core.files.uploadedfile import SimpleUploadedFile

    file = SimpleUploadedFile(name, data, content_type="text/csv")
    return client.post(reverse("event_import", args=[scheme.slug]), {"file": file})


def confirm(client, scheme, preview):
    return client.post(
        reverse("event_import_confirm", args=[scheme.slug]), {"sha256": preview.context["digest"]}
    )


def test_a_good_file_previews_then_imports_every_row_with_an_imported_audit(
    client, analyst, kosovo, serbia
):
    client.force_login(analyst)
    before = TalkEvent.objects.count()
    preview = upload(client, kosovo.scheme, GOOD)
    assert preview.status_code == 200
    assert "3 new" in preview.content.decode()
    assert TalkEvent.objects.count() == before  # a preview writes nothing
    done = confirm(client, kosovo.scheme, preview)
    assert done.status_code == 302
    assert TalkEvent.objects.count() == before + 3
    kosovo.refresh_from_db()
    serbia.refresh_from_db()
    assert kosovo.status == Status.EXPLORATORY
    assert serbia.status == Status.SHORTLISTED
    assert AuditEntry.objects.filter(action=AuditAction.IMPORTED).count() == 3
    assert Source.objects.filter(outlet="BBC News").count() == 1
    page = client.get(done["Location"]).content.decode()
    assert "3 new, 0 already present" in page


def test_importing_the_same_file_again_adds_nothing(client, analyst, kosovo, serbia):
    client.force_login(analyst)
    confirm(client, kosovo.scheme, upload(client, kosovo.scheme, GOOD))
    count = TalkEvent.objects.count()
    again = upload(client, kosovo.scheme, GOOD)
    assert "0 new</strong>, 3 already present" in again.content.decode()
    report = run_import(scheme=kosovo.scheme, text=GOOD, by=analyst, commit=True)
    assert (report.new_count, report.present_count) == (0, 3)
    assert TalkEvent.objects.count() == count


def test_one_bad_row_imports_nothing_and_names_the_row(client, analyst, kosovo, serbia):
    client.force_login(analyst)
    bad = GOOD + "Atlantis,2025-07-01,statement,Nowhere,,,,\n"
    preview = upload(client, kosovo.scheme, bad)
    body = preview.content.decode()
    assert "Row 5: Unknown country “Atlantis”" in body
    assert "nothing will be" in body
    assert 'name="sha256"' not in body
    count = TalkEvent.objects.count()
    report = run_import(scheme=kosovo.scheme, text=bad, by=analyst, commit=True)
    assert not report.ok
    assert [row.line for row in report.error_rows] == [5]
    assert TalkEvent.objects.count() == count
    kosovo.refresh_from_db()
    assert kosovo.status == Status.OPEN


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("Kosovo,2025-02-30,statement,T,,,,", "not a real date"),
        ("Kosovo,next week,statement,T,,,,", "not a date HubTracker can read"),
        ("Kosovo,2025-06-01,gossip,T,,,,", "Unknown kind"),
        ("Kosovo,2025-06-01,statement,,,,,", "The title is empty"),
        ("Kosovo,2025-06-01,statement,T,operational,,,", "cannot move to Operational"),
        ("Kosovo,2099-06-01,statement,T,exploratory,,,", "future"),
        ("Kosovo,2025-06-01,statement,T,,OFFICIAL-SENSITIVE,,", "clearance"),
        ("Kosovo,2025-06-01,statement,T,,,BBC,Z", "Unknown source_reliability"),
        ("Montenegro,2025-06-01,statement,T,,,,", "not a candidate"),
    ],
)
def test_row_errors_are_explained(analyst, kosovo, row, message):
    CountryFactory(name="Montenegro", slug="montenegro", code="MNE")
    report = run_import(scheme=kosovo.scheme, text=HEADER + row + "\n", by=analyst, commit=False)
    assert not report.ok
    assert message in " ".join(report.error_rows[0].errors)


def test_status_moves_are_checked_in_file_order(analyst, kosovo):
    text = (
        HEADER
        + "Kosovo,2025-10-21,statement,To exploratory,exploratory,,,\n"
        + "Kosovo,2025-11-01,statement,To agreed,agreed,,,\n"  # allowed after row 2
        + "Kosovo,2025-11-02,statement,To open,open,,,\n"  # refused from agreed
    )
    report = run_import(scheme=kosovo.scheme, text=text, by=analyst, commit=False)
    assert [row.outcome for row in report.rows] == ["new", "new", "error"]
    assert "Agreed cannot move to Open" in report.rows[2].errors[0]


def test_duplicates_within_the_file_are_refused(analyst, kosovo):
    text = HEADER + "Kosovo,2025-06-01,statement,Same,,,,\nXKX,2025-06-01,meeting,same,,,,\n"
    report = run_import(scheme=kosovo.scheme, text=text, by=analyst, commit=False)
    assert report.rows[1].errors == ["Repeats row 2 (same country, date and title)."]


def test_a_row_matching_an_existing_event_is_already_present(analyst, kosovo):
    text = HEADER + "Kosovo,2025-05-16,statement,a statement,,,,\n"
    report = run_import(scheme=kosovo.scheme, text=text, by=analyst, commit=False)
    assert report.rows[0].outcome == "present"


def test_a_bom_is_accepted_and_other_encodings_are_refused(client, analyst, kosovo, serbia):
    client.force_login(analyst)
    with_bom = upload(client, kosovo.scheme, "\ufeff".encode() + GOOD.encode())
    assert "3 new" in with_bom.content.decode()
    latin1 = upload(
        client, kosovo.scheme, (GOOD + "Kosovo,2025-07-01,statement,Çà,,,,\n").encode("latin-1")
    )
    assert latin1.status_code == 400
    assert "not UTF-8" in latin1.content.decode()


def test_oversized_files_are_refused(client, analyst, kosovo):
    client.force_login(analyst)
    response = upload(client, kosovo.scheme, HEADER + "x" * (MAX_BYTES + 1))
    assert response.status_code == 400
    assert "must be at most 2 MB" in response.content.decode()
    with pytest.raises(FileRefused):
        decode(b"a" * (MAX_BYTES + 1))


def test_missing_and_unknown_columns_are_refused(client, analyst, kosovo):
    client.force_login(analyst)
    response = upload(client, kosovo.scheme, "country,date,titel\nKosovo,2025-01-01,x\n")
    body = response.content.decode()
    assert response.status_code == 400
    assert "missing columns: kind, title" in body
    assert "unknown column: titel" in body


def test_a_tampered_or_expired_confirmation_imports_nothing(client, analyst, kosovo, serbia):
    client.force_login(analyst)
    upload(client, kosovo.scheme, GOOD)
    count = TalkEvent.objects.count()
    response = client.post(
        reverse("event_import_confirm", args=[kosovo.scheme.slug]), {"sha256": "0" * 64}
    )
    assert response.status_code == 302
    assert TalkEvent.objects.count() == count
    assert "upload the file again" in client.get(response["Location"]).content.decode()


def test_the_template_has_the_exact_columns_and_imports_cleanly(client, analyst, kosovo):
    client.force_login(analyst)
    response = client.get(reverse("event_import_template"))
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    assert text.splitlines()[0] == ",".join(event_csv.COLUMNS)
    assert text == template_csv()
    report = run_import(scheme=kosovo.scheme, text=text, by=analyst, commit=False)
    assert report.ok, report.error_rows


def test_dates_of_each_precision_are_read():
    assert parse_date("2025-10-21") == (datetime.date(2025, 10, 21), "day")
    assert parse_date("21/10/2025") == (datetime.date(2025, 10, 21), "day")
    assert parse_date("2025-10") == (datetime.date(2025, 10, 1), "month")
    assert parse_date("2025-Q4") == (datetime.date(2025, 10, 1), "quarter")
    assert parse_date("2025") == (datetime.date(2025, 1, 1), "year")


def test_html_in_a_file_comes_back_escaped_in_the_preview(client, analyst, kosovo):
    client.force_login(analyst)
    text = HEADER + 'Kosovo,2025-06-01,statement,"<script>alert(1)</script>",,,,\n'
    body = upload(client, kosovo.scheme, text).content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


def test_too_many_rows_are_refused_before_any_is_checked(analyst, kosovo):
    from talks.services.imports import MAX_ROWS

    text = HEADER + "".join(f"Kosovo,2025-06-01,meeting,M{i},,,,\n" for i in range(MAX_ROWS + 1))
    report = run_import(scheme=kosovo.scheme, text=text, by=analyst, commit=False)
    assert report.file_errors == [
        f"The file has {MAX_ROWS + 1} rows: at most {MAX_ROWS} at a time."
    ]
    assert report.rows == []
