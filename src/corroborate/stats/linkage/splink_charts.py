"""Splink's own charts of a linkage model (match weights, m and u probabilities) and its waterfall chart of
chosen pairs, as HTML pages that work offline.

The pages carry their chart libraries (Vega, Vega-Lite, vega-embed) inlined, from the copies the installed
Splink package ships, and a content security policy that forbids the browser any request: nothing is
fetched when a page is opened (no CDN, no web font), and the charts' "open in the Vega editor" menu, which
would send the data to a web site, is turned off. The charts show labels and weights; the waterfall page
names pairs by list and record id, never by a name.

Imports Splink (``splink.internals``: its chart libraries and waterfall specification; the dependency is
pinned to Splink 5): import this module only to write charts.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from decimal import Decimal
from html import escape
from typing import Any

from .explanation import ModelWeights

__all__ = ["OFFLINE_POLICY", "model_page", "offline_page", "waterfall_page", "waterfall_records"]

OFFLINE_POLICY = ("default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval'; style-src 'unsafe-inline'; "
                  "img-src data: blob:")  # fmt: skip
# Vega compiles its expressions into functions ('unsafe-eval'); nothing may be loaded from anywhere.

Pair = tuple[tuple[str, str], tuple[str, str], float, float]


def _json(value: Any) -> str:
    """JSON that cannot end a script element or open a comment in HTML."""

    def plain(item: Any) -> Any:
        if isinstance(item, Decimal):
            return float(item)
        raise TypeError(f"{type(item).__name__} is not JSON")

    text = json.dumps(value, default=plain, allow_nan=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _libraries() -> list[str]:
    from splink.internals.html_utils import load_chart_libraries

    found: dict[str, str] = load_chart_libraries()  # type: ignore[no-untyped-call]
    return [found[name].replace("</script", "<\\/script") for name in ("vega", "vega-lite", "vega-embed")]


def offline_page(title: str, charts: Sequence[tuple[str, Mapping[str, Any]]], *, after: str = "") -> str:
    """A page of Vega-Lite ``charts`` (heading, specification) that needs no network; ``after`` is HTML
    put below the charts (the caller escapes it)."""
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{OFFLINE_POLICY}">',
        f"<title>{escape(title)}</title>",
        "<style>body{font-family:sans-serif;margin:1.5em;color:#222}h2{font-size:1.1em;margin-top:2em}"
        "table{border-collapse:collapse;font-size:.9em}td,th{border:1px solid #ccc;padding:.2em .6em;"
        "text-align:left}td.n{text-align:right}td.r{white-space:nowrap}</style>",
        *(f"<script>{source}</script>" for source in _libraries()),
        f"</head><body><h1>{escape(title)}</h1>",
    ]
    for number, (heading, spec) in enumerate(charts):
        parts.append(f'<h2>{escape(heading)}</h2><div id="chart-{number}"></div>')
        parts.append(f"<script>vegaEmbed('#chart-{number}', {_json(spec)}, {{actions: false}})"
                     f".catch(function (e) {{ document.getElementById('chart-{number}').textContent = "
                     "'This chart could not be drawn: ' + e.message; });</script>")  # fmt: skip
    parts.append(after)
    parts.append("</body></html>\n")
    return "\n".join(parts)


def model_page(model: ModelWeights) -> str:
    """Splink's charts of the trained model: the match weight of each comparison level, and its m and u."""
    note = ("<p>A pair's match weight is the prior plus the weight of the level it falls in for each "
            "comparison; m is how often true matches fall in a level, u how often other pairs do.</p>")  # fmt: skip
    return offline_page("The linkage model", list(model.charts.items()), after=note)


def waterfall_records(
    model: ModelWeights, pairs: Sequence[Pair], levels: Sequence[Sequence[int]]
) -> list[dict[str, Any]]:
    """The data of Splink's waterfall chart for ``pairs`` (their levels in ``levels``), record number i
    for the i-th pair: the prior, each comparison's level, the final match weight; no values of the
    records (Splink's ``remove_sensitive_data``)."""

    def bar(order: int, number: int, column: str, label: str, weight: float, **more: Any) -> dict[str, Any]:
        return {"column_name": column, "label_for_charts": label, "sql_condition": None,
                "log2_bayes_factor": weight, "bayes_factor": 2.0**weight, "comparison_vector_value": None,
                "m_probability": None, "u_probability": None, "bayes_factor_description": None,
                "value_l": "", "value_r": "", "term_frequency_adjustment": False, "bar_sort_order": order,
                "record_number": number, **more}  # fmt: skip

    records = []
    for number, ((_, _, _, weight), values) in enumerate(zip(pairs, levels, strict=True)):
        records.append(bar(0, number, "Prior", "Starting match weight (prior)", model.prior))
        for order, level in enumerate(model.explain(values), start=1):
            factor = 2.0**level.weight
            said = (f"{factor:,.2f} times more likely to be a match" if factor >= 1
                    else f"{1 / factor:,.2f} times less likely to be a match")  # fmt: skip
            records.append(bar(order, number, level.comparison, level.label, level.weight,
                               comparison_vector_value=level.value, m_probability=level.m,
                               u_probability=level.u, bayes_factor_description=f"{level.label}: {said}"))  # fmt: skip
        records.append(bar(len(model.comparisons) + 1, number, "Final score", "Final score", weight))
    return records


def _near(pairs: Sequence[Pair], levels: Sequence[Sequence[int]], threshold: float, most: int) -> list[int]:
    """The pairs closest to ``threshold`` by match weight, one for each combination of levels (pairs with the
    same levels have the same waterfall), at most ``most``."""
    cut = math.log2(threshold / (1 - threshold))
    seen: set[tuple[int, ...]] = set()
    chosen: list[int] = []
    for i in sorted(range(len(pairs)), key=lambda i: (abs(pairs[i][3] - cut), i)):
        if (key := tuple(levels[i])) not in seen and len(chosen) < most:
            seen.add(key)
            chosen.append(i)
    return chosen


def waterfall_page(
    model: ModelWeights, pairs: Sequence[Pair], levels: Sequence[Sequence[int]], *, threshold: float, most: int = 20
) -> str:
    """Splink's waterfall chart of pairs scored near ``threshold`` (the uncertain ones): for each of the
    ``most`` combinations of levels closest to it, one pair, with a table saying which records it compares,
    its levels and how many scored pairs share them."""
    from splink.internals.charts import WaterfallChart

    chosen = _near(pairs, levels, threshold, most)
    picked = [pairs[i] for i in chosen]
    records = waterfall_records(model, picked, [levels[i] for i in chosen])
    charts = [("How each comparison moves a pair's match weight (the slider chooses the pair)",
               WaterfallChart(records).chart_dict)] if picked else []  # fmt: skip
    sharing: dict[tuple[int, ...], int] = {}
    for values in levels:
        sharing[tuple(values)] = sharing.get(tuple(values), 0) + 1
    head = "".join(f"<th>{escape(name)}</th>" for name in model.comparisons)
    rows = []
    for n, i in enumerate(chosen):
        (a, b, p, w), values = pairs[i], tuple(levels[i])
        said = "".join(f"<td>{escape(level.label)} ({level.weight:+.2f})</td>" for level in model.explain(values))
        rows.append(f'<tr><td class="n">{n}</td><td class="r">{escape(a[0])}: {escape(a[1])}</td>'
                    f'<td class="r">{escape(b[0])}: {escape(b[1])}</td><td class="n">{sharing[values]:,}</td>'
                    f'<td class="n">{p:.4f}</td><td class="n">{w:.2f}</td>{said}</tr>')  # fmt: skip
    table = ("<h2>The pairs</h2><p>For each combination of comparison levels scored closest to the threshold "
             f"(match probability {threshold:g}), one pair, by its number on the slider; the prior is "
             f"{model.prior:+.2f}.</p><table><tr><th>pair</th><th>record</th><th>record</th>"
             "<th>pairs with these levels</th><th>match probability</th><th>match weight</th>"
             f"{head}</tr>{''.join(rows)}</table>") if picked else "<p>No pair was scored.</p>"  # fmt: skip
    return offline_page("Why pairs near the threshold scored what they did", charts, after=table)
