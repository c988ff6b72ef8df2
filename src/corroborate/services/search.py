"""Use case of full-text search: find excerpts, documents, propositions and witnesses by their public text.

A query is words (or "quoted phrases"); a row matches when it contains every
one of them, anywhere in a word. A word that names a place in the gazetteer
also matches the place's other spellings (Chungjin finds Chongjin and 청진),
and an excerpt whose witness comes from that place. Results are ranked by how
often the words occur, with the matches marked in a snippet. Restricted
identities are never searched.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Sequence
from dataclasses import dataclass

from corroborate.domain import Gazetteer
from corroborate.errors import UserError
from corroborate.store import open_store
from corroborate.store.search import KINDS, SearchTerm, TextMatch, search_text

from .access import Action, Actor
from .cases import actor_case

__all__ = ["KINDS", "SearchHit", "search"]

_WINDOW = 200  # characters of context a snippet shows


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


def _hit(match: TextMatch, terms: Sequence[SearchTerm]) -> SearchHit:
    text = " ".join(match.text.split())
    variants = sorted({v for t in terms for v in t.variants}, key=len, reverse=True)
    pattern = re.compile("|".join(re.escape(v) for v in variants), re.IGNORECASE)
    found = [(m.start(), m.end()) for m in pattern.finditer(text)]
    score = len(found)
    because = None
    by_origin = [t.place for t in terms if t.place and match.origin == t.place and not any(
        re.search(re.escape(v), text, re.IGNORECASE) for v in t.variants)]  # fmt: skip
    if by_origin:
        score += len(by_origin)
        because = f"the witness is from {', '.join(by_origin)}"
    start = 0
    if len(text) > _WINDOW and found:
        start = max(0, min(found[0][0] - _WINDOW // 3, len(text) - _WINDOW))
    end = min(len(text), start + _WINDOW)
    prefix = "…" if start > 0 else ""
    snippet = prefix + text[start:end] + ("…" if end < len(text) else "")
    shift = len(prefix) - start
    highlights = [(s + shift, e + shift) for s, e in found if s >= start and e <= end]
    return SearchHit(match.kind, match.ref, snippet, highlights, score, because)


def search(
    location: str,
    query: str,
    *,
    actor: Actor,
    case: str | None = None,
    kinds: Sequence[str] | None = None,
    limit: int = 20,
) -> list[SearchHit]:
    """The rows of a case that match every word of ``query``, best first, at most ``limit`` of them."""
    chosen = tuple(kinds) if kinds else KINDS
    unknown = sorted(set(chosen) - set(KINDS))
    if unknown:
        raise UserError(f"no kind {unknown[0]!r} to search; choose from {', '.join(KINDS)}")
    if limit < 1:
        raise UserError("--limit must be at least 1")
    terms = _terms(query)
    with open_store(location) as store, store.transaction() as session:
        row = actor_case(session, actor, Action.analyse, case)
        matches = search_text(session, row.pk, terms, chosen)
    hits = [_hit(m, terms) for m in matches]
    order = {kind: i for i, kind in enumerate(KINDS)}
    ranked = sorted(enumerate(hits), key=lambda ih: (-ih[1].score, order[ih[1].kind], ih[0]))
    return [hit for _, hit in ranked[:limit]]
