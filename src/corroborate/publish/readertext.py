"""Text as a reader perceives it, with a map back to the text it came from.

A leak scan must see what a reader sees, not the code points an author (or
an attacker) typed. ``reader_text`` turns a text into that form:

* compatibility forms folded (NFKC): full-width ``Ｐａｋ``, mathematical
  letters, ligatures, circled digits, compatibility ideographs;
* invisible characters removed: format characters (zero-width space and
  joiners, soft hyphen, bidirectional controls, tags), control characters,
  variation selectors, the combining grapheme joiner, Hangul fillers;
* whitespace runs collapsed to one space, as HTML renders them
  (``박   순   옥``), blank-looking characters counted as whitespace;
* digits of any script written as ASCII digits;
* look-alike letters of other scripts folded to the Latin letter they
  imitate, as the skeleton of Unicode TR39 does (Cyrillic ``Раk``, Greek
  ``Κim``), from the confusables data of the Unicode Consortium as shipped
  by the ``confusable_homoglyphs`` package, plus Latin small capitals and
  the few Cyrillic small-capital look-alikes that table lacks;
* Hangul composed into syllables, whether written as conjoining jamo, as
  compatibility jamo (``ㅂㅏㄱ`` → ``박``), half-width jamo, or split by
  invisible characters.

The same function normalises the restricted values a scan looks for, so the
two sides meet. ASCII text other than its whitespace is left as it is, so
the common case costs one regular-expression pass. Pure functions; nothing
here logs or keeps the text.
"""

from __future__ import annotations

import bisect
import functools
import json
import re
import unicodedata
from dataclasses import dataclass
from importlib import resources

__all__ = ["ReaderText", "reader_text", "skeleton_char"]

# Printable ASCII with single spaces inside: copied as it is.
_PLAIN = re.compile(r"[\x21-\x7e]+(?: [\x21-\x7e]+)*")
# Characters that render as a blank although str.isspace() says otherwise.
_BLANKS = frozenset("\u2800\u3164\uffa0")
# Invisible although not of category Cf or Cc: variation selectors, the
# combining grapheme joiner, Mongolian free variation selectors, Hangul
# choseong and jungseong fillers.
_INVISIBLE_EXTRA = re.compile(r"[\u034f\u115f\u1160\u180b-\u180d\u180f\ufe00-\ufe0f\U000e0100-\U000e01ef]")
_HANGUL = re.compile(r"[\u1100-\u11ff\u3131-\u318e\ua960-\ua97f\uac00-\ud7a3\ud7b0-\ud7ff\uffa1-\uffdc]")
_CJK_OR_HANGUL = re.compile(r"[\u1100-\u11ff\u2e80-\u9fff\ua960-\ua97f\uac00-\ud7ff\uf900-\ufaff\uff65-\uffdc]")
_SKELETON_TARGET = re.compile(r"[A-Za-z0-9]+|[-']")
# Look-alikes the TR39 table does not list (or lists only as another
# non-Latin letter): Latin small capitals and Cyrillic small letters shaped
# like small capitals.
_SUPPLEMENT = {
    **dict(zip("ᴀʙᴄᴅᴇꜰɢʜɪᴊᴋʟᴍɴᴏᴘʀꜱᴛᴜᴠᴡʏᴢĸ", "abcdefghijklmnoprstuvwyzk", strict=True)),
    **dict(zip("кмтвнп", "kmtbhn", strict=True)),
}


def _is_invisible(char: str) -> bool:
    category = unicodedata.category(char)
    if category == "Cf":
        return True
    if category == "Cc":
        return not char.isspace()
    return _INVISIBLE_EXTRA.match(char) is not None


def _is_blank(char: str) -> bool:
    return char.isspace() or char in _BLANKS


@functools.cache
def _confusables() -> dict[str, str]:
    """Each non-ASCII character whose TR39 prototype is Latin, with that prototype."""
    source = resources.files("confusable_homoglyphs").joinpath("confusables.json")
    data: dict[str, list[dict[str, str]]] = json.loads(source.read_text(encoding="utf-8"))
    # The file lists each prototype with its look-alikes, and each look-alike with its
    # one prototype; a single-entry list on a non-ASCII key is the latter.
    prototypes = {k: v[0]["c"] for k, v in data.items() if len(k) == 1 and not k.isascii() and len(v) == 1}
    found: dict[str, str] = {}
    for char, target in prototypes.items():
        if _CJK_OR_HANGUL.match(char):
            continue
        for _ in range(3):  # a prototype may itself be a look-alike (τ → ᴛ → t)
            stripped = "".join(c for c in unicodedata.normalize("NFD", target) if not unicodedata.combining(c))
            target = "".join(_SUPPLEMENT.get(c, prototypes.get(c, c)) if not c.isascii() else c for c in stripped)
            if target.isascii():
                break
        if _SKELETON_TARGET.fullmatch(target):
            # TR39 spells capital I as l; a reader of a capital Iota sees I.
            found[char] = "I" if target == "l" and char.isupper() else target
    found.update(_SUPPLEMENT)
    return found


def skeleton_char(char: str) -> str:
    """The Latin letters (or digit) a non-Latin look-alike character is read as; the character itself otherwise."""
    if char.isascii():
        return char
    if unicodedata.category(char) == "Nd":
        return str(unicodedata.digit(char))
    return _confusables().get(char, char)


# ------------------------------------------------------------------ Hangul

_SYLLABLE_BASE = 0xAC00
_CHOSEONG = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
_JONGSEONG = "ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ"  # index + 1


def _jamo(char: str) -> tuple[str, int, int]:
    """A Hangul character's role and indices: S syllable (-, final), L initial, V vowel, T final,
    C compatibility consonant (as initial, as final), X anything else."""
    code = ord(char)
    if 0xAC00 <= code <= 0xD7A3:
        return "S", -1, (code - _SYLLABLE_BASE) % 28
    if 0x1100 <= code <= 0x1112:
        return "L", code - 0x1100, -1
    if 0x1161 <= code <= 0x1175:
        return "V", code - 0x1161, -1
    if 0x11A8 <= code <= 0x11C2:
        return "T", -1, code - 0x11A7
    if 0x314F <= code <= 0x3163:
        return "V", code - 0x314F, -1
    if 0x3131 <= code <= 0x314E:
        cho = _CHOSEONG.find(char)
        jong = _JONGSEONG.find(char)
        return "C", cho, jong + 1 if jong >= 0 else -1
    return "X", -1, -1


def _narrow(char: str) -> str:
    """The compatibility jamo a half-width jamo stands for (NFKC would go on to a conjoining jamo)."""
    mapping = unicodedata.decomposition(char).split()
    return chr(int(mapping[1], 16)) if len(mapping) == 2 and mapping[0] == "<narrow>" else char


def _compose_hangul(chars: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """Compose a run of Hangul characters (char, start, end) into syllables where they form them."""
    units = [(*_jamo(c), c, s, e) for c, s, e in chars]
    out: list[tuple[str, int, int]] = []
    # The syllable being built: [choseong, jungseong, jongseong, start, end, pending original chars]
    current: list[int] | None = None
    pending: list[tuple[str, int, int]] = []

    def flush() -> None:
        nonlocal current, pending
        if current is not None:
            cho, jung, jong, start, end = current
            if jung >= 0:
                out.append((chr(_SYLLABLE_BASE + (cho * 21 + jung) * 28 + max(jong, 0)), start, end))
            else:
                out.extend(pending)
        current, pending = None, []

    for n, (role, first, second, char, start, end) in enumerate(units):
        following = units[n + 1][0] if n + 1 < len(units) else ""
        if role == "S":
            flush()
            if second == 0:  # no final consonant yet: one may follow as a jamo
                offset = ord(char) - _SYLLABLE_BASE
                current = [offset // 588, offset % 588 // 28, 0, start, end]
                pending = [(char, start, end)]
            else:
                out.append((char, start, end))
        elif role in ("L", "C") and first >= 0 and following == "V":
            flush()
            current, pending = [first, -1, 0, start, end], [(char, start, end)]
        elif role == "V" and current is not None and current[1] < 0:
            current[1], current[4] = first, end
            pending.append((char, start, end))
        elif role in ("T", "C") and second > 0 and current is not None and current[1] >= 0 and current[2] == 0:
            current[2], current[4] = second, end
            pending.append((char, start, end))
        else:
            flush()
            out.append((char, start, end))
    flush()
    return out


# ------------------------------------------------------------------ mapping


@dataclass(frozen=True)
class ReaderText:
    """Normalised text and, piece by piece, where each piece came from in the original."""

    text: str
    _starts: tuple[int, ...]  # offset in ``text`` where each piece starts
    _origins: tuple[int, ...]  # its start in the original
    _ends: tuple[int, ...]  # its end in the original
    _linear: tuple[bool, ...]  # one character for one character (else the piece maps to the whole span)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The span of the original text that ``text[start:end]`` (non-empty) came from."""
        return self._origin(start, first=True), self._origin(end - 1, first=False)

    def _origin(self, offset: int, *, first: bool) -> int:
        piece = bisect.bisect_right(self._starts, offset) - 1
        if self._linear[piece]:
            return self._origins[piece] + offset - self._starts[piece] + (0 if first else 1)
        return self._origins[piece] if first else self._ends[piece]


class _Builder:
    def __init__(self) -> None:
        self.parts: list[str] = []
        self.starts: list[int] = []
        self.origins: list[int] = []
        self.ends: list[int] = []
        self.linear: list[bool] = []
        self.length = 0
        self.space = True  # a leading space is dropped, as HTML drops it

    def add(self, text: str, start: int, end: int, *, linear: bool = False) -> None:
        """Append a piece; a space after a space widens the first instead (whitespace collapses)."""
        if not text:
            return
        if text == " ":
            if self.space:
                if self.parts and self.parts[-1] == " ":
                    self.ends[-1] = end
                return
            self.space = True
        else:
            self.space = False
        self.parts.append(text)
        self.starts.append(self.length)
        self.origins.append(start)
        self.ends.append(end)
        self.linear.append(linear)
        self.length += len(text)

    def build(self) -> ReaderText:
        if not self.parts:
            return ReaderText("", (0,), (0,), (0,), (False,))
        return ReaderText(
            "".join(self.parts), tuple(self.starts), tuple(self.origins), tuple(self.ends), tuple(self.linear)
        )


def _add_normalised(out: _Builder, chunk: str, start: int, end: int) -> None:
    folded = unicodedata.normalize("NFKC", chunk)
    if folded.isascii():
        text = folded
    else:
        text = "".join(skeleton_char(c) for c in folded)
    if any(c.isspace() or c in _BLANKS for c in text):
        text = re.sub(r"\s+", " ", "".join(" " if c in _BLANKS else c for c in text))
        for piece in re.split(r"( )", text):
            out.add(piece, start, end)
        return
    out.add(text, start, end)


def reader_text(text: str) -> ReaderText:
    """``text`` as a reader perceives it (see the module's docstring), with offsets back into ``text``."""
    out = _Builder()
    n, at = len(text), 0
    while at < n:
        plain = _PLAIN.match(text, at)
        if plain is not None:
            out.add(plain.group(), at, plain.end(), linear=True)
            at = plain.end()
            continue
        char = text[at]
        if _is_blank(char) or _is_invisible(char):
            end, blank = at, False
            while end < n and (_is_blank(text[end]) or _is_invisible(text[end])):
                blank = blank or _is_blank(text[end])
                end += 1
            if blank:
                out.add(" ", at, end)
            at = end
            continue
        if _HANGUL.match(char):
            # A Hangul run, invisible characters inside it dropped, so ᄇ + ZWSP + ᅡᆨ still reads 박.
            end, run = at, []
            while end < n and (_HANGUL.match(text[end]) or _is_invisible(text[end])):
                if not _is_invisible(text[end]):
                    # Half-width jamo become compatibility jamo; those stay as they are, to be composed.
                    jamo = text[end] if text[end] < "\uffa0" else _narrow(text[end])
                    run.append((jamo, end, end + 1))
                end += 1
            for composed, s, e in _compose_hangul(run):
                out.add(composed, s, e)
            at = end
            continue
        end = at + 1
        while end < n and unicodedata.combining(text[end]) and not _is_invisible(text[end]):
            end += 1
        _add_normalised(out, text[at:end], at, end)
        at = end
    return out.build()
