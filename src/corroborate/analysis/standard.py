"""Standards of proof: named grades with conditions on independent sources, read from YAML.

A standard is data, so a case (or a commission of inquiry) can define its own.
The functions here only decide; they never read a store or print.
"""

from __future__ import annotations

import fnmatch
import functools
from importlib import resources
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

from corroborate.domain import ExcerptMode, read_data_file, validate_data

__all__ = ["Evidence", "GradeRule", "Rule", "Standard", "load_standard"]


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


@functools.cache
def _default() -> Standard:
    text = resources.files("corroborate.analysis.data").joinpath("standards/default.yaml").read_text("utf-8")
    return validate_data(Standard, yaml.safe_load(text), origin="the default standard of proof")


def load_standard(path: str | Path | None = None) -> Standard:
    """The standard in a YAML file, or the default one."""
    if path is None:
        return _default()
    return read_data_file(Standard, path, what="standard of proof")
