"""Publishing: briefing outlines, citation styles, disclosure checks, HTML and PDF rendering.

Nothing is written unless every disclosure check passes on exactly what would be published.
"""

from .artefacts import html_parts, pdf_parts
from .disclosure import (
    ConsentProblem,
    DisclosurePolicy,
    DisclosureReport,
    KAnonymityProblem,
    Leak,
    check_consent,
    check_k_anonymity,
    published_descriptor,
    render_descriptor,
    run_disclosure_checks,
    scan_for_leaks,
)
from .fonts import glyph_problems, uncovered_characters
from .formtable import FormTable
from .leaks import LeakScanner
from .outline import Block, Outline, Section, load_outline
from .pdf import pdf_bytes, render_pdf
from .readertext import ReaderText, reader_text
from .redaction import REDACTED, Redactor, redact
from .render import Endnote, RenderedBriefing, build_briefing, render_html
from .styles import CitationStyle, load_style

__all__ = [
    "REDACTED",
    "Block",
    "CitationStyle",
    "ConsentProblem",
    "DisclosurePolicy",
    "DisclosureReport",
    "Endnote",
    "FormTable",
    "KAnonymityProblem",
    "Leak",
    "LeakScanner",
    "Outline",
    "ReaderText",
    "Redactor",
    "RenderedBriefing",
    "Section",
    "build_briefing",
    "check_consent",
    "check_k_anonymity",
    "glyph_problems",
    "html_parts",
    "load_outline",
    "load_style",
    "pdf_bytes",
    "pdf_parts",
    "published_descriptor",
    "reader_text",
    "redact",
    "render_descriptor",
    "render_html",
    "render_pdf",
    "run_disclosure_checks",
    "scan_for_leaks",
    "uncovered_characters",
]
