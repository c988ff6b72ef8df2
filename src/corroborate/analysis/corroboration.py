"""Assessing propositions: independent sources for and against, their diversity, agreement, a grade.

The working is kept with every grade (``explanation``): which sources counted,
which were merged as dependent and why, which attribute values disagree and
who said what. Pure: takes a case, returns results; order of claims never
matters.
"""

from __future__ import annotations

import gc
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from corroborate.domain import Case, Proposition

from .consistency import AttributeFinding, compare_in_occurrences
from .explanation import explain
from .occurrences import occurrence_scope
from .sources import ExcerptSource, SideSummary, SourceIndex
from .standard import Evidence, Standard, load_standard

__all__ = ["Assessment", "CaseAssessment", "SideSummary", "assess", "assess_case"]


@dataclass
class Assessment:
    """The assessment of one proposition under one standard."""

    proposition: Proposition
    grade: str
    rule: str  # the conditions that gave the grade, in words
    support: SideSummary
    against: SideSummary
    independent_against: list[str]  # contradicting groups that support nothing
    attributes: dict[str, AttributeFinding]
    modes: dict[str, int]
    interview_dates: list[str]
    evidence: Evidence
    occurrences: int = 1  # distinct occurrences the supporting claims describe (a pattern may have several)
    explanation: str = ""

    @property
    def conflicts(self) -> list[AttributeFinding]:
        return [f for f in self.attributes.values() if not f.consistent]

    def to_json(self) -> dict[str, Any]:
        """The JSON shape `corroborate assess --format json` prints."""
        s = self.support
        return {
            "key": self.proposition.key,
            "statement": self.proposition.statement,
            "kind": self.proposition.kind,
            "occurrences": self.occurrences,
            "grade": self.grade,
            "rule": self.rule,
            "support": {
                "groups": len(s.groups),
                "witnesses": len(s.witnesses),
                "documents": len(s.documents),
                "origins": s.origins,
                "first_hand": len(s.first_hand_groups),
                "modes": self.modes,
                "interview_dates": self.interview_dates,
                "sources": sorted({src.source for g in s.groups.values() for src in g}),
            },
            "against": {"groups": len(self.against.groups), "independent_groups": len(self.independent_against)},
            "attributes": {
                name: {"values": f.distinct, "consistent": f.consistent, "decisive": f.decisive, "span": f.span}
                for name, f in self.attributes.items()
            },
            "conflicts": [
                {
                    "attribute": f.name,
                    "occurrence": None if occurrence is None or occurrence.startswith("#") else occurrence,
                    "decisive": f.decisive,
                    "values": [{"value": v, "sources": src} for v, src in found.values.items()],
                }  # fmt: skip
                for f in self.conflicts
                for occurrence, found in (f.disagreeing.items() or [(None, f)])
            ],
            "explanation": self.explanation,
        }


@dataclass
class CaseAssessment:
    """Every proposition of a case assessed under one standard."""

    standard: Standard
    assessments: list[Assessment]

    def to_json(self) -> dict[str, Any]:
        return {"standard": self.standard.name, "propositions": [a.to_json() for a in self.assessments]}

    def get(self, key: str) -> Assessment:
        """The assessment of one proposition; KeyError when the case has no such proposition."""
        for a in self.assessments:
            if a.proposition.key == key:
                return a
        raise KeyError(key)


def _assess_one(
    proposition: Proposition,
    claims: Sequence[tuple[str, Mapping[str, Any], ExcerptSource, str]],
    index: SourceIndex,
    standard: Standard,
) -> Assessment:
    """Assess one proposition from (stance, attributes, source, occurrence scope) of each of its claims."""
    first_hand_modes = standard.first_hand_modes(proposition.key)
    support, against = SideSummary(), SideSummary()
    modes: dict[str, int] = defaultdict(int)
    dates: set[str] = set()
    scopes: set[str] = set()
    given: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for stance, attributes, source, scope in claims:
        side = support if stance == "supports" else against
        side.add(source, first_hand=source.mode in first_hand_modes)
        if stance != "supports":
            continue
        modes[source.mode] += 1
        scopes.add(scope)
        if source.interview_date:
            dates.add(source.interview_date)
        for name, value in attributes.items():
            if name in proposition.attributes:
                given[name].append((scope, str(value), source.source))
    findings = {
        name: compare_in_occurrences(name, proposition.attributes[name], values)
        for name, values in sorted(given.items())
    }
    independent_against = sorted(set(against.groups) - set(support.groups))
    evidence = Evidence(
        groups=len(support.groups),
        first_hand=len(support.first_hand_groups),
        origins=len(support.origins),
        witness_groups=support.kind_groups("witness"),
        document_groups=support.kind_groups("document"),
        against=len(independent_against),
        decisive_conflicts=sum(1 for f in findings.values() if f.decisive and not f.consistent),
    )
    grade, grade_rule, rule = standard.grade(evidence)
    assessment = Assessment(
        proposition=proposition,
        grade=grade,
        rule=rule.describe() if rule else "no rule of the standard holds",
        support=support,
        against=against,
        independent_against=independent_against,
        attributes=findings,
        modes=dict(sorted(modes.items())),
        interview_dates=sorted(dates),
        evidence=evidence,
        occurrences=len(scopes),
    )
    assessment.explanation = explain(assessment, index, standard, grade_rule.meaning if grade_rule else "")
    return assessment


@contextmanager
def _without_gc() -> Iterator[None]:
    # Assessing allocates millions of small tuples next to millions of live domain
    # objects; the cyclic collector would rescan that heap over and over (it nearly
    # doubled the time at 100,000 claims) while nothing made here forms a cycle.
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def assess_case(case: Case, standard: Standard | None = None) -> CaseAssessment:
    """Assess every proposition of a case (in the case's order)."""
    with _without_gc():
        return _assess_case(case, standard or load_standard())


def _assess_case(case: Case, standard: Standard) -> CaseAssessment:
    index = SourceIndex(case)
    kinds = {p.key: p.kind for p in case.propositions}
    by_proposition: dict[str, list[tuple[str, Mapping[str, Any], ExcerptSource, str]]] = defaultdict(list)
    for c in case.claims:
        scope = occurrence_scope(kinds.get(c.proposition, "event"), c.id, c.occurrence)
        by_proposition[c.proposition].append((c.stance, c.attributes, index.source_of(c), scope))
    assessments = [_assess_one(p, by_proposition.get(p.key, []), index, standard) for p in case.propositions]
    return CaseAssessment(standard, assessments)


def assess(case: Case, key: str, standard: Standard | None = None) -> Assessment:
    """Assess one proposition."""
    standard = standard or load_standard()
    proposition = next((p for p in case.propositions if p.key == key), None)
    if proposition is None:
        raise KeyError(key)
    index = SourceIndex(case)
    claims = [
        (c.stance, c.attributes, index.source_of(c), occurrence_scope(proposition.kind, c.id, c.occurrence))
        for c in case.claims
        if c.proposition == key
    ]
    return _assess_one(proposition, claims, index, standard)
