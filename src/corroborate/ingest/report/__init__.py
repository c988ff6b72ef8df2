"""Read a published report back into evidence: notes, markers, interview citations, witnesses, excerpts.

``parse_report_text`` (or ``read_report`` for a file) gives a ``ParsedReport``;
``report_to_case`` turns it into a new ``Case`` and ``merge_report`` adds it
to an existing one. Only what the report already publishes is handled; the
parser never logs any of the text it reads.
"""

from .convert import ReportContent, merge_report, report_case_id, report_content, report_to_case
from .model import (
    Check,
    DocumentSource,
    ExcerptPassage,
    InterviewRecord,
    Marker,
    Note,
    NoteKind,
    ParsedReport,
    WitnessRecord,
)
from .parser import parse_report_text, read_report

__all__ = [
    "Check",
    "DocumentSource",
    "ExcerptPassage",
    "InterviewRecord",
    "Marker",
    "Note",
    "NoteKind",
    "ParsedReport",
    "ReportContent",
    "WitnessRecord",
    "merge_report",
    "parse_report_text",
    "read_report",
    "report_case_id",
    "report_content",
    "report_to_case",
]
