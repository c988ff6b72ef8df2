"""Publishing: briefing outlines, citation styles, disclosure checks, HTML and PDF rendering.

Nothing is written unless every disclosure check passes on exactly what would be published.
"""

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
from .outline import Block, Outline, Section, load_outline
from .pdf import render_pdf
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
    "KAnonymityProblem",
    "Leak",
    "Outline",
    "Redactor",
    "RenderedBriefing",
    "Section",
    "build_briefing",
    "check_consent",
    "check_k_anonymity",
    "load_outline",
    "load_style",
    "published_descriptor",
    "redact",
    "render_descriptor",
    "render_html",
    "render_pdf",
    "run_disclosure_checks",
    "scan_for_leaks",
]
