"""Which characters of a PDF no font can print: they would come out as empty boxes.

WeasyPrint lays text out with Pango, which falls back through every font
fontconfig knows when the CSS fonts lack a character. A character that no
installed font covers is printed as an empty box (Hangul on a machine without
a Korean font): the briefing then says something other than what its author
wrote, so publishing refuses it and names the characters.
"""

from __future__ import annotations

import functools
import shutil
import subprocess
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable

from .render import WordingProblem

__all__ = ["FontsUnknown", "glyph_problems", "uncovered_characters"]


class FontsUnknown(RuntimeError):
    """fontconfig could not say which characters the installed fonts cover."""


@functools.cache
def _coverage() -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Sorted, merged code point ranges (starts, ends) that some installed font covers."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        raise FontsUnknown("fontconfig's fc-list is not installed, so the fonts cannot be checked")
    try:
        listing = subprocess.run(
            [fc_list, "--format=%{charset}\\n"], capture_output=True, text=True, check=True, timeout=60
        ).stdout
    except (OSError, subprocess.SubprocessError) as exc:
        raise FontsUnknown(f"fc-list failed: {exc}") from None
    ranges: list[tuple[int, int]] = []
    for line in listing.splitlines():
        for item in line.split():
            first, _, last = item.partition("-")
            try:
                ranges.append((int(first, 16), int(last or first, 16)))
            except ValueError:
                continue
    merged: list[list[int]] = []
    for low, high in sorted(ranges):
        if merged and low <= merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], high)
        else:
            merged.append([low, high])
    return tuple(r[0] for r in merged), tuple(r[1] for r in merged)


def _printable(char: str) -> bool:
    # Spaces, line breaks and control or format characters (soft hyphens, joiners) print no glyph.
    return not unicodedata.category(char).startswith(("C", "Z"))


def uncovered_characters(text: str) -> list[str]:
    """The distinct printable characters of ``text`` that no installed font covers, in code point order.

    Raises FontsUnknown when fontconfig cannot be asked.
    """
    starts, ends = _coverage()
    missing = set()
    for char in set(text):
        if not _printable(char):
            continue
        i = bisect_right(starts, ord(char)) - 1
        if i < 0 or ord(char) > ends[i]:
            missing.add(char)
    return sorted(missing)


def glyph_problems(parts: Iterable[tuple[str, str]]) -> list[WordingProblem]:
    """A problem for each PDF page with characters no installed font covers, naming them (at most ten)."""
    try:
        found = [(where, uncovered_characters(text)) for where, text in parts]
    except FontsUnknown as exc:
        return [WordingProblem("PDF", f"cannot check that every character can be printed: {exc}")]
    problems = []
    for where, chars in found:
        if not chars:
            continue
        named = ", ".join(f"{c} (U+{ord(c):04X})" for c in chars[:10])
        more = f" and {len(chars) - 10} more" if len(chars) > 10 else ""
        problems.append(
            WordingProblem(
                where,
                f"no installed font covers {named}{more}: the PDF would print them as empty boxes; install a "
                "font that covers them (for Korean, Debian's fonts-nanum or fonts-noto-cjk)",
            )
        )
    return problems
