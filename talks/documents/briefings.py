"""The briefing as files: PDF (WeasyPrint, A4) and Word (python-docx). Both offline.

WeasyPrint gets a URL fetcher that serves `data:` URIs only, so a link or image in the HTML
can never make the server call out; the stylesheet is inline and the map and chart are SVG
images in `data:` URIs.
"""

import base64
import io
import logging
from pathlib import Path

from django.template.loader import render_to_string
from django.utils.text import slugify

from countries.geography import MAP_ATTRIBUTION
from talks.documents.static_map import render_status_map, svg_to_png
from talks.documents.status_chart import render_status_over_time
from talks.documents.xml_text import xml_safe_copy
from talks.rules.statuses import COLOURS, NO_STATUS_COLOUR
from talks.selectors.briefings import Briefing, SchemeSection

# WeasyPrint logs each layout step at INFO; keep the server log for what matters.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


def map_caption(section: SchemeSection, briefing: Briefing) -> str:
    return f"{section.name}: status as of {briefing.as_of_label}"


def map_alt_text(section: SchemeSection, briefing: Briefing) -> str:
    """What the map shows, in words: each country on it with its status."""
    countries = "; ".join(f"{c.name}: {c.status_label}" for c in section.countries)
    return f"Map of {section.name}, status as of {briefing.as_of_label}. {countries}."


def map_svgs(briefing: Briefing) -> list[str]:
    return [
        render_status_map(s.map_countries, caption=map_caption(s, briefing))
        for s in briefing.schemes
    ]


def chart_svgs(briefing: Briefing) -> list[str]:
    """Each scheme's status over time (empty when no country has a status)."""
    return [
        render_status_over_time(s.status_over_time)
        if s.status_over_time and s.status_over_time.statuses
        else ""
        for s in briefing.schemes
    ]


def chart_alt_text(section: SchemeSection) -> str:
    """The chart in words: each country's statuses in order with their start dates."""
    chart = section.status_over_time
    lanes = []
    for lane in chart.lanes if chart else []:
        steps = ", then ".join(f"{s.label} from {s.since_label}" for s in lane.segments)
        lanes.append(f"{lane.country_name}: {steps or 'no status recorded'}")
    return f"Chart of {section.name}, status over time. " + "; ".join(lanes) + "."


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


def _svg_image(svg: str) -> str:
    """An SVG as a `data:` URI for an <img>: WeasyPrint draws it without styling every shape as
    part of the page (inline, the map's and chart's thousands of elements made most of the
    time a briefing took)."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode("ascii")


def render_pdf(briefing: Briefing) -> bytes:
    import weasyprint

    briefing = xml_safe_copy(briefing)
    maps = [_svg_image(svg) for svg in map_svgs(briefing)]
    charts = [_svg_image(svg) if svg else "" for svg in chart_svgs(briefing)]
    figures = [
        {
            "map": map_src,
            "map_alt": map_alt_text(section, briefing),
            "chart": chart_src,
            "chart_alt": chart_alt_text(section),
        }
        for section, map_src, chart_src in zip(briefing.schemes, maps, charts, strict=True)
    ]
    html = render_to_string(
        "talks/briefing_pdf.html",
        {
            "briefing": briefing,
            "sections": list(zip(briefing.schemes, figures, strict=True)),
            "map_attribution": MAP_ATTRIBUTION,
        },
    )
    fetcher = _offline_fetcher()
    document = weasyprint.HTML(string=html, base_url=None, url_fetcher=fetcher)
    stylesheet = weasyprint.CSS(string=print_css(briefing.marking), url_fetcher=fetcher)
    # Tagged PDF (PDF/UA-1): a structure tree with headings, tables and lists for screen readers.
    return document.write_pdf(stylesheets=[stylesheet], pdf_variant="pdf/ua-1", pdf_tags=True)


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
        + f".swatch--none {{ background: {NO_STATUS_COLOUR}; }}\n"
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


def _repeat_as_header(row) -> None:
    """Mark a table row as the header row that Word repeats on every page."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(header)


def _table(document, header: list[str], rows: list[list[str]]) -> None:
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    _repeat_as_header(table.rows[0])
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
        _alt_text(document, map_alt_text(section, briefing))
        document.add_paragraph(
            f"{map_caption(section, briefing)}. {MAP_ATTRIBUTION}", style="Caption"
        )


def _alt_text(document, text: str) -> None:
    """Alternative text on the picture just added (Word's "Alt Text": wp:docPr/@descr)."""
    picture = document.paragraphs[-1]._p
    for properties in picture.iter(
        "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"
    ):
        properties.set("descr", text)
        properties.set("title", text[:80])


def _scheme_detail(document, section: SchemeSection, briefing: Briefing) -> None:
    if not section.countries:
        document.add_paragraph("No countries are recorded for this scheme.")
        return
    document.add_heading("Shortlist", level=2)
    rows = [
        [c.name, c.status_label, c.since or "–", c.status_then_label] for c in section.countries
    ]
    header = ["Country", "Status", "Since", f"Status on {briefing.changes_since_label}"]
    _table(document, header, rows)
    document.add_heading("By country", level=2)
    for country in section.countries:
        document.add_heading(country.name, level=3)
        since = f" since {country.since}" if country.since else ""
        document.add_paragraph(f"Status: {country.status_label}{since}.")
        if not country.events:
            document.add_paragraph("No events recorded.")
        _event_paragraphs(document, country.events, with_country=False)


def _status_chart(document, section: SchemeSection, svg: str) -> None:
    from docx.shared import Cm

    document.add_heading("Status over time", level=2)
    document.add_picture(io.BytesIO(svg_to_png(svg, width=1600)), width=Cm(16))
    _alt_text(document, chart_alt_text(section))
    document.add_paragraph(
        "One row per country, coloured by status from the day an event set it; "
        "diamonds mark events. The shortlist table gives each current status.",
        style="Caption",
    )


def _sources(document, briefing: Briefing) -> None:
    document.add_heading("Sources", level=1)
    if not briefing.sources:
        document.add_paragraph("No sources cited.")
    for ref in briefing.sources:
        parts = [ref.outlet, ref.title, ref.published, ref.url, f"Reliability {ref.reliability}"]
        text = ". ".join(p for p in parts if p)
        document.add_paragraph(f"[{ref.number}] {text}")


def _language(document, tag: str) -> None:
    """The document's language, for spelling and for screen readers: every style's default run
    language (w:docDefaults) and the core property."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    defaults = document.styles.element.find(qn("w:docDefaults"))
    run_properties = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    language = run_properties.find(qn("w:lang"))
    if language is None:
        language = OxmlElement("w:lang")
        run_properties.append(language)
    language.set(qn("w:val"), tag)
    document.core_properties.language = tag


def render_docx(briefing: Briefing) -> bytes:
    from docx import Document
    from docx.shared import Mm, Pt

    briefing = xml_safe_copy(briefing)
    document = Document()
    page = document.sections[0]
    page.page_width, page.page_height = Mm(210), Mm(297)
    page.left_margin = page.right_margin = Mm(20)
    document.styles["Normal"].font.name = "Arial"
    document.styles["Normal"].font.size = Pt(11)
    _language(document, "en-GB")
    document.core_properties.title = briefing.title
    document.core_properties.author = briefing.author
    _marking_paragraphs(document, briefing.marking)
    _front_matter(document, briefing)
    for section, svg, chart in zip(
        briefing.schemes, map_svgs(briefing), chart_svgs(briefing), strict=True
    ):
        png = svg_to_png(svg, width=1600) if section.countries else b""
        _scheme_summary(document, section, briefing, png)
        _scheme_detail(document, section, briefing)
        if chart:
            _status_chart(document, section, chart)
    _sources(document, briefing)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
