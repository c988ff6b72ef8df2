"""Benchmark: assess a generated case at reference scale (20,000 witnesses, 100,000 interviews, 1,000,000 claims).

Prints the time to grade every proposition (median of 3 runs), on domain objects
already in memory; generating the case is not timed. Usage:
    .venv/bin/python benchmarks/assess_scale.py [--witnesses N] [--claims N] [--runs N]
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Sequence

from corroborate.analysis import assess_case
from corroborate.domain import (
    AttributeSpec,
    Case,
    CaseInfo,
    Claim,
    Document,
    Excerpt,
    Interview,
    Proposition,
    PublicDescriptor,
    Witness,
)

ORIGINS = ["Musan", "Hyesan", "Hoeryong", "Chongjin", "Onsong", "Samsu", "Saebyol", "Haeju", "Wonsan", "Pyongyang"]
MODES = ["witnessed", "experienced", "heard_official", "hearsay"]
DATES = ["2004-09/2004-12", "2004-11-27", "2005", "2005-02", "../2006-04", "2006-10", "2006-01/2006-06"]
RANGES = ["1..5", "3", "3..", "5", "1..3", "0.5", "10"]
FACILITIES = ["jipkyolso", "rodong_danryondae", "kyohwaso", "kwanliso"]


def generate(
    witnesses: int, interviews: int, claims: int, propositions: int, seed: int = 7, *, texts: Sequence[str] = ()
) -> Case:
    """A generated case; excerpt ``i`` gets ``texts[i % len(texts)]`` as its text ("…" without texts)."""
    rnd = random.Random(seed)
    ws = [
        Witness.model_construct(
            id=f"W-{i:06d}",
            descriptor=PublicDescriptor.model_construct(
                gender=rnd.choice(["male", "female"]),
                age=rnd.randint(18, 80),
                age_band=None,
                origin=rnd.choice(ORIGINS),
                nationality="KP",
                role=None,
            ),  # fmt: skip
            restricted=None,
            independence_group=f"g{i // 50}" if i % 97 == 0 else None,
            independence_note=None,
        )
        for i in range(witnesses)
    ]
    ivs = [
        Interview.model_construct(
            id=f"I-{i}",
            witness=ws[i % witnesses].id,
            date=f"2006-{rnd.randint(1, 12):02d}",
            country="CN",
            town=None,
            interviewer=None,
            language=None,
            consent="quote",
        )  # fmt: skip
        for i in range(interviews)
    ]
    docs = [
        Document.model_construct(
            id=f"D-{i}",
            kind="news",
            title=f"report {i}",
            authors=[],
            outlet="outlet",
            publisher=None,
            date="2006",
            url=None,
            accessed=None,
            volume=None,
            symbol=None,
            underlying_source=f"u{i % 40}" if i % 3 == 0 else None,
        )  # fmt: skip
        for i in range(2000)
    ]
    props = [
        Proposition.model_construct(
            key=f"{rnd.choice(['policy', 'detention', 'border'])}.p{i}",
            statement=f"statement {i}",
            attributes={
                "announced": AttributeSpec(type="date"),
                "sentence_years": AttributeSpec(type="range"),
                "facility": AttributeSpec(type="category"),
            },
        )
        for i in range(propositions)
    ]
    excerpts, claim_list = [], []
    for i in range(claims):
        if i % 20 == 0:
            source, mode = docs[rnd.randrange(len(docs))].id, "document"
        else:
            source, mode = ivs[rnd.randrange(interviews)].id, rnd.choice(MODES)
        text = texts[i % len(texts)] if texts else "…"
        excerpts.append(Excerpt.model_construct(id=f"E-{i}", source=source, mode=mode, text=text, quote=False,
                                                pages=None, note=None))  # fmt: skip
        attributes: dict[str, str | int | float] = {}
        if rnd.random() < 0.5:
            attributes["announced"] = rnd.choice(DATES)
        if rnd.random() < 0.4:
            attributes["sentence_years"] = rnd.choice(RANGES)
        if rnd.random() < 0.3:
            attributes["facility"] = rnd.choice(FACILITIES)
        p = rnd.randrange(propositions)
        # one proposition in ten is disputed by a few sources; the others only supported
        stance = "contradicts" if p % 10 == 0 and rnd.random() < 0.02 else "supports"
        claim_list.append(
            Claim.model_construct(
                id=f"C-{i}", excerpt=f"E-{i}", proposition=props[p].key, stance=stance, attributes=attributes, note=None
            )  # fmt: skip
        )
    return Case.model_construct(
        version=1, case=CaseInfo(id="bench", title="bench"), witnesses=ws, interviews=ivs, documents=docs,
        excerpts=excerpts, propositions=props, claims=claim_list, recommendations=[],
    )  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--witnesses", type=int, default=20_000)
    parser.add_argument("--interviews", type=int, default=100_000)
    parser.add_argument("--claims", type=int, default=1_000_000)
    parser.add_argument("--propositions", type=int, default=500)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    started = time.perf_counter()
    case = generate(args.witnesses, args.interviews, args.claims, args.propositions)
    print(f"generated {args.witnesses:,} witnesses, {args.interviews:,} interviews, {args.claims:,} claims, "
          f"{args.propositions} propositions in {time.perf_counter() - started:.1f} s")  # fmt: skip
    times = []
    for run in range(args.runs):
        started = time.perf_counter()
        result = assess_case(case)
        times.append(time.perf_counter() - started)
        grades: dict[str, int] = {}
        for a in result.assessments:
            grades[a.grade] = grades.get(a.grade, 0) + 1
        print(f"run {run + 1}: {times[-1]:.2f} s  grades {grades}")
    print(f"assess_case median of {args.runs}: {statistics.median(times):.2f} s")


if __name__ == "__main__":
    main()
