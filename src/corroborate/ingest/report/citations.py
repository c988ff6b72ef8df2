"""Read one note: which citations it holds (interviews, documents, ibid) and what kind of note it is.

A note may explain before it cites (note 4 of the reference paper ends with
its interview citation after a sentence of explanation; note 22 ends with a
KINU citation after a paragraph). So a note is cut into sentences, every
sentence is tried as an interview citation and as a document citation, and
the rest is explanation. The note's kind is the kind of its first citation;
a note with none is ``other`` (kept, with a warning, never dropped).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from corroborate.domain import Gazetteer

from .dates import find_locator
from .documents import DocumentCitation, parse_document_citation
from .interviews import InterviewCitation, find_interview_citations, nationality_from
from .model import NoteKind
from .notes import RawNote
from .sentences import sentence_spans

__all__ = ["NoteReading", "read_note", "read_notes"]

_IBID = re.compile(r"^\s*(?:ibid\b\.?|id\.)\s*,?\s*", re.I)
_SUPRA = re.compile(r"\b(?:supra|above|see)\s*,?\s+(?:note|n\.)\s*(?P<note>\d{1,4})\b", re.I)
_REPEAT_END = re.compile(r";\s*|,?\s+and\s+(?=[A-Z])|(?<=\.)\s+(?=[A-Z])")
_SEE = re.compile(r"\b(?:see(?:\s+also)?|cf\.)\s*,?\s*$", re.I)
_FEMALE_PRONOUN = re.compile(r"\b(?:she|her|herself)\b", re.I)
_MALE_PRONOUN = re.compile(r"\b(?:he|him|his|himself)\b", re.I)


@dataclass(frozen=True)
class NoteReading:
    """What one note cites, in the order it cites it."""

    number: int
    text: str
    offset: int
    kind: NoteKind
    interviews: list[InterviewCitation] = field(default_factory=list)
    documents: list[DocumentCitation] = field(default_factory=list)
    order: list[tuple[str, int]] = field(default_factory=list)  # ("interview" | "document", index), as cited
    ibid_of: int | None = None  # a note number ("supra note 5"), or None for "the previous note"
    ibid: bool = False
    pages: str | None = None
    explanation: str = ""
    problems: list[str] = field(default_factory=list)  # without the "note N: " prefix

    def warnings(self) -> list[str]:
        """The problems of this note as warnings ("note 6: ...")."""
        return [f"note {self.number}: {problem}" for problem in self.problems]


def _gender_from_pronouns(citations: list[InterviewCitation], explanation: str) -> list[InterviewCitation]:
    """Give the one ungendered interviewee the gender the explanation's pronouns show ("that she received")."""
    missing = [i for i, c in enumerate(citations) if c.gender is None]
    if len(missing) != 1 or not explanation:
        return citations
    female, male = bool(_FEMALE_PRONOUN.search(explanation)), bool(_MALE_PRONOUN.search(explanation))
    if female == male:
        return citations
    updated = list(citations)
    updated[missing[0]] = replace(citations[missing[0]], gender="female" if female else "male")
    return updated


def _nationality_from_explanation(citations: list[InterviewCitation], explanation: str) -> list[InterviewCitation]:
    """ "A Chinese resident ... told us" marks the interviewee of a role-only citation as Chinese."""
    if len(citations) != 1 or citations[0].nationality is not None:
        return citations
    code = nationality_from(explanation)
    if code is None:
        return citations
    return [replace(citations[0], nationality=code)]


def _kind_of(order: list[tuple[str, int]], documents: list[DocumentCitation], ibid: bool) -> NoteKind:
    if ibid:
        return "ibid"
    if not order:
        return "other"
    what, index = order[0]
    if what == "interview":
        return "interview"
    doc_kind = documents[index].kind
    if doc_kind in ("treaty", "un_document"):
        return doc_kind
    return "document"


def _repeat(text: str) -> tuple[bool, int | None, str | None, str]:
    """For "Ibid., p. 5; ..." or "See supra note 2, and ...": (repeats a source?, note named, pages, the rest).

    The rest is the note without the repeat, to be read for further citations.
    """
    ibid = _IBID.match(text)
    supra = None if ibid else _SUPRA.search(text)
    repeat = ibid or supra
    if repeat is None:
        return False, None, None, text
    start, end = repeat.span()
    tail = text[end:]
    stop = _REPEAT_END.search(tail)
    own, after = (tail[: stop.start()], tail[stop.end() :]) if stop else (tail, "")
    before = _SEE.sub("", text[:start])
    number = int(supra.group("note")) if supra else None
    return True, number, find_locator(own), f"{before} {after}".strip()


def read_note(raw: RawNote, *, gazetteer: Gazetteer | None = None) -> NoteReading:
    """Classify a note and parse every citation in it."""
    ibid, ibid_of, pages, body = _repeat(raw.text)
    found = find_interview_citations(body, gazetteer=gazetteer)
    interviews = [citation for _, citation in found]
    lead_offsets = sorted({offset for offset, _ in found})
    order: list[tuple[str, int]] = [("interview", i) for i in range(len(interviews))]
    positions: list[int] = [offset for offset, _ in found]
    documents: list[DocumentCitation] = []
    explanation: list[str] = []
    for span in sentence_spans(body):
        if any(span.start <= offset < span.end for offset in lead_offsets):
            explanation.append(body[span.start : min([o for o in lead_offsets if o >= span.start] + [span.end])])
            continue
        document = parse_document_citation(body[span.start : span.end])
        if document is None:
            explanation.append(body[span.start : span.end])
            continue
        order.append(("document", len(documents)))
        positions.append(span.start)
        documents.append(document)
    order = [item for _, item in sorted(zip(positions, order, strict=True), key=lambda pair: pair[0])]
    prose = " ".join(explanation)
    interviews = _nationality_from_explanation(_gender_from_pronouns(interviews, prose), prose)
    problems = [problem for c in interviews for problem in c.problems]
    kind = _kind_of(order, documents, ibid)
    if kind == "other":
        problems.append("no citation recognised; kept as 'other'")
    return NoteReading(
        number=raw.number,
        text=raw.text,
        offset=raw.span.start,
        kind=kind,
        interviews=interviews,
        documents=documents,
        order=order,
        ibid_of=ibid_of,
        ibid=ibid,
        pages=pages,
        explanation=prose,
        problems=problems,
    )


def read_notes(raws: list[RawNote], *, gazetteer: Gazetteer | None = None) -> list[NoteReading]:
    """Read every note; a note worded exactly like an earlier one ("Ibid.", a repeated citation) is read once."""
    read: dict[str, NoteReading] = {}
    readings = []
    for raw in raws:
        known = read.get(raw.text)
        if known is None:
            known = read[raw.text] = read_note(raw, gazetteer=gazetteer)
        readings.append(replace(known, number=raw.number, offset=raw.span.start))
    return readings
