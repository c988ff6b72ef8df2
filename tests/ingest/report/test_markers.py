"""Marker candidates and the longest rising sequence among them."""

from __future__ import annotations

import pytest

from corroborate.ingest.report.markers import (
    MarkerCandidate,
    find_marker_candidates,
    missing_marker_warnings,
    select_markers,
)
from corroborate.ingest.report.text import SpanSet, url_spans


def candidates(text: str) -> list[int]:
    return [c.number for c in find_marker_candidates(text, excluded=SpanSet(url_spans(text)))]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("told us.11 It was", [11]),
        ('now."12 Another', [12]),
        ("since December 1981,7 has", [7]),
        ("Detention Facilities25\n", [25]),
        ('"border crossers"6 rather', [6]),
        ("last year [2006].20 Citing", [2006, 20]),
        ("(political prison camp)12 and", [12]),
        ("told us.[3] Next", [3]),
        ("told us¹² and", [12]),
        ("told us<sup>4</sup> and", [4]),
        ("in 2005.15 Next", [15]),
        ("told us.11,12 Next", [11, 12]),
    ],
)
def test_marker_shapes(text: str, expected: list[int]) -> None:
    assert candidates(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "South Korea flew 468 North Korean refugees",
        "for 10 months afterwards",
        "in the winter of 2006-07 and onward",
        "about 5,000 to 10,000 people",
        "about 100 times.",
        "Article 13(2) of the Universal Declaration",
        "General Comment 3(10), in order",
        "9.16 million people",
        "Updated 31 May 2023, 15:44 GMT",
        "H5N1 and G20s",
        "see http://example.org/docid/45fff1b92.html today",
        "write to a12@example.org today",
        "the 21st century",
    ],
)
def test_numbers_that_are_never_candidates(text: str) -> None:
    assert candidates(text) == []


def test_a_year_before_a_comma_does_not_pass_for_a_thousands_group() -> None:
    assert candidates("since December 1981,106 has") == [106]
    assert candidates("about 1,500 people") == []


def test_the_longest_rising_sequence_wins() -> None:
    found = [MarkerCandidate(n, i * 10, i * 10 + 1, 1) for i, n in enumerate([1, 2, 30, 3, 4, 2, 5])]
    assert [c.number for c in select_markers(found, range(1, 6))] == [1, 2, 3, 4, 5]


def test_only_numbers_of_existing_notes_are_markers() -> None:
    found = [MarkerCandidate(n, i, i + 1, 1) for i, n in enumerate([1, 2006, 2])]
    assert [c.number for c in select_markers(found, [1, 2])] == [1, 2]


def test_stronger_shapes_win_ties() -> None:
    weak = MarkerCandidate(2, 5, 6, 0)
    strong = MarkerCandidate(2, 9, 12, 2)
    chosen = select_markers([MarkerCandidate(1, 0, 1, 1), weak, strong], [1, 2])
    assert chosen[-1] is strong


def test_missing_and_out_of_order_markers_are_reported() -> None:
    found = [MarkerCandidate(n, i, i + 1, 1) for i, n in enumerate([1, 3, 4, 2])]
    chosen = select_markers(found, [1, 2, 3, 4, 5])
    assert [c.number for c in chosen] == [1, 3, 4]
    assert missing_marker_warnings(chosen, found, [1, 2, 3, 4, 5]) == [
        "marker 2 is out of order (at offset 3); not used",
        "marker 5 not found in the body",
    ]


def test_no_candidates() -> None:
    assert select_markers([], [1, 2]) == []
    assert select_markers([MarkerCandidate(1, 0, 1, 1)], []) == []
