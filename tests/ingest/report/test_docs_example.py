"""The JSON example in docs/report-parsing.md is what the parser really prints for the reference paper."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from corroborate.ingest.report import ParsedReport

DOC = Path(__file__).resolve().parents[3] / "docs" / "report-parsing.md"


def example() -> dict[str, Any]:
    block = re.search(r"```json\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    assert block is not None
    data: dict[str, Any] = json.loads(block.group(1))
    return data


def same(shown: Any, actual: Any) -> bool:
    if isinstance(shown, str) and "…" in shown:  # shortened in the docs
        return all(part in actual for part in shown.split("…") if part)
    return bool(shown == actual)


def test_the_documented_example_matches_the_parser(seed: ParsedReport) -> None:
    shown, actual = example(), seed.to_json()
    assert shown["title"] == actual["title"]
    keys = {"notes": "number", "markers": "number", "witnesses": "id", "interviews": "id", "documents": "id",
            "excerpts": "note", "checks": "name"}  # fmt: skip
    for section, key in keys.items():
        for item in shown[section]:
            (real,) = [a for a in actual[section] if a[key] == item[key]]
            assert set(item) == set(real), (section, item[key])
            for field, value in item.items():
                assert same(value, real[field]), (section, item[key], field)
    assert set(shown["warnings"]) <= set(actual["warnings"])
