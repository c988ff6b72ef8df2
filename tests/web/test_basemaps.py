"""The base map's pure parts: TopoJSON decoding on a hand-made topology, the projection, clipping,
simplifying, and the path data of what reaches the frame."""

from __future__ import annotations

import math
import re
from typing import Any

import pytest

from corroborate.web import basemaps
from corroborate.web.basemaps import Frame

# Two squares, south (A) and north (B), sharing arc 0 (each one way round); C lies far away. Quantized: a point
# is the sum of the deltas so far, then x * 0.5 + 100, y * 0.25 + 10.
TOPOLOGY: dict[str, Any] = {
    "type": "Topology",
    "transform": {"scale": [0.5, 0.25], "translate": [100, 10]},
    "arcs": [
        [[0, 4], [4, 0]],  # (0,4) → (4,4): the shared edge
        [[0, 4], [0, -4], [4, 0], [0, 4]],  # (0,4) → (0,0) → (4,0) → (4,4)
        [[4, 4], [0, 4], [-4, 0], [0, -4]],  # (4,4) → (4,8) → (0,8) → (0,4)
        [[200, 200], [2, 0], [0, 2], [-2, 0]],  # far away
    ],
    "objects": {
        "countries": {
            "type": "GeometryCollection",
            "geometries": [
                {"type": "Polygon", "arcs": [[~0, 1]], "properties": {"name": "A"}},
                {"type": "MultiPolygon", "arcs": [[[2, 0]]], "properties": {"name": "B"}},
                {"type": "Polygon", "arcs": [[3]], "properties": {"name": "C"}},
                {"type": None, "properties": {"name": "Nowhere"}},
            ],
        }
    },
}
FRAME = Frame(west=99.0, south=9.0, east=104.0, north=13.0, scale=10.0)


def _arc(index: int) -> list[basemaps.Point]:
    return basemaps.decode_arc(TOPOLOGY["arcs"][index], TOPOLOGY["transform"])


def test_arcs_are_delta_decoded_and_transformed() -> None:
    assert _arc(1) == [(100.0, 11.0), (100.0, 10.0), (102.0, 10.0), (102.0, 11.0)]
    assert basemaps.decode_arc([[1.5, 2], [3, 4]], None) == [(1.5, 2.0), (3.0, 4.0)]  # not quantized: as given


def test_rings_join_arcs_and_reverse_negative_ones() -> None:
    south = basemaps.ring([~0, 1], _arc)  # arc 0 backwards: (4,4) → (0,4), then on from (0,4)
    assert south == [(102.0, 11.0), (100.0, 11.0), (100.0, 10.0), (102.0, 10.0), (102.0, 11.0)]
    north = basemaps.ring([2, 0], _arc)
    assert north == [(102.0, 11.0), (102.0, 12.0), (100.0, 12.0), (100.0, 11.0), (102.0, 11.0)]


def test_shapes_read_polygons_and_multipolygons() -> None:
    found = basemaps.shapes(TOPOLOGY, "countries")
    assert [(s.name, s.polygons) for s in found] == [("A", (((-1, 1),),)), ("B", (((2, 0),),)), ("C", (((3,),),))]


def test_the_projection_puts_north_up_and_shrinks_longitudes() -> None:
    frame = Frame(west=122.0, south=37.5, east=131.5, north=43.5)
    assert frame.project(122.0, 43.5) == (0.0, 0.0)
    x, y = frame.project(131.5, 37.5)
    assert x == pytest.approx(frame.width) and y == pytest.approx(frame.height) == 600.0
    assert frame.width == pytest.approx(9.5 * 100 * math.cos(math.radians(40.5)))
    px, py = frame.project(125.7543, 39.0339)  # Pyongyang
    assert px == pytest.approx(3.7543 * 100 * math.cos(math.radians(40.5))) and py == pytest.approx(446.61)
    assert frame.project(127.0, 42.0)[1] < frame.project(127.0, 41.0)[1]  # further north is higher up
    assert frame.project(128.0, 40.0)[0] > frame.project(127.0, 40.0)[0]  # further east is to the right


def test_clipping_a_ring_and_a_line_to_a_box() -> None:
    square = [(0.0, 0.0), (4.0, 0.0), (4.0, 4.0), (0.0, 4.0)]
    cut = basemaps.clip_ring(square, (1.0, 1.0, 2.0, 3.0))
    assert {(round(x, 6), round(y, 6)) for x, y in cut} == {(1, 1), (2, 1), (2, 3), (1, 3)}
    assert basemaps.clip_ring(square, (10.0, 10.0, 12.0, 12.0)) == []
    line = [(-5.0, 0.0), (-3.0, 0.0), (0.5, 0.5), (3.0, 0.0), (5.0, 0.0), (7.0, 0.0)]
    assert basemaps.clip_line(line, (0.0, 0.0, 1.0, 1.0)) == [[(-3.0, 0.0), (0.5, 0.5), (3.0, 0.0)]]
    assert basemaps.clip_line(line, (20.0, 20.0, 21.0, 21.0)) == []


def test_simplifying_and_writing_path_data() -> None:
    line = [(0.0, 0.0), (1.0, 0.01), (2.0, 0.0), (3.0, 5.0), (4.0, 0.0)]
    assert basemaps.simplify(line, 0.1) == [(0.0, 0.0), (2.0, 0.0), (3.0, 5.0), (4.0, 0.0)]
    data = basemaps.path_data([[(0.04, 1.26), (0.04, 1.26), (2.5, -0.01), (3.0, 3.0), (0.0, 1.3)]], closed=True)
    assert data == "M0 1.3 2.5 0 3 3Z"  # rounded to 0.1; repeats and the closing point dropped
    assert basemaps.path_data([[(1.0, 1.0), (1.01, 1.01)]], closed=False) == ""  # one point is no line
    assert [basemaps.svg_number(v) for v in (3.0, 2.46, -0.04, -1.25)] == ["3", "2.5", "0", "-1.2"]


def test_the_basemap_keeps_what_reaches_the_frame() -> None:
    base = basemaps.basemap(TOPOLOGY, FRAME, margin=0.0, highlight=[("A", "B")])
    assert [name for name, _ in base.land] == ["A", "B"]  # C is far away
    # 10 units a degree of latitude, 10 × cos(11°) = 9.8 of longitude: (102, 11) → (29.4, 20)
    assert dict(base.land)["A"] == "M29.4 20 9.8 20 9.8 30 29.4 30Z"
    assert base.highlighted == "M9.8 20 29.4 20" and base.borders == ""  # the shared edge, as a pair to highlight
    assert base.coast.count("M") == 2
    plain = basemaps.basemap(TOPOLOGY, FRAME, margin=0.0)
    assert plain.borders == "M9.8 20 29.4 20" and plain.highlighted == ""


def test_a_country_around_the_whole_frame_fills_it() -> None:
    inside = Frame(west=100.5, south=10.25, east=101.5, north=10.75, scale=10.0)  # within A, no vertex in it
    base = basemaps.basemap(TOPOLOGY, inside, margin=0.0)
    assert [name for name, _ in base.land] == ["A"] and base.coast == ""
    data = dict(base.land)["A"]
    assert data.startswith("M") and data.endswith("Z")
    pairs = re.findall(r"([\d.]+) ([\d.]+)", data)
    assert set(pairs) == {("0", "0"), ("9.8", "0"), ("9.8", "5"), ("0", "5")}  # the frame itself
