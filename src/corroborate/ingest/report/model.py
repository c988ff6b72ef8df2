"""The result of reading a report: notes, markers, sources, excerpts, checks and warnings.

These models are the JSON contract of ``corroborate parse-report --format json``
(``ParsedReport.to_json()``). They hold only what the report itself publishes:
the parser never sees, stores or logs anything restricted.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from corroborate.domain import DocumentKind, ExcerptMode

__all__ = [
    "Check",
    "DocumentSource",
    "ExcerptPassage",
    "InterviewRecord",
    "Marker",
    "Note",
    "NoteKind",
    "ParsedReport",
    "WitnessRecord",
]

NoteKind = Literal["interview", "ibid", "document", "treaty", "un_document", "other"]
_FROZEN = ConfigDict(frozen=True, extra="forbid")


class Note(BaseModel):
    """One endnote or footnote: its number, kind, text and the source(s) it cites."""

    model_config = _FROZEN

    number: int
    kind: NoteKind
    text: str = Field(description="the note's text, whitespace collapsed, without its number")
    offset: int = Field(description="where the note starts in the report text")
    source: str | None = Field(default=None, description="id of the first witness or document the note cites")
    sources: list[str] = Field(default_factory=list, description="ids of every witness and document it cites")
    pages: str | None = Field(default=None, description="pages or article cited, e.g. 21-22 or art. 12(2)")
    ibid_of: int | None = Field(default=None, description="for ibid notes, the note whose source is repeated")


class Marker(BaseModel):
    """A note marker in the body; ``offset`` is where it starts, just after the text it closes."""

    model_config = _FROZEN

    number: int
    offset: int
    end: int


class WitnessRecord(BaseModel):
    """One interviewee, resolved from the interview citations that describe the same person."""

    model_config = _FROZEN

    id: str
    gender: Literal["male", "female"] | None = None
    origin: str | None = Field(default=None, description="gazetteer's canonical name of the place of origin")
    origin_text: str | None = Field(default=None, description="the place of origin as the report spells it")
    age: int | None = None
    age_band: str | None = None
    nationality: str | None = None
    role: str | None = None
    label: str | None = Field(default=None, description="name the report uses for the witness, e.g. a pseudonym")
    organisation: str | None = None
    interview_country: str | None = None
    interview_dates: list[str] = Field(default_factory=list)
    notes: list[int] = Field(default_factory=list)


class InterviewRecord(BaseModel):
    """One interview: a witness on one date."""

    model_config = _FROZEN

    id: str
    witness: str
    date: str | None = None
    country: str | None = None
    town: str | None = None
    organisation: str | None = None
    notes: list[int] = Field(default_factory=list)


class DocumentSource(BaseModel):
    """A cited document (news report, NGO report, treaty, UN document), merged across notes."""

    model_config = _FROZEN

    id: str
    kind: DocumentKind
    title: str | None = None
    authors: list[str] = Field(default_factory=list)
    outlet: str | None = None
    publisher: str | None = None
    date: str | None = None
    url: str | None = None
    accessed: str | None = None
    volume: str | None = None
    symbol: str | None = None
    notes: list[int] = Field(default_factory=list)


class ExcerptPassage(BaseModel):
    """The passage a marker closes, linked to one source of its note, with a guessed mode."""

    model_config = _FROZEN

    note: int
    source: str | None = Field(default=None, description="witness or document id; None for notes citing nothing")
    interview: str | None = Field(default=None, description="interview id, for passages from interviews")
    text: str
    mode: ExcerptMode | None = None
    mode_cue: str | None = Field(default=None, description="the words the mode was guessed from; None = default")
    quote: bool = False
    pages: str | None = None
    offset: int
    end: int


class Check(BaseModel):
    """A self-consistency check: what the text states against what its notes cite."""

    model_config = _FROZEN

    name: str
    stated: str | None = None
    cited: str | None = None
    consistent: bool | None = Field(default=None, description="None when the text states nothing to compare")
    message: str


class ParsedReport(BaseModel):
    """Everything read from one report."""

    model_config = _FROZEN

    title: str | None = None
    notes: list[Note] = Field(default_factory=list)
    markers: list[Marker] = Field(default_factory=list)
    witnesses: list[WitnessRecord] = Field(default_factory=list)
    interviews: list[InterviewRecord] = Field(default_factory=list)
    documents: list[DocumentSource] = Field(default_factory=list)
    excerpts: list[ExcerptPassage] = Field(default_factory=list)
    checks: list[Check] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """The JSON object ``parse-report --format json`` prints."""
        return self.model_dump(mode="json")

    def note(self, number: int) -> Note:
        """The note with this number; KeyError if there is none."""
        for note in self.notes:
            if note.number == number:
                return note
        raise KeyError(number)
