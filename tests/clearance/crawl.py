"""Requests, answers as comparable text, and the normalisation of what may legitimately differ.

An answer is the status code, the headers a user or a browser acts on, and the body as text:
HTML as served, CSV as text, XLSX as its cells, PDF and Word as their text. Tokens (CSRF,
CSP nonces, idempotency keys) and clock times are replaced by placeholders; nothing else is.
"""

import io
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

HEADERS_COMPARED = (
    "Content-Type",
    "Content-Disposition",
    "Location",
    "Cache-Control",
    "HX-Trigger",
    "HX-Push-Url",
    "HX-Redirect",
    "Vary",
)
HX = {"HX-Request": "true"}

_TOKENS = [
    # Random ids of background jobs (export jobs, digests) and their task rows.
    (re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b"), "<uuid>"),
    (re.compile(r'nonce="[^"]*"'), 'nonce="<nonce>"'),
    (re.compile(r"'nonce-[^']*'"), "'nonce-<nonce>'"),
    (re.compile(r"\b[A-Za-z0-9]{64}\b"), "<csrf-token>"),
    (
        re.compile(
            r'(name="(?:idempotency_key|submission_key|form_key|idempotency)"[^>]*value=")[^"]*'
        ),
        r"\1<key>",
    ),
]
# Clock times: "00:12", "00:12:31", ISO datetimes with seconds and fractions, "12:31 a.m.".
_TIMES = [
    (
        re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:?\d{2}|Z)?"),
        "<datetime>",
    ),
    (re.compile(r"\b\d{1,2}:\d{2}(:\d{2})?( ?[ap]\.?m\.?)?"), "<time>"),
    # Django's "P" time format: "5 a.m." on the hour, "midnight" and "noon".
    (re.compile(r"\b\d{1,2} [ap]\.m\.|\b(midnight|noon)\b"), "<time>"),
    # A finished job's file size: the file holds its own clock times (an XLSX's document
    # properties, compressed), so its size may move by a few bytes between two runs. The file
    # itself is compared (as its cells or text), and so is the job's row count.
    (re.compile(r"\b\d+(\.\d)?[\xa0 ](bytes?|KB|MB|GB)\b"), "<file size>"),
]


def normalise(text: str) -> str:
    for pattern, replacement in _TOKENS + _TIMES:
        text = pattern.sub(replacement, text)
    return text


def _content(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def _xlsx_text(data: bytes) -> str:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data), read_only=True)
    lines = []
    for sheet in book.worksheets:
        lines.append(f"# sheet {sheet.title}")
        for row in sheet.iter_rows(values_only=True):
            lines.append("\t".join("" if v is None else str(v) for v in row))
    return "\n".join(lines)


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def _docx_text(data: bytes) -> str:
    from docx import Document

    document = Document(io.BytesIO(data))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append("\t".join(cell.text for cell in row.cells))
    for section in document.sections:
        lines += [p.text for p in section.header.paragraphs]
        lines += [p.text for p in section.footer.paragraphs]
    return "\n".join(lines)


def body_text(response) -> str:
    data = _content(response)
    kind = response.get("Content-Type", "")
    if "spreadsheetml" in kind:
        return _xlsx_text(data)
    if "pdf" in kind:
        return _pdf_text(data)
    if "wordprocessingml" in kind:
        return _docx_text(data)
    return data.decode("utf-8", errors="replace")


def answer_text(response) -> str:
    """The answer as one normalised text: status, compared headers, body."""
    lines = [f"status {response.status_code}"]
    for name in HEADERS_COMPARED:
        if response.has_header(name):
            lines.append(f"{name}: {response[name]}")
    lines.append("")
    lines.append(body_text(response))
    return normalise("\n".join(lines))


class _Inputs(HTMLParser):
    """Hidden inputs of the first form (what a browser would send back unchanged)."""

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and attrs.get("type") == "hidden" and attrs.get("name"):
            self.values.setdefault(attrs["name"], attrs.get("value") or "")


def hidden_inputs(html: str) -> dict[str, str]:
    parser = _Inputs()
    parser.feed(html)
    return parser.values


@dataclass
class Answers:
    """Normalised answers by label, in crawl order."""

    texts: dict[str, str] = field(default_factory=dict)

    def add(self, label: str, response) -> str:
        text = answer_text(response)
        assert label not in self.texts, f"two requests labelled {label}"
        self.texts[label] = text
        return text
