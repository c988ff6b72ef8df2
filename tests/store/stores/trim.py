"""Cut a casefile of the reference case down to two witnesses and what hangs on them (see README.md).

Usage: python trim.py CASEFILE OUT
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

LISTS = ("witnesses", "interviews", "documents", "excerpts", "claims", "propositions", "recommendations", "sources")


def trim(case: dict[str, list[dict[str, str]]]) -> dict[str, object]:
    witnesses = case["witnesses"][:2]
    interviews = [v for v in case["interviews"] if v["witness"] in {w["id"] for w in witnesses}]
    documents = case["documents"][:1]
    sources = {v["id"] for v in interviews} | {d["id"] for d in documents}
    excerpts = [e for e in case["excerpts"] if e["source"] in sources]
    claims = [c for c in case["claims"] if c["excerpt"] in {e["id"] for e in excerpts}]
    propositions = [p for p in case["propositions"] if p["key"] in {c["proposition"] for c in claims}]
    out: dict[str, object] = {k: v for k, v in case.items() if k not in LISTS}
    out.update(witnesses=witnesses, interviews=interviews, documents=documents, excerpts=excerpts, claims=claims,
               propositions=propositions)  # fmt: skip
    if "recommendations" in case:
        out["recommendations"] = case["recommendations"][:1]
    return out


if __name__ == "__main__":
    source, target = sys.argv[1:3]
    trimmed = trim(yaml.safe_load(Path(source).read_text(encoding="utf-8")))
    Path(target).write_text(yaml.safe_dump(trimmed, allow_unicode=True, sort_keys=False), encoding="utf-8")
