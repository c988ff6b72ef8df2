"""The map's drawing: places sized by area over a base map, every text escaped, labels kept apart."""

from __future__ import annotations

import math
import re

import pytest

from corroborate.web import maps
from corroborate.web.basemaps import Basemap, Frame

FRAME = Frame(west=99.0, south=9.0, east=104.0, north=13.0, scale=10.0)
# Two squares, south (A) and north (B), sharing an edge: the base map test_basemaps.py makes of its topology.
BASE = Basemap(FRAME, land=(("A", "M29.4 20 9.8 20 9.8 30 29.4 30Z"), ("B", "M29.4 20 29.4 10 9.8 10 9.8 20Z")),
               coast="M9.8 20 9.8 30 29.4 30 29.4 20M29.4 20 29.4 10 9.8 10 9.8 20", borders="M9.8 20 29.4 20",
               highlighted="")  # fmt: skip


def test_the_drawing_sizes_places_by_area_and_escapes_text() -> None:
    markers = [
        maps.Marker(101.0, 10.5, 4, "Four <b>", "Four: 4 witnesses"),
        maps.Marker(101.0, 11.5, 1, "One", "One & only: 1 witness"),
        maps.Marker(150.0, 11.5, 9, "Outside", "not drawn"),
    ]
    svg = maps.draw(BASE, markers=markers, labels=[maps.Label(102.0, 12.5, "Land")], title="T <x>",
                    description="D", legend="Witnesses", focus="A")  # fmt: skip
    assert svg.startswith("<svg") and 'role="img"' in svg and '<title id="map-title">T &lt;x&gt;</title>' in svg
    assert "Four &lt;b&gt;" in svg and "One &amp; only" in svg and "<b>" not in svg and "Outside" not in svg
    radii = {float(r) for r in re.findall(r'<g class="place"><title>[^<]*</title><circle [^>]*r="([\d.]+)"', svg)}
    assert len(radii) == 2 and max(radii) / min(radii) == pytest.approx(2.0, rel=0.02)  # 4× the count, 2× radius
    assert 'class="land focus"' in svg and not re.search(r"\sstyle=", svg) and "<script" not in svg


def test_labels_of_nearby_places_do_not_overlap() -> None:
    circles = [(100.0, 100.0, 6.0, "Hoeryong 회령"), (104.0, 112.0, 6.0, "Musan 무산"), (96.0, 90.0, 6.0, "Saebyol")]
    spots = maps.place_labels(circles, fixed=[], width=400, height=400)
    boxes = []
    for (x, y, _r, text), (tx, ty, anchor) in zip(circles, spots, strict=True):
        width = maps.text_width(text, maps.PLACE_SIZE)
        left = tx - {"start": 0, "end": width, "middle": width / 2}[anchor]
        boxes.append((left, ty - 9.6, left + width, ty + 3))
        assert math.dist((x, y), (tx, ty)) < 60  # beside its own circle
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert min(a[2], b[2]) <= max(a[0], b[0]) or min(a[3], b[3]) <= max(a[1], b[1]), (a, b)
