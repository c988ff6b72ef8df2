"""A PDF never prints a character as an empty box: characters no installed font covers are named."""

from __future__ import annotations

import shutil

import pytest

from corroborate.publish import fonts
from corroborate.publish.fonts import FontsUnknown, glyph_problems, uncovered_characters

HIEROGLYPH = "\U00013000"  # Egyptian hieroglyph A001: no font a briefing machine installs covers it


def test_latin_is_covered_and_a_hieroglyph_is_not() -> None:
    assert uncovered_characters("Hoeryong, “kyohwaso” – 1976 é") == []
    assert uncovered_characters(f"a {HIEROGLYPH} b {HIEROGLYPH}") == [HIEROGLYPH]
    assert uncovered_characters("\u00ad\u200b\n\t ") == []  # soft hyphens, joiners and spaces print nothing


def test_hangul_is_covered_where_a_korean_font_is_installed() -> None:
    # .ci/run installs Debian's fonts-nanum (README: requirements); without it this is the refusal we want.
    assert uncovered_characters("교화소 집결소 관리소 로동단련대") == [], "install fonts-nanum or fonts-noto-cjk"


def test_each_page_with_an_uncovered_character_is_a_problem_naming_it() -> None:
    problems = glyph_problems([("PDF page 1", "fine"), ("PDF page 2", f"a {HIEROGLYPH} here")])
    assert [p.where for p in problems] == ["PDF page 2"]
    assert "U+13000" in problems[0].message and "empty boxes" in problems[0].message


def test_without_fontconfig_the_check_fails_closed(monkeypatch: pytest.MonkeyPatch) -> None:
    fonts._coverage.cache_clear()
    monkeypatch.setattr(shutil, "which", lambda _name: None)
    try:
        with pytest.raises(FontsUnknown):
            uncovered_characters("a")
        (problem,) = glyph_problems([("PDF page 1", "a")])
        assert problem.where == "PDF" and "cannot check" in problem.message
    finally:
        fonts._coverage.cache_clear()
