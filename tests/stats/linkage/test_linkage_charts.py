"""The SVG charts: well-formed XML, the numbers they draw are those of the tables (capture histories, the
pairs' weights), and nothing in them reaches the network."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from corroborate.stats.linkage import CaptureHistories, Population, capture_histories, overlap_svg, weight_histogram_svg
from corroborate.stats.linkage.model import LinkedRecords

SVG = "{http://www.w3.org/2000/svg}"
# A script or stylesheet the file would load: <script src=...>, <link href=...>, <image href=...>, @import, url().
REMOTE = re.compile(r"""<(script|link|image|use|iframe)\b[^>]*\b(src|href)\s*=\s*["']?\s*(https?:)?//"""
                    r"""|@import|url\(\s*["']?\s*(https?:)?//""", re.I)  # fmt: skip


def offline(text: str) -> bool:
    """No script, stylesheet, image or font the file would fetch from the network."""
    return REMOTE.search(text) is None and "<script" not in text.lower().replace("<script>", "")


def test_remote_references_are_caught() -> None:
    assert offline('<svg xmlns="http://www.w3.org/2000/svg"><script>var a = 1;</script></svg>')
    leaks = [
        '<script src="https://cdn.jsdelivr.net/npm/vega@5"></script>',
        "<style>@import url(x.css)</style>",
        "<link rel=stylesheet href='http://example.org/a.css'>",
        '<image href="//example.org/a.png"/>',
        "<style>a { background: url( 'https://x/y.png') }</style>",
    ]
    for leak in leaks:
        assert not offline(leak), leak


def _svg(text: str) -> ET.Element:
    root = ET.fromstring(text)
    assert root.tag == f"{SVG}svg" and float(root.attrib["width"]) > 0 and float(root.attrib["height"]) > 0
    return root


def test_the_overlap_chart_draws_the_capture_histories(small_linkage: tuple[Population, LinkedRecords]) -> None:
    _, linked = small_linkage
    lists = ["A", "B", "C"]
    histories = capture_histories(linked.memberships(), lists)
    text = overlap_svg(histories)
    root = _svg(text)
    drawn = {g.attrib["data-lists"]: int(g.attrib["data-people"]) for g in root.iter(f"{SVG}g")
             if g.attrib.get("class") == "combination"}  # fmt: skip
    expected = {",".join(n for n, on in zip(lists, p, strict=True) if on): count for p, count in histories.rows}
    assert drawn == expected
    sizes = {g.attrib["data-list"]: int(g.attrib["data-people"]) for g in root.iter(f"{SVG}g")
             if g.attrib.get("class") == "list"}  # fmt: skip
    assert sizes == {n: sum(c for p, c in histories.rows if p[i]) for i, n in enumerate(lists)}
    assert f"{histories.observed:,} people" in text and offline(text)


def test_the_overlap_chart_shows_the_largest_combinations_and_says_how_many_it_leaves_out() -> None:
    rows = tuple(((a, b, c, d), 10 * a + 5 * b + c + 2 * d + 1) for a in (0, 1) for b in (0, 1) for c in (0, 1)
                 for d in (0, 1) if a or b or c or d)  # fmt: skip
    histories = CaptureHistories(("Shelter in Yanji", "B", "C", "D"), rows)
    root = _svg(overlap_svg(histories, most=5))
    drawn = [int(g.attrib["data-people"]) for g in root.iter(f"{SVG}g") if g.attrib.get("class") == "combination"]
    assert drawn == sorted((count for _, count in rows), reverse=True)[:5]
    left = sorted(count for _, count in rows)[:10]
    assert f"10 smaller combinations ({sum(left):,} people) not shown" in ET.tostring(root, encoding="unicode")


def test_the_weight_histogram_counts_every_pair_on_its_side_of_the_threshold(
    small_linkage: tuple[Population, LinkedRecords],
) -> None:
    _, linked = small_linkage
    weights = [w for *_, w in linked.pairs]
    text = weight_histogram_svg(weights, threshold=0.9, pairs_from=0.5)
    bins = [r for r in _svg(text).iter(f"{SVG}rect") if r.attrib.get("class") == "bin"]
    assert sum(int(r.attrib["data-pairs"]) for r in bins) == len(weights)
    cut = 3.169925  # log2(0.9 / 0.1)
    above = sum(int(r.attrib["data-pairs"]) for r in bins if float(r.attrib["data-from"]) >= cut - 1e-3)
    assert above == sum(w >= cut for w in weights)
    assert {r.attrib["fill"] for r in bins if float(r.attrib["data-from"]) >= cut - 1e-3} == {"#4a78a8"}
    assert offline(text)
    assert offline(weight_histogram_svg([], threshold=0.9, pairs_from=0.5))  # no pairs: an empty chart


def test_chart_files_of_a_folder_are_offline(tmp_path: Path) -> None:
    """The check the CLI test applies to whole output folders."""
    (tmp_path / "a.svg").write_text(weight_histogram_svg([1.0, 5.0], threshold=0.9, pairs_from=0.5), encoding="utf-8")
    assert all(offline(p.read_text(encoding="utf-8")) for p in tmp_path.iterdir())
