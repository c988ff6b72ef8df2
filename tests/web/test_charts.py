"""The timeline chart drawn alone: where its marks fall on the axis, how it flags what needs flagging, and
that text from a case reaches the SVG as text."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date

import pytest

from corroborate.domain import DateInterval, date_interval
from corroborate.web.charts import Mark, Row, fit_axis, timeline_svg

SVG = "{http://www.w3.org/2000/svg}"


def mark(when: str, **flags: bool) -> Mark:
    return Mark(date_interval(when), when, f"{when} said by D-1", **flags)


def drawn(rows: list[Row]) -> ET.Element:
    return ET.fromstring(str(timeline_svg(rows)))  # the SVG is well-formed XML, or this fails


def group(svg: ET.Element, when: str) -> ET.Element:
    found = [g for g in svg.iter(f"{SVG}g") if g.get("data-when") == when]
    assert len(found) == 1, when
    return found[0]


def child(element: ET.Element, tag: str) -> ET.Element:
    found = element.find(f"{SVG}{tag}")
    assert found is not None, tag
    return found


def year_line(svg: ET.Element, year: int) -> float:
    return float(next(line.get("x1", "") for line in svg.iter(f"{SVG}line") if line.get("data-year") == str(year)))


def test_a_fuzzy_date_spans_exactly_its_days_on_the_axis() -> None:
    svg = drawn([Row("a", (mark("2005"), mark("2005-03"), mark("2004-09/2004-12")))])
    start, end = year_line(svg, 2005), year_line(svg, 2006)
    bar = group(svg, "2005").find(f"{SVG}rect")
    assert bar is not None and "bar" in (group(svg, "2005").get("class") or "")
    assert float(bar.get("x", "")) == pytest.approx(start, abs=0.01)  # the first day of 2005 ...
    assert float(bar.get("x", "")) + float(bar.get("width", "")) == pytest.approx(end, abs=0.01)  # ... to the last
    march = group(svg, "2005-03").find(f"{SVG}rect")
    assert march is not None
    per_day = (end - start) / 365
    assert float(march.get("x", "")) == pytest.approx(start + 59 * per_day, abs=0.01)  # 1 March 2005 is day 59
    assert float(march.get("width", "")) == pytest.approx(31 * per_day, abs=0.01)
    autumn = group(svg, "2004-09/2004-12").find(f"{SVG}rect")
    assert autumn is not None
    assert float(autumn.get("x", "")) + float(autumn.get("width", "")) == pytest.approx(start, abs=0.01)


def test_an_exact_date_is_a_point_on_its_day() -> None:
    svg = drawn([Row("a", (mark("2005-06-15"), mark("2005")))])
    point = group(svg, "2005-06-15")
    assert "point" in (point.get("class") or "") and point.find(f"{SVG}rect") is None
    circle = point.find(f"{SVG}circle")
    assert circle is not None
    start, end = year_line(svg, 2005), year_line(svg, 2006)
    day = date(2005, 6, 15).timetuple().tm_yday - 1
    assert start + day * (end - start) / 365 <= float(circle.get("cx", "")) <= start + (day + 1) * (end - start) / 365


def test_an_open_end_runs_to_the_edge_of_the_axis() -> None:
    rows = [Row("a", (mark("../2002-11"), mark("2001"), mark("2003-05")))]
    axis = fit_axis(rows)
    assert axis is not None
    svg = drawn(rows)
    line = group(svg, "../2002-11").find(f"{SVG}line")
    assert line is not None and line.get("stroke-dasharray")
    assert float(line.get("x1", "")) == pytest.approx(axis.left, abs=0.01)
    assert float(line.get("x2", "")) == pytest.approx(axis.x(date(2002, 12, 1)), abs=0.01)


def test_a_disagreement_is_marked_by_a_shape_and_named_in_the_legend() -> None:
    rows = [Row("event", (mark("2004-07", disagreement=True), mark("2005-03-01", disagreement=True), mark("2006")))]
    svg = drawn(rows)
    bar = group(svg, "2004-07")
    assert "disagree" in (bar.get("class") or "")
    assert [p.get("class") for p in bar.iter(f"{SVG}path")] == ["flag"]  # a diamond on the bar
    point = group(svg, "2005-03-01")
    assert point.find(f"{SVG}circle") is None and point.find(f"{SVG}path") is not None  # a diamond, not a dot
    agreed = group(svg, "2006")
    assert "disagree" not in (agreed.get("class") or "") and agreed.find(f"{SVG}path") is None
    legend = "".join(next(g for g in svg.iter(f"{SVG}g") if g.get("class") == "legend").itertext())
    assert "Sources give different dates for this event" in legend


def test_a_conflict_and_a_pattern_band_are_drawn() -> None:
    band = DateInterval(date(2004, 9, 1), date(2006, 10, 31))
    rows = [Row("pattern", (mark("2004-09/2004-12"), mark("2006-10")), band=band, conflict="Sources disagree on: x")]
    axis = fit_axis(rows)
    assert axis is not None
    svg = drawn(rows)
    rect = next(r for r in svg.iter(f"{SVG}rect") if r.get("class") == "band")
    assert float(rect.get("x", "")) == pytest.approx(axis.x(date(2004, 9, 1)), abs=0.01)
    assert float(rect.get("x", "")) + float(rect.get("width", "")) == pytest.approx(axis.x(date(2006, 11, 1)), abs=0.01)
    flag = next(p for p in svg.iter(f"{SVG}path") if p.get("class") == "conflict")
    assert "".join(flag.itertext()) == "Sources disagree on: x"


def test_text_from_the_case_is_escaped() -> None:
    planted = '<script>alert("x")</script> & <b onload=1>'
    rows = [Row(planted, (Mark(date_interval("2005"), planted, planted),), title=planted, conflict=planted)]
    markup = str(timeline_svg(rows, label=planted))
    assert "<script" not in markup and "<b " not in markup and "&lt;script&gt;" in markup
    svg = ET.fromstring(markup)
    texts = [t for t in svg.iter(f"{SVG}text") if t.get("class") == "label"]
    assert "".join(texts[0].itertext()).endswith(planted[-10:])  # shown as text (cut at the front to fit)
    assert child(svg, "title").text == planted and child(group(svg, planted), "title").text == planted


def test_hangul_reaches_the_svg_and_the_chart_is_an_image_with_a_name() -> None:
    rows = [Row("국경 경비대 처벌", (mark("2006-07"),), title="북한은 탈북을 도운 경비대원을 처벌한다")]
    svg = drawn(rows)
    assert svg.get("role") == "img" and svg.get("aria-labelledby") == "timeline-title timeline-desc"
    assert "chart" in (svg.get("class") or "").split()  # charts.css gives it the Hangul font stack
    label = next(t for t in svg.iter(f"{SVG}text") if t.get("class") == "label")
    assert label.text is None and "".join(label.itertext()) == "북한은 탈북을 도운 경비대원을 처벌한다국경 경비대 처벌"
    long = Row("경비대" * 40, (mark("2006"),))
    cut = next(t for t in drawn([long]).iter(f"{SVG}text") if t.get("class") == "label")
    assert cut.text is not None and cut.text.startswith("…") and 10 < len(cut.text) < 40  # wide letters count double


def test_years_without_a_date_are_cut_from_the_axis() -> None:
    rows = [Row("a", (mark("1948-09-09/1979"),)), Row("b", (mark("2004"), mark("2006-07")))]
    axis = fit_axis(rows)
    assert axis is not None and axis.runs == ((1948, 1948), (1979, 1979), (2004, 2006))
    svg = drawn(rows)
    cuts = [g.get("data-years") for g in svg.iter(f"{SVG}g") if g.get("class") == "break"]
    assert cuts == ["1949–1978", "1980–2003"]
    xs = [axis.x(date(y, 1, 1)) for y in (1948, 1960, 1979, 1990, 2004, 2005, 2006, 2007)]
    assert xs == sorted(xs) and axis.x(date(2007, 1, 1)) == pytest.approx(axis.right)
    assert axis.x(date(2005, 1, 1)) - axis.x(date(2004, 1, 1)) == pytest.approx(axis.year_width)


def test_marks_that_overlap_go_on_separate_lines_and_nothing_dated_draws_nothing() -> None:
    svg = drawn([Row("a", (mark("2005"), mark("2005-03"), mark("2007")))])
    heights = {w: float(child(group(svg, w), "rect").get("y", "")) for w in ("2005", "2005-03", "2007")}
    assert heights["2005"] != heights["2005-03"] and heights["2005"] == heights["2007"]
    assert str(timeline_svg([Row("undated", ())])) == ""
