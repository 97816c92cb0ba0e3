"""A manager previews a briefing in place (htmx), then downloads it as PDF and as Word."""

import io

from docx import Document
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.browser.conftest import log_in, screenshot, wait_for_htmx
from tests.talks.briefing_data import SECRET, make_scheme_data


def _fill_date(page, name: str, day: int, month: int, year: int) -> None:
    page.fill(f"#{name}_day", str(day))
    page.fill(f"#{name}_month", str(month))
    page.fill(f"#{name}_year", str(year))


def test_manager_previews_and_downloads_a_briefing(page, live_server, manager):
    make_scheme_data()
    console = []
    page.on("console", lambda message: console.append(message.text))
    log_in(page, live_server, manager, next_path="/briefings/")
    page.goto(f"{live_server.url}/briefings/")
    _fill_date(page, "as_of", 31, 12, 2025)
    _fill_date(page, "changes_since", 30, 9, 2025)
    page.click("text=Preview briefing")
    wait_for_htmx(page)
    preview = page.locator("#briefing-preview")
    preview.get_by_text("Kurti: Kosovo wants to help the UK").first.wait_for()
    assert "/briefings/preview/?" in page.url
    assert page.locator("#country-XKX").count() == 1
    assert SECRET not in preview.inner_text()
    screenshot(page, "briefing-preview")
    assert not [m for m in console if "Content Security Policy" in m], console

    # The page's timers are held, so the "busy" label is checked however long the PDF takes.
    page.clock.install()
    download_link = page.locator("a[data-app-download]").first
    with page.expect_download() as pdf_download:
        page.click("text=Download PDF")
    expect(download_link).to_have_text("Preparing your PDF…")
    expect(download_link).to_have_attribute("aria-disabled", "true")
    page.clock.run_for(8_000)
    expect(download_link).to_have_text("Download PDF")
    pdf = PdfReader(io.BytesIO(pdf_download.value.path().read_bytes()))
    text = " ".join(p.extract_text() for p in pdf.pages)
    assert pdf_download.value.suggested_filename.endswith("as-of-2025-12-31.pdf")
    assert "OFFICIAL" in text and "Kosovo" in text and SECRET not in text

    with page.expect_download() as docx_download:
        page.click("text=Download Word")
    document = Document(io.BytesIO(docx_download.value.path().read_bytes()))
    assert document.sections[0].header.paragraphs[0].text == "OFFICIAL"
    assert any(p.style.name == "Heading 1" for p in document.paragraphs)


def test_briefing_errors_show_in_place(page, live_server, manager):
    make_scheme_data()
    log_in(page, live_server, manager, next_path="/briefings/")
    page.goto(f"{live_server.url}/briefings/")
    _fill_date(page, "as_of", 31, 2, 2025)
    page.click("text=Preview briefing")
    wait_for_htmx(page)
    page.locator(".govuk-error-summary").wait_for()
    assert "must be a real date" in page.locator(".govuk-error-summary").inner_text()
    screenshot(page, "briefing-errors")
