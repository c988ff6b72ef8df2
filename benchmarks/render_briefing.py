"""Benchmark: render a briefing with 1,000 endnotes to HTML (the issue asks for under 5 s), and check it.

Builds a generated case (1,000 witnesses, one excerpt each, 200 documents) and
an outline of 100 paragraphs citing 10 sources each, then times building the
briefing and rendering HTML (median of 5 runs), and separately the disclosure
checks on the finished artefacts as publishing runs them: the HTML page's
visible text, scanned against the 1,000 identities with a clear form table
(built from the identities each run) and with a keyed one (built once, as a
case keeps it), median of 5 runs each; then, once, rendering the PDF and
scanning its text. Usage: .venv/bin/python benchmarks/render_briefing.py
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
from corroborate.publish import (
    FormTable,
    LeakScanner,
    Outline,
    build_briefing,
    html_parts,
    load_style,
    pdf_bytes,
    pdf_parts,
    render_html,
    run_disclosure_checks,
)

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
    checks = {"cited": briefing.cited, "quoted": briefing.quoted, "policy": outline.disclosure}

    def check(**how: object) -> tuple[float, bool]:
        started = time.perf_counter()
        report = run_disclosure_checks(public, parts=html_parts(page), **checks, **how)  # type: ignore[arg-type]
        return time.perf_counter() - started, report.ok

    clear = [check(restricted=restricted) for _ in range(5)]
    print(f"disclosure checks on the HTML (k-anonymity, consent, leak scan of {len(restricted)} identities, "
          f"clear table built each run): median of 5 = {statistics.median(t for t, _ in clear):.3f} s, "
          f"ok={all(ok for _, ok in clear)}")  # fmt: skip
    started = time.perf_counter()
    table = FormTable.build(restricted)
    built = time.perf_counter() - started
    started = time.perf_counter()
    keyed = FormTable.from_bytes(table.keyed(b"benchmark secret, 32 bytes long!").to_bytes(),
                                 secret=b"benchmark secret, 32 bytes long!")  # fmt: skip
    print(f"form table: {len(table):,} forms, built in {built:.3f} s; keyed, stored and read back in "
          f"{time.perf_counter() - started:.3f} s")  # fmt: skip
    scanner = LeakScanner.from_table(keyed)
    keyed_runs = [check(scanner=scanner) for _ in range(5)]
    print(f"the same checks with the keyed table: median of 5 = {statistics.median(t for t, _ in keyed_runs):.3f} s, "
          f"ok={all(ok for _, ok in keyed_runs)}")  # fmt: skip
    started = time.perf_counter()
    pdf = pdf_bytes(page)
    rendered = time.perf_counter() - started
    started = time.perf_counter()
    leaks = [leak for label, text in pdf_parts(pdf) for leak in scanner.scan(text)]
    print(f"PDF ({len(pdf):,} bytes) rendered in {rendered:.1f} s; its text extracted and scanned (keyed) in "
          f"{time.perf_counter() - started:.3f} s, {len(leaks)} leak(s)")  # fmt: skip


if __name__ == "__main__":
    main()
