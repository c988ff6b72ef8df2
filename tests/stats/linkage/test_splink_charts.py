"""Splink's charts as offline pages: the chart libraries are inlined, the page forbids every request,
the specifications carry the model's levels and the waterfall's terms, and no name reaches a page."""

from __future__ import annotations

import json
import re

from test_linkage_charts import offline

from corroborate.stats.linkage import Population
from corroborate.stats.linkage.model import LinkedRecords
from corroborate.stats.linkage.splink_charts import (
    OFFLINE_POLICY,
    model_page,
    offline_page,
    waterfall_page,
    waterfall_records,
)


def _specs(page: str) -> list[dict[str, object]]:
    found = re.findall(r"vegaEmbed\('#chart-\d+', (\{.*?\}), \{actions: false\}\)", page)
    return [json.loads(text) for text in found]


def test_a_page_carries_its_libraries_and_forbids_requests() -> None:
    spec = {"data": {"values": [{"a": "</script><script>alert(1)</script>", "b": 1}]}, "mark": "bar",
            "encoding": {"x": {"field": "a"}, "y": {"field": "b", "type": "quantitative"}}}  # fmt: skip
    page = offline_page("A <test>", [("One & two", spec)], after="<p>after</p>")
    assert offline(page)
    assert f'<meta http-equiv="Content-Security-Policy" content="{OFFLINE_POLICY}">' in page
    assert "default-src 'none'" in OFFLINE_POLICY and "http" not in OFFLINE_POLICY
    assert page.count("<script>") == 4 and "vegaEmbed" in page and "vega-lite" in page.lower()
    assert "<title>A &lt;test&gt;</title>" in page and "<h2>One &amp; two</h2>" in page
    assert "alert(1)</script>" not in page  # data cannot close the script element
    assert _specs(page) == [spec]


def test_the_model_page_shows_splinks_charts_of_the_model(small_linkage: tuple[Population, LinkedRecords]) -> None:
    population, linked = small_linkage
    assert linked.weights is not None
    page = model_page(linked.weights)
    assert offline(page)
    weights, m_u = _specs(page)
    labels = {row["label_for_charts"] for row in weights["data"]["values"]}  # type: ignore[index]
    assert {"same family and given keys", "a birth year in common", "the same place"} <= labels
    assert m_u["data"]["values"]  # type: ignore[index]
    body = page.split("</head>", 1)[1]  # the charts and the text, without the chart libraries
    assert not any(r.name in body for r in population.records if r.name)


def test_the_waterfall_page_explains_pairs_near_the_threshold(small_linkage: tuple[Population, LinkedRecords]) -> None:
    population, linked = small_linkage
    assert linked.weights is not None
    page = waterfall_page(linked.weights, linked.pairs, linked.levels, threshold=0.9, most=5)
    assert offline(page)
    (spec,) = _specs(page)
    bars = spec["data"]["values"]  # type: ignore[index]
    shown = sorted({bar["record_number"] for bar in bars})
    assert shown == list(range(len(shown))) and 1 <= len(shown) <= 5
    for number in shown:
        terms = [bar for bar in bars if bar["record_number"] == number]
        compared = ["name", "born", "origin", "sex", "crossing", "arrest"]
        assert [t["column_name"] for t in terms] == ["Prior", *compared, "Final score"]
        assert abs(sum(t["log2_bayes_factor"] for t in terms[:-1]) - terms[-1]["log2_bayes_factor"]) < 1e-9
        assert all(t["value_l"] == "" and t["value_r"] == "" for t in terms)  # no values of the records
    levels = [tuple(v) for v in linked.levels]
    assert len(set(levels)) >= len(shown)  # one pair per combination of levels
    body = page.split("</head>", 1)[1]
    assert not any(value in body for r in population.records for value in (r.name, r.origin) if value)


def test_waterfall_records_follow_splinks_format() -> None:
    from corroborate.stats.linkage import Level, ModelWeights

    model = ModelWeights(-5.0, ("name",), (Level("name", 1, "same", 7.0, 0.9, 0.01), Level("name", 0, "else", -4.0)))
    records = waterfall_records(model, [(("A", "1"), ("B", "2"), 0.9, 2.0)], [(1,)])
    assert [(r["column_name"], r["log2_bayes_factor"], r["bar_sort_order"]) for r in records] == [
        ("Prior", -5.0, 0), ("name", 7.0, 1), ("Final score", 2.0, 2)]  # fmt: skip
    assert records[1]["bayes_factor"] == 128.0 and "128.00 times more likely" in records[1]["bayes_factor_description"]
    assert waterfall_page(model, [], [], threshold=0.9).count("vegaEmbed(") == 0  # no pair: no chart
