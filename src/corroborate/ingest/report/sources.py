"""Tie notes to sources: one document per cited work, witnesses per interviewee, ibid resolved.

A work cited in several notes is one document: notes 1 and 9 of the reference
paper cite the same Human Rights Watch report (same address), notes 22 and 25
the same KINU white paper (same title and date). "Ibid." repeats the source
of the note before it (with its own pages); "supra note 5" the source of note 5.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from .citations import NoteReading
from .documents import DocumentCitation
from .model import DocumentSource, Note, WitnessRecord
from .witnesses import WitnessResolution, resolve_witnesses, witness_records

__all__ = ["SourceRef", "Sources", "resolve_sources"]

_MIN_CONTAINED_TITLE = 20


@dataclass(frozen=True)
class SourceRef:
    """One source a note cites: a witness (with the interview) or a document, and the pages."""

    source: str
    interview: str | None = None
    pages: str | None = None

    @property
    def is_document(self) -> bool:
        """True for a document, False for a witness's interview."""
        return self.interview is None


@dataclass
class _DocumentGroup:
    """One cited work being assembled from the citations of it."""

    id: str
    citations: list[DocumentCitation] = field(default_factory=list)
    keys: set[_WorkKey] = field(default_factory=set)
    notes: set[int] = field(default_factory=set)


@dataclass(frozen=True)
class Sources:
    """Notes with their sources, the witnesses, interviews and documents they cite, and warnings."""

    notes: list[Note]
    refs: dict[int, list[SourceRef]]
    witnesses: list[WitnessRecord]
    resolution: WitnessResolution
    documents: list[DocumentSource]
    warnings: list[str]


def _title_key(title: str | None) -> str:
    return re.sub(r"[^0-9a-z]+", "", (title or "").casefold())


@dataclass(frozen=True)
class _WorkKey:
    """What identifies a cited work: its address, or its title (folded), date and kind."""

    url: str | None
    title: str
    date: str | None
    kind: str

    @classmethod
    def of(cls, citation: DocumentCitation) -> _WorkKey:
        """The key of a citation's work."""
        url = citation.url.casefold().rstrip("/") if citation.url else None
        return cls(url, _title_key(citation.title), citation.date, citation.kind)

    def same_work(self, other: _WorkKey) -> bool:
        """Same address; or same title, kind and agreeing dates; or one title ending the other, same date."""
        if self.url and self.url == other.url:
            return True
        if not self.title or not other.title or self.kind != other.kind:
            return False
        if self.title == other.title:
            return self.date is None or other.date is None or self.date == other.date
        shorter, longer = sorted((self.title, other.title), key=len)
        return len(shorter) >= _MIN_CONTAINED_TITLE and longer.endswith(shorter) and self.date == other.date


def _document_source(group: _DocumentGroup) -> DocumentSource:
    def first(name: str) -> str | None:
        """The first value a citation of the work gives for a field (citations differ in detail)."""
        return next((getattr(c, name) for c in group.citations if getattr(c, name)), None)

    return DocumentSource(
        id=group.id,
        kind=group.citations[0].kind,
        title=first("title"),
        authors=next((c.authors for c in group.citations if c.authors), []),
        outlet=first("outlet"),
        publisher=first("publisher"),
        date=first("date"),
        url=first("url"),
        accessed=first("accessed"),
        volume=first("volume"),
        symbol=first("symbol"),
        notes=sorted(group.notes),
    )


def _probes(key: _WorkKey) -> list[str]:
    """The index entries of a work: its address, its title and its date, when known."""
    probes = [f"title:{key.title}"] if key.title else []
    if key.url:
        probes.append(f"url:{key.url}")
    if key.date:
        probes.append(f"date:{key.date}")
    return probes


def _group_documents(readings: list[NoteReading]) -> tuple[list[_DocumentGroup], dict[tuple[int, int], str]]:
    """One group per cited work; a citation is only compared with works of the same address, title or date."""
    groups: list[_DocumentGroup] = []
    where: dict[tuple[int, int], str] = {}
    index: dict[str, dict[str, _DocumentGroup]] = {}
    for reading in readings:
        for position, citation in enumerate(reading.documents):
            key = _WorkKey.of(citation)
            candidates: dict[str, _DocumentGroup] = {}
            for probe in _probes(key):
                candidates.update(index.get(probe, {}))
            group = next((g for g in candidates.values() if any(key.same_work(k) for k in g.keys)), None)
            if group is None:
                group = _DocumentGroup(id=f"D-{len(groups) + 1:03d}")
                groups.append(group)
            if key not in group.keys:
                group.keys.add(key)
                for probe in _probes(key):
                    index.setdefault(probe, {})[group.id] = group
            group.citations.append(citation)
            group.notes.add(reading.number)
            where[(reading.number, position)] = group.id
    return groups, where


def _refs_of(
    reading: NoteReading, interviews: dict[tuple[int, int], tuple[str, str]], documents: dict[tuple[int, int], str]
) -> list[SourceRef]:
    refs = []
    for what, index in reading.order:
        if what == "interview":
            witness, interview = interviews[(reading.number, index)]
            refs.append(SourceRef(witness, interview))
        else:
            refs.append(SourceRef(documents[(reading.number, index)], None, reading.documents[index].pages))
    return refs


def _resolve_ibid(
    reading: NoteReading, previous: int | None, refs: dict[int, list[SourceRef]], warnings: list[str]
) -> tuple[SourceRef | None, int | None]:
    target = reading.ibid_of if reading.ibid_of is not None else previous
    if target is None or not refs.get(target):
        what = f"note {target}" if target is not None else "no earlier note"
        warnings.append(f"note {reading.number}: repeats the source of {what}, which cites none")
        return None, target
    first = refs[target][0]
    return SourceRef(first.source, first.interview, reading.pages or (None if reading.ibid_of else first.pages)), target


def resolve_sources(readings: list[NoteReading]) -> Sources:
    """Witnesses, documents and every note's sources, in note order."""
    warnings: list[str] = []
    resolution = resolve_witnesses([(r.number, r.interviews) for r in readings])
    warnings += resolution.warnings
    doc_groups, doc_ids = _group_documents(readings)
    by_id = {g.id: g for g in doc_groups}
    witness_groups = {g.id: g for g in resolution.groups}
    refs: dict[int, list[SourceRef]] = {}
    notes: list[Note] = []
    previous: int | None = None
    for reading in readings:
        warnings += reading.warnings()
        own = _refs_of(reading, resolution.cited, doc_ids)
        ibid_of = None
        if reading.ibid:
            repeated, ibid_of = _resolve_ibid(reading, previous, refs, warnings)
            if repeated is not None:
                own.insert(0, repeated)
                group = by_id.get(repeated.source) or witness_groups.get(repeated.source)
                if group is not None:
                    group.notes.add(reading.number)
        refs[reading.number] = own
        pages = reading.pages if reading.ibid else next((r.pages for r in own if r.pages), None)
        notes.append(
            Note(
                number=reading.number,
                kind=reading.kind,
                text=reading.text,
                offset=reading.offset,
                source=own[0].source if own else None,
                sources=list(dict.fromkeys(r.source for r in own)),
                pages=pages,
                ibid_of=ibid_of,
            )
        )
        previous = reading.number
    documents = [_document_source(g) for g in doc_groups]
    resolution = _with_ibid_notes(resolution, refs)
    return Sources(notes, refs, witness_records(resolution), resolution, documents, warnings)


def _with_ibid_notes(resolution: WitnessResolution, refs: dict[int, list[SourceRef]]) -> WitnessResolution:
    """Interviews list every note that cites them, "Ibid." notes included."""
    citing: dict[str, set[int]] = {}
    for number, note_refs in refs.items():
        for ref in note_refs:
            if ref.interview is not None:
                citing.setdefault(ref.interview, set()).add(number)
    interviews = [
        i.model_copy(update={"notes": sorted(set(i.notes) | citing.get(i.id, set()))}) for i in resolution.interviews
    ]
    return replace(resolution, interviews=interviews)
