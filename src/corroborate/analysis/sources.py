"""Sources and their independence: who or what stands behind each excerpt.

Two citations of one witness are one source; witnesses sharing an
independence group (interviewed together, related, sharing a broker) are one
source; documents repeating one underlying source are one source. Labels use
only public descriptors, never restricted fields.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Callable, Collection, Hashable, Iterable
from dataclasses import dataclass, field
from itertools import compress, repeat
from operator import eq, itemgetter
from typing import Any, NamedTuple, cast

from corroborate.domain import Case, Claim, Document, Witness, country_name

__all__ = ["ExcerptSource", "SideSummary", "SourceIndex", "SourceTemplate", "WitnessFacts"]


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


# What an interview or document gives every excerpt of it: (kind, source, group, reason, origin, interview date).
SourceTemplate = tuple[str, str, str, str | None, str | None, str | None]


# What indexing needs of a witness: (pseudonym, independence group, why grouped, place of origin).
WitnessFacts = tuple[str, str | None, str | None, str | None]


class SourceIndex:
    """Resolves excerpts to sources and independence groups: of a whole case, or of the sources a caller adds.

    ``templates`` holds each interview's and document's part of an ``ExcerptSource``
    under the key its excerpts name it by (its id in a case; any hashable key
    the caller chooses with ``add_sources`` or ``add_facts``).
    """

    def __init__(self, case: Case | None = None) -> None:
        self.labels: dict[str, str] = {}
        self.templates: dict[Hashable, SourceTemplate] = {}
        self.by_excerpt: dict[str, ExcerptSource] = {}
        self._witness: Callable[[str], Witness] | None = None  # makes a witness whose label is first asked for
        self._unlabelled: set[str] = set()
        if case is None:
            return
        self.add_sources(
            case.witnesses, [(d.id, d) for d in case.documents], [(i.id, i.witness, i.date) for i in case.interviews]
        )
        for e in case.excerpts:
            self.by_excerpt[e.id] = self.source(e.id, e.source, e.mode, e.note)

    def add_sources(
        self,
        witnesses: Iterable[Witness],
        documents: Iterable[tuple[Hashable, Document]],
        interviews: Iterable[tuple[Hashable, str, str]],
    ) -> None:
        """Index interviews, as (key, witness pseudonym, date), and documents, as (key, document)."""
        by_id = {w.id: w for w in witnesses}
        self.labels.update({w: _witness_label(x) for w, x in by_id.items()})
        facts = [(w.id, w.independence_group, w.independence_note, w.descriptor.origin) for w in by_id.values()]
        self._add(facts, documents, interviews)

    def add_facts(
        self,
        witnesses: Iterable[WitnessFacts],
        documents: Iterable[tuple[Hashable, Document]],
        interviews: Iterable[tuple[Hashable, str, str]],
        *,
        witness: Callable[[str], Witness],
    ) -> None:
        """``add_sources`` from what grouping needs of each witness; ``witness`` gives the whole witness
        of a pseudonym, asked only for those an explanation names (a label needs the public descriptor)."""
        self._witness = witness
        facts = list(witnesses)
        self._unlabelled.update(f[0] for f in facts)
        self._add(facts, documents, interviews)

    def _add(
        self,
        witnesses: Iterable[WitnessFacts],
        documents: Iterable[tuple[Hashable, Document]],
        interviews: Iterable[tuple[Hashable, str, str]],
    ) -> None:
        named = list(documents)
        self.labels.update({d.id: _document_label(d) for _, d in named})
        of_witness: dict[str, tuple[str, str | None, str | None]] = {}  # pseudonym -> (group, reason, origin)
        for pseudonym, group, note, origin in witnesses:
            if group:
                of_witness[pseudonym] = (f"witness-group:{group}", note or "marked as not independent", origin)
            else:
                of_witness[pseudonym] = (f"witness:{pseudonym}", None, origin)
        for key, witness, when in interviews:
            group_key, reason, origin = of_witness[witness]
            self.templates[key] = ("witness", witness, group_key, reason, origin, when)
        for key, d in named:
            if d.underlying_source:
                under = d.underlying_source
                group_key, reason = f"underlying:{under}", f"same underlying source {under!r}"
            else:
                group_key, reason = f"document:{d.id}", None
            self.templates[key] = ("document", d.id, group_key, reason, None, None)

    def source(self, excerpt: str, source: Hashable, mode: str, note: int | None) -> ExcerptSource:
        """What an excerpt of the interview or document keyed ``source`` rests on."""
        kind, ref, group, reason, origin, when = self.templates[source]
        return ExcerptSource(excerpt, kind, ref, group, reason, mode, note, origin, when)

    def source_of(self, claim: Claim) -> ExcerptSource:
        """What a claim rests on: its excerpt's source, with the claim's own mode where it has one."""
        source = self.by_excerpt[claim.excerpt]
        return source if claim.mode is None or claim.mode == source.mode else source._replace(mode=claim.mode)

    def label(self, source: str) -> str:
        """A public label for a witness or document, e.g. 'W-009 (woman, 40, Saebyol)'."""
        found = self.labels.get(source)
        if found is not None:
            return found
        if self._witness is None or source not in self._unlabelled:
            return source
        found = self.labels[source] = _witness_label(self._witness(source))
        return found


# Fields of an ExcerptSource read by C-level maps over a side's sources (a side may have tens of thousands).
_KIND, _SOURCE, _GROUP, _MODE, _ORIGIN = (itemgetter(i) for i in (1, 2, 3, 5, 7))


@dataclass
class SideSummary:
    """The independent sources on one side (for or against) of a proposition.

    What is derived from the sources (witnesses, origins, groups of each kind)
    is computed once and kept until a source is added.
    """

    groups: dict[str, list[ExcerptSource]] = field(default_factory=dict)
    first_hand_groups: set[str] = field(default_factory=set)
    _derived: dict[str, Any] = field(default_factory=dict, init=False, repr=False, compare=False)

    @classmethod
    def of(cls, sources: Iterable[ExcerptSource], first_hand_modes: Collection[str]) -> SideSummary:
        """The side these sources make up (first-hand: those whose mode is one of ``first_hand_modes``)."""
        listed = sources if isinstance(sources, list) else list(sources)
        groups: dict[str, list[ExcerptSource]] = {}
        for s in listed:
            members = groups.get(s[3])  # s.group, read by index: this runs once per claim
            if members is None:
                groups[s[3]] = [s]
            else:
                members.append(s)
        first_hand = map(first_hand_modes.__contains__, map(_MODE, listed))
        return cls(groups, set(compress(map(_GROUP, listed), first_hand)))

    def add(self, source: ExcerptSource, *, first_hand: bool) -> None:
        self._derived.clear()
        self.groups.setdefault(source.group, []).append(source)
        if first_hand:
            self.first_hand_groups.add(source.group)

    def _all(self) -> list[ExcerptSource]:
        found = self._derived.get("all")
        if found is None:
            found = self._derived["all"] = list(itertools.chain.from_iterable(self.groups.values()))
        return cast(list[ExcerptSource], found)

    def _of_kind(self, kind: str) -> list[str]:
        found = self._derived.get(kind)
        if found is None:
            # The sources of that kind: chosen and collected by C-level maps, with no pair made per source.
            every = self._all()
            chosen = compress(map(_SOURCE, every), map(eq, map(_KIND, every), repeat(kind)))
            found = self._derived[kind] = sorted(set(chosen))
        return cast(list[str], found)

    @property
    def witnesses(self) -> list[str]:
        return self._of_kind("witness")

    @property
    def documents(self) -> list[str]:
        return self._of_kind("document")

    @property
    def origins(self) -> list[str]:
        found = self._derived.get("origins")
        if found is None:
            found = self._derived["origins"] = sorted(o for o in set(map(_ORIGIN, self._all())) if o)
        return cast(list[str], found)

    def kind_groups(self, kind: str) -> int:
        """How many groups hold a source of this kind."""
        every = self._all()
        return len(set(compress(map(_GROUP, every), map(eq, map(_KIND, every), repeat(kind)))))

    def citations(self) -> dict[str, int]:
        """How many times each witness or document is cited on this side."""
        return dict(Counter(map(_SOURCE, self._all())))
