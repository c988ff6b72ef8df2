"""Standards of proof are monotone in evidence, and a standard that is not is refused with the reason."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from corroborate.analysis import load_standard
from corroborate.analysis.standard import (
    Evidence,
    GradeRule,
    Rule,
    Standard,
    monotonicity_counterexample,
    monotonicity_problem,
)
from corroborate.errors import UserError

SHIPPED = sorted(p.name for p in resources.files("corroborate.analysis.data.standards").iterdir()
                 if p.name.endswith(".yaml"))  # fmt: skip


@pytest.mark.parametrize("name", SHIPPED)
def test_every_shipped_standard_is_monotone(name: str) -> None:
    path = Path(str(resources.files("corroborate.analysis.data.standards").joinpath(name)))
    assert monotonicity_problem(load_standard(path)) is None


def test_the_old_default_is_refused_with_the_evidence_that_breaks_it(tmp_path: Path) -> None:
    """It ranked `insufficient` (several sources, none first-hand) below `single_source` (issue 10)."""
    path = Path(str(resources.files("corroborate.analysis.data.standards").joinpath("default.yaml")))
    old = yaml.safe_load(path.read_text(encoding="utf-8"))
    old["grades"] = [g for g in old["grades"] if g["grade"] not in ("several_sources", "single_source")] + [
        {"grade": "single_source", "any_of": [{"groups_min": 1, "groups_max": 1}]},
        {"grade": "insufficient", "any_of": [{"groups_min": 2}]},
    ]
    old["ranking"] = ["established", "reasonable_grounds", "single_source", "insufficient", "contested", "unsupported"]
    bad = tmp_path / "old.yaml"
    bad.write_text(yaml.safe_dump(old), encoding="utf-8")
    with pytest.raises(UserError, match="not monotone: .* the grade is single_source, but adding .* insufficient"):
        load_standard(bad)


def test_a_standard_rewarding_a_contradiction_is_refused() -> None:
    with pytest.raises(ValueError, match="adding an independent contradiction makes it disputed, a higher grade"):
        Standard(
            name="upside-down",
            grades=[
                GradeRule(grade="disputed", any_of=[Rule(groups_min=1, against_min=1)]),
                GradeRule(grade="single", any_of=[Rule(groups_min=1)]),
            ],  # fmt: skip
            ranking=["disputed", "single", "unsupported"],
        )


# A random standard, and a random walk that adds sources and contradictions: the checker's verdict
# must agree with what the walk finds (an oracle independent of the checker's enumeration).
COUNTS = ["groups", "first_hand", "origins", "witness_groups", "document_groups", "against"]


@st.composite
def rules(draw: st.DrawFn) -> Rule:
    fields = draw(st.dictionaries(st.sampled_from([f"{c}_min" for c in COUNTS] + ["groups_max", "against_max"]),
                                  st.integers(0, 3), max_size=3))  # fmt: skip
    return Rule(**fields)


@st.composite
def standards(draw: st.DrawFn) -> Standard:
    names = draw(st.lists(st.sampled_from(["a", "b", "c", "d"]), min_size=1, max_size=4, unique=True))
    grades = [GradeRule(grade=n, any_of=draw(st.lists(rules(), min_size=1, max_size=2))) for n in names]
    ranking = draw(st.permutations([*names, "unsupported"]))
    return Standard.model_construct(name="random", grades=grades, fallback="unsupported", ranking=list(ranking),
                                    first_hand={"*": ["witnessed"]}, description="")  # fmt: skip


@st.composite
def walks(draw: st.DrawFn) -> list[str]:
    return draw(st.lists(st.sampled_from(["witness", "first-hand witness", "new place", "document", "against"]),
                         min_size=1, max_size=6))  # fmt: skip


def _step(e: Evidence, step: str) -> Evidence:
    if step == "against":
        return e.model_copy(update={"against": e.against + 1})
    witness = step != "document"
    return e.model_copy(update={
        "groups": e.groups + 1, "first_hand": e.first_hand + (step == "first-hand witness"),
        "witness_groups": e.witness_groups + witness, "document_groups": e.document_groups + (not witness),
        "origins": e.origins + (step == "new place"),
    })  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(standards(), st.lists(walks(), min_size=1, max_size=8))
def test_a_standard_the_checker_passes_survives_every_walk(standard: Standard, paths: list[list[str]]) -> None:
    if monotonicity_problem(standard) is not None:
        return
    for path in paths:
        e = Evidence()
        for step in path:
            after = _step(e, step)
            before_rank, after_rank = standard.rank(standard.grade(e)[0]), standard.rank(standard.grade(after)[0])
            assert (after_rank <= before_rank) if step == "against" else (after_rank >= before_rank), (e, step)
            e = after


@settings(max_examples=300, deadline=None)
@given(standards())
def test_what_the_checker_refuses_is_really_broken(standard: Standard) -> None:
    found = monotonicity_counterexample(standard)
    if found is None:
        return
    before, after, what = found
    was, now = standard.rank(standard.grade(before)[0]), standard.rank(standard.grade(after)[0])
    if "contradiction" in what or "conflict" in what:
        assert now > was and after.groups == before.groups
    else:
        assert now < was and after.groups == before.groups + 1 and after.against == before.against
