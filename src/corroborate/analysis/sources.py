"""Sources and their independence: who or what stands behind each excerpt.

Two citations of one witness are one source; witnesses sharing an
independence group (interviewed together, related, sharing a broker) are one
source; documents repeating one underlying source are one source. Labels use
only public descriptors, never restricted fields.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from corroborate.domain import Case, Claim, Document, Witness, country_name

__all__ = ["ExcerptSource", "SideSummary", "SourceIndex"]


class ExcerptSource(NamedTuple):
    """What an excerpt rests on (a tuple: a million of them are made per assessment)."""

    excerpt: str
    kind: str  # "witness" or "document"
    source: str  # witness pseudonym or document id
    group: str  # independence group key
    group_reason: str | None  # why the group has more than one member, if it does
    mode: str
    note: int | None
    origin: str | None
    interview_date: str | None


def _witness_label(w: Witness) -> str:
    d = w.descriptor
    parts = [{"male": "man", "female": "woman"}.get(d.gender or "", "person")]
    if d.age is not None:
        parts.append(str(d.age))
    elif d.age_band is not None:
        parts.append(str(d.age_band))
    parts.append(d.origin or d.role or country_name(d.nationality))
    return f"{w.id} ({', '.join(parts)})"


def _document_label(d: Document) -> str:
    by = d.outlet or d.publisher or (d.authors[0] if d.authors else None)
    return f"{d.id} ({by + ', ' if by else ''}{d.date or 'undated'})"


class SourceIndex:
    """Resolves excerpts to sources and independence groups for one case."""

    def __init__(self, case: Case) -> None:
        witnesses = {w.id: w for w in case.witnesses}
        documents = {d.id: d for d in case.documents}
        interviews = {i.id: i for i in case.interviews}
        self.labels: dict[str, str] = {w: _witness_label(x) for w, x in witnesses.items()}
        self.labels.update({d: _document_label(x) for d, x in documents.items()})
        # (kind, source, group, reason, origin, interview date) per interview or document, made once
        template: dict[str, tuple[str, str, str, str | None, str | None, str | None]] = {}
        for interview in interviews.values():
            w = witnesses[interview.witness]
            if w.independence_group:
                group, reason = (
                    f"witness-group:{w.independence_group}",
                    w.independence_note or "marked as not independent",
                )
            else:
                group, reason = f"witness:{w.id}", None
            template[interview.id] = ("witness", w.id, group, reason, w.descriptor.origin, interview.date)
        for d in documents.values():
            if d.underlying_source:
                group, reason = f"underlying:{d.underlying_source}", f"same underlying source {d.underlying_source!r}"
            else:
                group, reason = f"document:{d.id}", None
            template[d.id] = ("document", d.id, group, reason, None, None)
        self.by_excerpt: dict[str, ExcerptSource] = {}
        for e in case.excerpts:
            kind, source, group, reason, origin, when = template[e.source]
            self.by_excerpt[e.id] = ExcerptSource(e.id, kind, source, group, reason, e.mode, e.note, origin, when)

    def source_of(self, claim: Claim) -> ExcerptSource:
        """What a claim rests on: its excerpt's source, with the claim's own mode where it has one."""
        source = self.by_excerpt[claim.excerpt]
        return source if claim.mode is None or claim.mode == source.mode else source._replace(mode=claim.mode)

    def label(self, source: str) -> str:
        """A public label for a witness or document, e.g. 'W-009 (woman, 40, Saebyol)'."""
        return self.labels.get(source, source)


@dataclass
class SideSummary:
    """The independent sources on one side (for or against) of a proposition."""

    groups: dict[str, list[ExcerptSource]] = field(default_factory=dict)
    first_hand_groups: set[str] = field(default_factory=set)

    def add(self, source: ExcerptSource, *, first_hand: bool) -> None:
        self.groups.setdefault(source.group, []).append(source)
        if first_hand:
            self.first_hand_groups.add(source.group)

    @property
    def witnesses(self) -> list[str]:
        return sorted({s.source for g in self.groups.values() for s in g if s.kind == "witness"})

    @property
    def documents(self) -> list[str]:
        return sorted({s.source for g in self.groups.values() for s in g if s.kind == "document"})

    @property
    def origins(self) -> list[str]:
        return sorted({s.origin for g in self.groups.values() for s in g if s.origin})

    def kind_groups(self, kind: str) -> int:
        return sum(1 for g in self.groups.values() if any(s.kind == kind for s in g))

    def citations(self) -> dict[str, int]:
        """How many times each witness or document is cited on this side."""
        counts: dict[str, int] = {}
        for group in self.groups.values():
            for source in group:
                counts[source.source] = counts.get(source.source, 0) + 1
        return counts
