"""Redaction: every restricted value in a message replaced by a neutral marker.

Messages that quote what the user typed (a casefile problem, an unknown
place, a date that is not one) pass through here, so that a restricted value
typed into the wrong field is never printed back. Matching is the leak
scanner's, as for publications (names in any romanisation, Hangul, phones in
any format, birth dates, locations), plus each value exactly as written, so
that what the scanner leaves alone in prose (a surname alone, a short word)
is hidden too when a message would quote it verbatim.

A ``Redactor`` holds restricted values: never log it or put it in a message.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from corroborate.domain import RestrictedIdentity

from .leaks import LeakScanner

__all__ = ["REDACTED", "Redactor", "redact"]

REDACTED = "[restricted]"
_MIN_LITERAL = 2  # a single character identifies no one, and would cut every message to pieces
_MIN_PART = 3
_LOCATION_PARTS = re.compile(r"[,;()\[\]/]")
_TOKEN = re.compile(r"\w+|[^\w\s]")


def _tokens(text: str) -> list[re.Match[str]]:
    """Words and single punctuation marks, case folded character by character (offsets stay valid)."""
    folded = "".join(c.casefold() if len(c.casefold()) == 1 else c for c in text)
    return list(_TOKEN.finditer(folded))


class Redactor:
    """Restricted values compiled once; ``redact(text)`` replaces each one found with ``REDACTED``."""

    def __init__(self, restricted: Mapping[str, RestrictedIdentity], *, values: Iterable[str] = ()) -> None:
        self._scanner = LeakScanner(restricted)
        literals = {v.strip() for v in values}
        for identity in restricted.values():
            literals.update(v.strip() for v in identity.values())
            if identity.current_location:
                # Each part of a location too: the town alone ("Helong") says where the witness lives.
                parts = (p.strip() for p in _LOCATION_PARTS.split(identity.current_location))
                literals.update(p for p in parts if len(p) >= _MIN_PART)
        # Each value as its sequence of tokens, indexed by the first: one dictionary look-up per word of a message.
        self._literals: dict[str, list[tuple[str, ...]]] = {}
        for value in literals:
            if len(value) >= _MIN_LITERAL:
                tokens = tuple(m.group() for m in _tokens(value))
                if tokens:
                    self._literals.setdefault(tokens[0], []).append(tokens)

    def __repr__(self) -> str:
        return "Redactor(<restricted values not shown>)"

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Where restricted values are in ``text``: sorted, overlaps merged."""
        found = [(leak.start, leak.end) for leak in self._scanner.scan(text)]
        found += self._literal_spans(text)
        merged: list[tuple[int, int]] = []
        for start, end in sorted(found):
            if merged and start <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], end))
            else:
                merged.append((start, end))
        return merged

    def _literal_spans(self, text: str) -> list[tuple[int, int]]:
        if not self._literals:
            return []
        tokens = _tokens(text)
        words = [m.group() for m in tokens]
        spans = []
        for i, word in enumerate(words):
            for value in self._literals.get(word, ()):
                if tuple(words[i : i + len(value)]) == value:
                    spans.append((tokens[i].start(), tokens[i + len(value) - 1].end()))
        return spans

    def redact(self, text: str) -> str:
        """``text`` with every restricted value replaced by ``REDACTED``."""
        spans = self.spans(text)
        if not spans:
            return text
        parts, position = [], 0
        for start, end in spans:
            parts += [text[position:start], REDACTED]
            position = end
        parts.append(text[position:])
        return "".join(parts)

    __call__ = redact


def redact(text: str, restricted: Mapping[str, RestrictedIdentity], *, values: Iterable[str] = ()) -> str:
    """``text`` with every restricted value of ``restricted`` (and every one of ``values``) replaced."""
    return Redactor(restricted, values=values).redact(text)
