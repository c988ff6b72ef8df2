"""Read a published report's text into notes, markers, witnesses, documents, excerpts and checks.

The steps, each in its own module: split body and notes (``notes``), find
the markers (``markers``), read every note (``citations``, ``interviews``,
``documents``), resolve witnesses and documents (``witnesses``, ``sources``),
cut the passages the markers close (``excerpts``, ``modes``) and compare what
the text states with what the notes cite (``checks``).

The parser handles only what the report already publishes. It never logs,
prints or stores any of the text it reads; problems come back as warnings in
the result.
"""

from __future__ import annotations

import re
from pathlib import Path

from corroborate.domain import Gazetteer
from corroborate.errors import CasefileInvalid, Problem

from .checks import consistency_checks
from .citations import read_notes
from .excerpts import build_excerpts
from .markers import find_marker_candidates, missing_marker_warnings, select_markers
from .model import Marker, ParsedReport
from .notes import split_notes
from .sources import resolve_sources
from .text import Span, SpanSet, url_spans

__all__ = ["parse_report_text", "read_report", "report_title"]

_METADATA = re.compile(
    r"^(?:last updated|published|publication date|publisher|cite as|date|source|author|disclaimer|copyright|"
    r"page \d+|\d+\s*$|https?://|.*\bpage \d+\s*$)",
    re.I,
)
_MAX_TITLE = 200


def report_title(text: str) -> str | None:
    """The report's title: its first short line that is not metadata (dates, publisher, addresses)."""
    for line in text.splitlines()[:40]:
        stripped = line.strip(" \t\f#*")
        if stripped and len(stripped) <= _MAX_TITLE and not _METADATA.match(stripped):
            return stripped
    return None


def _body_view(text: str, hidden: list[Span]) -> str:
    """The text with notes blanked out (line breaks kept), so offsets stay those of the report."""
    pieces: list[str] = []
    cursor = 0
    for span in SpanSet(hidden).spans:
        pieces.append(text[cursor : span.start])
        pieces.append("\n".join(" " * len(line) for line in text[span.start : span.end].split("\n")))
        cursor = span.end
    pieces.append(text[cursor:])
    return "".join(pieces)


def parse_report_text(text: str, *, gazetteer: Gazetteer | None = None) -> ParsedReport:
    """Parse a report's text; never raises on odd text, reports problems as warnings instead."""
    places = gazetteer or Gazetteer.default()
    split = split_notes(text)
    body = _body_view(text, split.non_body)
    note_numbers = [n.number for n in split.notes]
    candidates = find_marker_candidates(body, excluded=SpanSet(url_spans(body)))
    chosen = select_markers(candidates, note_numbers)
    markers = [Marker(number=c.number, offset=c.start, end=c.end) for c in chosen]
    readings = read_notes(split.notes, gazetteer=places)
    sources = resolve_sources(readings)
    explanations = {r.number: r.explanation for r in readings}
    excerpts = build_excerpts(body, markers, sources.refs, explanations)
    checks = consistency_checks(
        body,
        notes=sources.notes,
        markers=markers,
        witnesses=sources.witnesses,
        interviews=sources.resolution.interviews,
    )
    warnings = [*split.warnings, *missing_marker_warnings(chosen, candidates, note_numbers), *sources.warnings]
    return ParsedReport(
        title=report_title(body),
        notes=sources.notes,
        markers=markers,
        witnesses=sources.witnesses,
        interviews=sources.resolution.interviews,
        documents=sources.documents,
        excerpts=excerpts,
        checks=checks,
        warnings=warnings,
    )


def read_report(path: str | Path) -> ParsedReport:
    """Read a report from a UTF-8 text file and parse it; CasefileInvalid when the file cannot be read."""
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise CasefileInvalid([Problem(str(path), None, "", "cannot read report: file not found")]) from exc
    except UnicodeDecodeError as exc:
        problem = Problem(str(path), None, "", "cannot read report: not UTF-8 text (convert it, e.g. with iconv)")
        raise CasefileInvalid([problem]) from exc
    except OSError as exc:
        problem = Problem(str(path), None, "", f"cannot read report: {type(exc).__name__}")
        raise CasefileInvalid([problem]) from exc
    return parse_report_text(text)
