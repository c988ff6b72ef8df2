"""Use case of full-text search: find excerpts, documents, propositions and witnesses by their public text.

A query is words (or "quoted phrases"); a row matches when it contains every
one of them, anywhere in a word. A word that names a place in the gazetteer
also matches the place's other spellings (Chungjin finds Chongjin and 청진),
and an excerpt whose witness comes from that place. Results are ranked by how
often the words occur, with the matches marked in a snippet; when a kind
has more than ``RANKED`` matches, among the first ``RANKED`` of them (in the
order rows were added), so a common word in a large case costs no more than
a rare one. Restricted identities are never searched.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from corroborate.domain import Gazetteer
from corroborate.errors import UserError
from corroborate.store import open_store
from corroborate.store.search import KINDS, SearchTerm, TextMatch, search_text

from .access import Action, Actor
from .cases import actor_case

__all__ = ["KINDS", "SearchHit", "search"]

_WINDOW = 200  # characters of context a snippet shows
RANKED = 250  # matches of each kind read and ranked (see ``search``)


@dataclass(frozen=True)
class SearchHit:
    """One result: what matched, a snippet of its public text with the matches marked, and why it matched."""

    kind: str
    ref: str
    snippet: str
    highlights: list[tuple[int, int]]  # (start, end) of each match in the snippet
    score: int
    because: str | None = None  # e.g. "the witness is from Chongjin", when the text itself does not say so


def _terms(query: str) -> list[SearchTerm]:
    try:
        words = shlex.split(query)
    except ValueError:
        words = query.replace('"', " ").split()
    terms = []
    for word in (w.strip() for w in words):
        if not word:
            continue
        place = Gazetteer.default().find(word)
        if place is None:
            terms.append(SearchTerm((word,)))
        else:
            spellings = dict.fromkeys((word, *place.spellings()))
            terms.append(SearchTerm(tuple(s for s in spellings if s), place.name))
    if not terms:
        raise UserError("the search query is empty: give one or more words")
    return terms


def _pattern(variants: Iterable[str]) -> re.Pattern[str]:
    """Any of the variants, longest first, in any case."""
    ordered = sorted(set(variants), key=len, reverse=True)
    return re.compile("|".join(re.escape(v) for v in ordered), re.IGNORECASE)


@dataclass(frozen=True)
class _Query:
    """A query's terms, compiled once for all its matches: all spellings, and each place's own."""

    terms: Sequence[SearchTerm]
    pattern: re.Pattern[str]
    places: list[tuple[str, re.Pattern[str]]]

    @classmethod
    def of(cls, terms: Sequence[SearchTerm]) -> _Query:
        places = [(t.place, _pattern(t.variants)) for t in terms if t.place]
        return cls(terms, _pattern(v for t in terms for v in t.variants), places)

    def by_origin(self, match: TextMatch, text: str) -> list[str]:
        """The places a match is found through its witness's origin alone (its text names them in no spelling)."""
        return [place for place, spelled in self.places if match.origin == place and not spelled.search(text)]

    def score(self, match: TextMatch) -> int:
        """How often the words occur in a match's text, and one for each place found through its witness."""
        text = " ".join(match.text.split())
        return len(self.pattern.findall(text)) + (len(self.by_origin(match, text)) if match.origin else 0)

    def hit(self, match: TextMatch) -> SearchHit:
        """The match as a result: its snippet with the words marked, its score, and why it matched."""
        text = " ".join(match.text.split())
        found = [(m.start(), m.end()) for m in self.pattern.finditer(text)]
        by_origin = self.by_origin(match, text)
        because = f"the witness is from {', '.join(by_origin)}" if by_origin else None
        start = 0
        if len(text) > _WINDOW and found:
            start = max(0, min(found[0][0] - _WINDOW // 3, len(text) - _WINDOW))
        end = min(len(text), start + _WINDOW)
        prefix = "…" if start > 0 else ""
        snippet = prefix + text[start:end] + ("…" if end < len(text) else "")
        shift = len(prefix) - start
        highlights = [(s + shift, e + shift) for s, e in found if s >= start and e <= end]
        return SearchHit(match.kind, match.ref, snippet, highlights, len(found) + len(by_origin), because)


def search(
    location: str,
    query: str,
    *,
    actor: Actor,
    case: str | None = None,
    kinds: Sequence[str] | None = None,
    limit: int = 20,
) -> list[SearchHit]:
    """The rows of a case that match every word of ``query``, best first, at most ``limit`` of them.

    Ranked among the first ``RANKED`` matches of each kind (or ``limit``, when larger) in the order
    rows were added: a common word matches hundreds of thousands of excerpts of a large case, and
    reading them all to rank them would take seconds.
    """
    chosen = tuple(kinds) if kinds else KINDS
    unknown = sorted(set(chosen) - set(KINDS))
    if unknown:
        raise UserError(f"no kind {unknown[0]!r} to search; choose from {', '.join(KINDS)}")
    if limit < 1:
        raise UserError("--limit must be at least 1")
    terms = _terms(query)
    with open_store(location) as store, store.transaction() as session:
        row = actor_case(session, actor, Action.analyse, case)
        matches = search_text(session, row.pk, terms, chosen, first=max(limit, RANKED))
    compiled = _Query.of(terms)
    order = {kind: i for i, kind in enumerate(KINDS)}
    ranked = sorted((-compiled.score(m), order[m.kind], i) for i, m in enumerate(matches))
    return [compiled.hit(matches[i]) for _, _, i in ranked[:limit]]
