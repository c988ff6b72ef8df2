"""Benchmark: render a briefing with 1,000 endnotes to HTML (the issue asks for under 5 s).

Builds a generated case (1,000 witnesses, one excerpt each, 200 documents) and
an outline of 100 paragraphs citing 10 sources each, then times building the
briefing and rendering HTML (median of 5 runs), and separately the disclosure
checks on the result. Usage: .venv/bin/python benchmarks/render_briefing.py
"""

from __future__ import annotations

import random
import statistics
import time

from corroborate.analysis import assess_case
from corroborate.domain import (
    Case,
    CaseInfo,
    Document,
    Excerpt,
    Interview,
    Proposition,
    PublicDescriptor,
    RestrictedIdentity,
    Witness,
)
from corroborate.publish import Outline, build_briefing, load_style, render_html, run_disclosure_checks

ORIGINS = ["Musan", "Hyesan", "Hoeryong", "Chongjin", "Onsong", "Samsu", "Saebyol", "Haeju", "Wonsan", "Pyongyang"]


def generate(notes: int = 1000, seed: int = 3) -> tuple[Case, Outline]:
    rnd = random.Random(seed)
    witnesses = [
        Witness(
            id=f"W-{i:04d}",
            descriptor=PublicDescriptor(
                gender=rnd.choice(["male", "female"]), age=rnd.randint(18, 80), origin=rnd.choice(ORIGINS)
            ),  # fmt: skip
            restricted=RestrictedIdentity(name=f"Pak Sun-{i:04d}", contacts=[f"+86 139 {i:04d} {i:04d}"]),
        )
        for i in range(1, notes + 1)
    ]
    interviews = [Interview(id=f"I-{i}", witness=w.id, date=f"2006-11-{rnd.randint(1, 30):02d}", country="CN",
                            consent="quote") for i, w in enumerate(witnesses)]  # fmt: skip
    documents = [Document(id=f"D-{i}", kind="news", title=f"Report number {i}", outlet="The Daily NK",
                          date="2006-08-29") for i in range(200)]  # fmt: skip
    excerpts = [Excerpt(id=f"E-{i}", source=f"I-{i}", mode="experienced", text=f"Account number {i}.")
                for i in range(notes)]  # fmt: skip
    case = Case(case=CaseInfo(id="bench", title="bench"), witnesses=witnesses, interviews=interviews,
                documents=documents, excerpts=excerpts,
                propositions=[Proposition(key="detention.food.insufficient", statement="food")])  # fmt: skip
    paragraphs = []
    for p in range(notes // 10):
        cites = " ".join(f"Sentence {j}.[[E-{p * 10 + j}]]" for j in range(10))
        paragraphs.append({"p": f"Paragraph {p}: {{{{sources:detention.food.insufficient}}}}. {cites}"})
    outline = Outline.model_validate({
        "title": "Benchmark", "organisation": "Corroborate", "date": "2007-03-05", "style": "hrw",
        "disclosure": {"k": 1}, "sections": [{"heading": f"Section {s}", "blocks": paragraphs[s * 10:(s + 1) * 10]}
                                             for s in range(len(paragraphs) // 10)],
    })  # fmt: skip
    return case, outline


def main() -> None:
    case, outline = generate()
    public = case.model_copy(update={"witnesses": [w.model_copy(update={"restricted": None}) for w in case.witnesses]})
    style = load_style("hrw")
    assessment = assess_case(public)
    times, notes = [], 0
    for _ in range(5):
        started = time.perf_counter()
        briefing = build_briefing(public, outline, style, assessment)
        page = render_html(briefing)
        times.append(time.perf_counter() - started)
        notes = len(briefing.notes)
    print(f"{notes} endnotes, {len(page):,} characters of HTML")
    print(f"build + render HTML: median of 5 = {statistics.median(times):.3f} s (min {min(times):.3f} s)")
    restricted = {w.id: w.restricted for w in case.witnesses if w.restricted is not None}
    started = time.perf_counter()
    report = run_disclosure_checks(public, cited=briefing.cited, quoted=briefing.quoted, text=briefing.text,
                                   policy=outline.disclosure, restricted=restricted, where=briefing.where)  # fmt: skip
    print(f"disclosure checks (k-anonymity, leak scan of {len(restricted)} identities, consent): "
          f"{time.perf_counter() - started:.3f} s, ok={report.ok}")  # fmt: skip


if __name__ == "__main__":
    main()
