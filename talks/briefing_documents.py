"""The briefing as files: PDF (WeasyPrint, A4) and Word (python-docx). Both offline.

WeasyPrint gets a URL fetcher that serves `data:` URIs only, so a link or image in the HTML
can never make the server call out; the stylesheet is inline and the map is inline SVG.
"""

import io
import logging
import re
from pathlib import Path

from django.template.loader import render_to_string
from django.utils.text import slugify

from talks.briefings import Briefing, SchemeSection
from talks.static_map import render_status_map, svg_to_png
from talks.statuses import COLOURS

# WeasyPrint logs each layout step at INFO; keep the server log for what matters.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


def map_caption(section: SchemeSection, briefing: Briefing) -> str:
    return f"{section.name}: status as of {briefing.as_of_label}"


def map_svgs(briefing: Briefing) -> list[str]:
    return [
        render_status_map(s.map_countries, caption=map_caption(s, briefing))
        for s in briefing.schemes
    ]


def filename(briefing: Briefing, extension: str) -> str:
    slugs = "-".join(s.slug for s in briefing.schemes)[:80].strip("-")
    return f"briefing-{slugify(slugs)}-as-of-{briefing.as_of:%Y-%m-%d}.{extension}"


# -- PDF ------------------------------------------------------------------------------------


def _offline_fetcher():
    from weasyprint.urls import URLFetcher

    class DataOnlyFetcher(URLFetcher):
        """Serves data: URIs; anything else is refused, never fetched."""

        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            raise ValueError(f"Briefings fetch nothing from outside the document: {url}")

    return DataOnlyFetcher(allowed_protocols=["data"])


_SVG_SIZE = re.compile(r'^<svg (.*?)width="\d+" height="\d+" ')


def render_pdf(briefing: Briefing) -> bytes:
    import weasyprint

    maps = [_SVG_SIZE.sub(r'<svg class="map" \1', svg, count=1) for svg in map_svgs(briefing)]
    html = render_to_string(
        "talks/briefing_pdf.html",
        {"briefing": briefing, "sections": list(zip(briefing.schemes, maps, strict=True))},
    )
    fetcher = _offline_fetcher()
    document = weasyprint.HTML(string=html, base_url=None, url_fetcher=fetcher)
    stylesheet = weasyprint.CSS(string=print_css(briefing.marking), url_fetcher=fetcher)
    return document.write_pdf(stylesheets=[stylesheet])


PRINT_CSS = Path(__file__).resolve().parent / "print" / "briefing.css"
_FONT = 'Arial, "Liberation Sans", sans-serif'


def print_css(marking: str) -> str:
    """The print stylesheet plus what depends on the briefing: the marking on every page."""
    mark = f'content: "{marking}"; font: bold 11pt {_FONT}; color: #0b0c0c;'
    small = f"font: 9pt {_FONT}; color: #505a5f;"
    page = f"""
@page {{
  size: A4;
  margin: 22mm 18mm 22mm 18mm;
  @top-center {{ {mark} }}
  @bottom-center {{ {mark} }}
  @bottom-right {{ content: "Page " counter(page) " of " counter(pages); {small} }}
  @bottom-left {{ content: "HubTracker"; {small} }}
}}
"""
    swatches = "".join(
        f".swatch--{status} {{ background: {colour}; }}\n" for status, colour in COLOURS.items()
    )
    return (
        PRINT_CSS.read_text(encoding="utf-8")
        + page
        + swatches
        + ".swatch--none { background: #fff; }\n"
    )


# -- Word -----------------------------------------------------------------------------------


def _add_page_number(paragraph) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run, text = OxmlElement("w:r"), OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _marking_paragraphs(document, marking: str) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    section = document.sections[0]
    header = section.header.paragraphs[0]
    header.text = marking
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    header.runs[0].bold = True
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run(marking).bold = True
    footer.add_run("    Page ")
    _add_page_number(footer)


def _front_matter(document, briefing: Briefing) -> None:
    document.add_heading(briefing.title, level=0)
    facts = document.add_paragraph()
    for name, value in [
        ("Status as of", briefing.as_of_label),
        ("Changes since", briefing.changes_since_label),
        ("Author", briefing.author),
        ("Produced", briefing.produced_label),
        ("Classification", briefing.marking),
    ]:
        facts.add_run(f"{name}: ").bold = True
        facts.add_run(f"{value}\n")


def _table(document, header: list[str], rows: list[list[str]]) -> None:
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(text).bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = text


def _event_paragraphs(document, events, *, with_country: bool) -> None:
    for event in events:
        p = document.add_paragraph(style="List Bullet")
        p.add_run(f"{event.date}: ").bold = True
        country = f"{event.country}: " if with_country and event.country else ""
        p.add_run(f"{country}{event.title}")
        if event.new_status:
            p.add_run(f" (status: {event.new_status_label})")
        if event.sensitive:
            p.add_run(" [OFFICIAL-SENSITIVE]").bold = True
        if event.source_ref:
            p.add_run(f" [{event.source_ref}]")
        if event.summary:
            p.add_run(f" {event.summary}")
        if event.quote:
            quote = document.add_paragraph(style="Quote")
            speaker = f" ({event.speaker})" if event.speaker else ""
            quote.add_run(f"“{event.quote}”{speaker}")


def _scheme_summary(document, section: SchemeSection, briefing: Briefing, png: bytes) -> None:
    from docx.shared import Cm

    document.add_heading(section.name, level=1)
    if section.summary:
        document.add_paragraph(section.summary)
    document.add_heading("Summary", level=2)
    counts = ", ".join(f"{c.label}: {c.count}" for c in section.counts) or "No countries."
    document.add_paragraph(f"Countries by status as of {briefing.as_of_label}: {counts}")
    document.add_heading(f"Changes since {briefing.changes_since_label}", level=2)
    if not section.moves and not section.window_events:
        document.add_paragraph("No status changes and no events in this period.")
    for move in section.moves:
        document.add_paragraph(
            f"{move.country}: {move.before_label} → {move.after_label} ({move.since})",
            style="List Bullet",
        )
    _event_paragraphs(document, section.window_events, with_country=True)
    if section.more_window_events:
        document.add_paragraph(f"… and {section.more_window_events} earlier events.")
    if section.countries:
        document.add_heading("Map", level=2)
        document.add_picture(io.BytesIO(png), width=Cm(16))
        document.add_paragraph(map_caption(section, briefing), style="Caption")


def _scheme_detail(document, section: SchemeSection) -> None:
    if not section.countries:
        document.add_paragraph("No countries are recorded for this scheme.")
        return
    document.add_heading("Shortlist", level=2)
    rows = [[c.name, c.status_label, c.since or "–"] for c in section.countries]
    _table(document, ["Country", "Status", "Since"], rows)
    document.add_heading("By country", level=2)
    for country in section.countries:
        document.add_heading(country.name, level=3)
        since = f" since {country.since}" if country.since else ""
        document.add_paragraph(f"Status: {country.status_label}{since}.")
        if not country.events:
            document.add_paragraph("No events recorded.")
        _event_paragraphs(document, country.events, with_country=False)


def _sources(document, briefing: Briefing) -> None:
    document.add_heading("Sources", level=1)
    if not briefing.sources:
        document.add_paragraph("No sources cited.")
    for ref in briefing.sources:
        parts = [ref.outlet, ref.title, ref.published, ref.url, f"Reliability {ref.reliability}"]
        text = ". ".join(p for p in parts if p)
        document.add_paragraph(f"[{ref.number}] {text}")


def render_docx(briefing: Briefing) -> bytes:
    from docx import Document
    from docx.shared import Mm, Pt

    document = Document()
    page = document.sections[0]
    page.page_width, page.page_height = Mm(210), Mm(297)
    page.left_margin = page.right_margin = Mm(20)
    document.styles["Normal"].font.name = "Arial"
    document.styles["Normal"].font.size = Pt(11)
    document.core_properties.title = briefing.title
    document.core_properties.author = briefing.author
    _marking_paragraphs(document, briefing.marking)
    _front_matter(document, briefing)
    for section, svg in zip(briefing.schemes, map_svgs(briefing), strict=True):
        png = svg_to_png(svg, width=1600) if section.countries else b""
        _scheme_summary(document, section, briefing, png)
        _scheme_detail(document, section)
    _sources(document, briefing)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
