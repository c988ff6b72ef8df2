"""Standards of proof: named grades with conditions on independent sources, read from YAML.

A standard is data, so a case (or a commission of inquiry) can define its own.
The functions here only decide; they never read a store or print.
"""

from __future__ import annotations

import fnmatch
import functools
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

from corroborate.domain import ExcerptMode, read_data_file, validate_data

__all__ = [
    "Evidence",
    "GradeRule",
    "Rule",
    "Standard",
    "load_standard",
    "monotonicity_counterexample",
    "monotonicity_problem",
]


class Evidence(BaseModel):
    """The counts a grade is decided on."""

    model_config = ConfigDict(frozen=True)

    groups: int = 0
    first_hand: int = 0
    origins: int = 0
    witness_groups: int = 0
    document_groups: int = 0
    against: int = 0
    decisive_conflicts: int = 0


class Rule(BaseModel):
    """Conditions that must all hold."""

    model_config = ConfigDict(extra="forbid")

    groups_min: int = 0
    groups_max: int | None = None
    first_hand_min: int = 0
    origins_min: int = 0
    witness_groups_min: int = 0
    document_groups_min: int = 0
    against_min: int = 0
    against_max: int | None = None
    decisive_conflicts_min: int = 0

    def holds(self, e: Evidence) -> bool:
        """True when the evidence meets every condition."""
        return (
            e.groups >= self.groups_min
            and (self.groups_max is None or e.groups <= self.groups_max)
            and e.first_hand >= self.first_hand_min
            and e.origins >= self.origins_min
            and e.witness_groups >= self.witness_groups_min
            and e.document_groups >= self.document_groups_min
            and e.against >= self.against_min
            and (self.against_max is None or e.against <= self.against_max)
            and e.decisive_conflicts >= self.decisive_conflicts_min
        )

    def describe(self) -> str:
        """The conditions in words, e.g. 'groups >= 3, first_hand >= 2'."""
        parts = []
        for name, value in self.model_dump(exclude_defaults=True).items():
            field, bound = name.rsplit("_", 1)
            parts.append(f"{field} {'>=' if bound == 'min' else '<='} {value}")
        return ", ".join(parts) or "always"


class GradeRule(BaseModel):
    """A grade and the rules, any of which gives it."""

    model_config = ConfigDict(extra="forbid")

    grade: str
    meaning: str = ""
    any_of: list[Rule] = Field(min_length=1)


def _default_first_hand() -> dict[str, list[ExcerptMode]]:
    return {"*": ["witnessed", "experienced"]}


class Standard(BaseModel):
    """A named standard of proof."""

    model_config = ConfigDict(extra="forbid")

    name: str
    description: str = ""
    first_hand: dict[str, list[ExcerptMode]] = Field(default_factory=_default_first_hand)
    grades: list[GradeRule] = Field(min_length=1)
    fallback: str = "unsupported"
    ranking: list[str]

    @model_validator(mode="after")
    def _ranked(self) -> Standard:
        named = {g.grade for g in self.grades} | {self.fallback}
        if set(self.ranking) != named:
            raise ValueError(f"ranking must list exactly the grades {sorted(named)}")
        problem = monotonicity_problem(self)
        if problem is not None:
            raise ValueError(f"the standard is not monotone: {problem}")
        return self

    def first_hand_modes(self, proposition: str) -> frozenset[str]:
        """Modes that count as first-hand for a proposition (the most specific pattern wins)."""
        matches = [p for p in self.first_hand if fnmatch.fnmatchcase(proposition, p)]
        if not matches:
            return frozenset()
        return frozenset(self.first_hand[max(matches, key=len)])

    def grade(self, evidence: Evidence) -> tuple[str, GradeRule | None, Rule | None]:
        """The grade, and the grade rule and condition set that gave it (None for the fallback)."""
        for grade_rule in self.grades:
            for rule in grade_rule.any_of:
                if rule.holds(evidence):
                    return grade_rule.grade, grade_rule, rule
        return self.fallback, None, None

    def rank(self, grade: str) -> int:
        """Higher is stronger."""
        return len(self.ranking) - self.ranking.index(grade)


def _bound(standard: Standard) -> int:
    """One past the largest count any condition names: beyond it, every condition answers the same."""
    values = [int(v) for g in standard.grades for r in g.any_of for v in r.model_dump().values() if v is not None]
    return max([0, *values]) + 1


def _states(bound: int) -> Iterator[Evidence]:
    """Every consistent evidence up to ``bound``: documents and witnesses make up the groups, origins are
    witnesses' and first-hand sources are supporting ones."""
    for groups in range(bound + 1):
        for witness_groups in range(groups + 1):
            for first_hand in range(groups + 1):
                for origins in range(witness_groups + 1):
                    for against in range(bound + 1):
                        # supporting sources disagree on a decisive attribute only when there are two
                        for decisive in range(min(bound, 3) + 1 if groups >= 2 else 1):
                            yield Evidence(groups=groups, first_hand=first_hand, origins=origins,
                                           witness_groups=witness_groups, document_groups=groups - witness_groups,
                                           against=against, decisive_conflicts=decisive)  # fmt: skip


def _more_support(e: Evidence) -> Iterator[tuple[Evidence, str]]:
    """``e`` with one more independent supporting source, every way it can come."""
    for first_hand in (0, 1):
        for witness in (True, False):
            for new_origin in (0, 1) if witness else (0,):
                yield (
                    e.model_copy(
                        update={
                            "groups": e.groups + 1,
                            "first_hand": e.first_hand + first_hand,
                            "witness_groups": e.witness_groups + witness,
                            "document_groups": e.document_groups + (not witness),
                            "origins": e.origins + new_origin,
                        }
                    ),  # fmt: skip
                    f"a {'first-hand ' if first_hand else ''}{'witness' if witness else 'document'}"
                    f"{' from a new place of origin' if new_origin else ''}",
                )


def _describe(e: Evidence) -> str:
    return ", ".join(f"{k} {v}" for k, v in e.model_dump().items() if v) or "no evidence"


def monotonicity_counterexample(standard: Standard) -> tuple[Evidence, Evidence, str] | None:
    """Evidence before and after one more source or contradiction that moves the grade the wrong way.

    Every consistent evidence up to one past the largest count the standard
    names is tried (beyond it nothing changes), with one more supporting
    source of every kind, and with one more contradiction. Returns (before,
    after, what was added), or None when the standard is monotone.
    """
    for e in _states(_bound(standard)):
        rank = standard.rank(standard.grade(e)[0])
        for more, what in _more_support(e):
            if standard.rank(standard.grade(more)[0]) < rank:
                return e, more, what
        for field in ("against", "decisive_conflicts") if e.groups >= 2 else ("against",):
            more = e.model_copy(update={field: getattr(e, field) + 1})
            if standard.rank(standard.grade(more)[0]) > rank:
                return (
                    e,
                    more,
                    "an independent contradiction" if field == "against" else "a conflict on a decisive attribute",
                )
    return None


def monotonicity_problem(standard: Standard) -> str | None:
    """Why the standard is not monotone (a source added lowers a grade, a contradiction raises one), or None."""
    found = monotonicity_counterexample(standard)
    if found is None:
        return None
    before, after, what = found
    grade, then = standard.grade(before)[0], standard.grade(after)[0]
    direction = "higher" if standard.rank(then) > standard.rank(grade) else "lower"
    return f"with {_describe(before)} the grade is {grade}, but adding {what} makes it {then}, a {direction} grade"


@functools.cache
def _default() -> Standard:
    text = resources.files("corroborate.analysis.data").joinpath("standards/default.yaml").read_text("utf-8")
    return validate_data(Standard, yaml.safe_load(text), origin="the default standard of proof")


def load_standard(path: str | Path | None = None) -> Standard:
    """The standard in a YAML file, or the default one."""
    if path is None:
        return _default()
    return read_data_file(Standard, path, what="standard of proof")
