"""Assessing propositions: independent sources for and against, their diversity, agreement, a grade.

The working is kept with every grade (``explanation``): which sources counted,
which were merged as dependent and why, which attribute values disagree and
who said what. Pure: takes a case, returns results; order of claims never
matters.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import compress, repeat
from operator import eq, itemgetter, not_
from typing import Any, TypeVar

from corroborate.domain import Case, Proposition
from corroborate.domain.collector import paused_collector

from .consistency import AttributeFinding, compare_sorted
from .explanation import explain
from .occurrences import occurrence_scope
from .sources import ExcerptSource, SideSummary, SourceIndex
from .standard import Evidence, Standard, load_standard

__all__ = ["Assessment", "CaseAssessment", "ClaimRecord", "SideSummary", "assess", "assess_case", "assess_claims"]


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


_MODE, _DATE = itemgetter(5), itemgetter(8)  # of an ExcerptSource
_STANCE, _SOURCE, _SCOPE = itemgetter(0), itemgetter(2), itemgetter(3)  # of a ClaimSource
# One claim as an assessment reads it: (stance, attributes, source with the claim's mode, occurrence scope).
ClaimSource = tuple[str, Mapping[str, Any], ExcerptSource, str]


def _assess_one(
    proposition: Proposition, claims: Sequence[ClaimSource], index: SourceIndex, standard: Standard
) -> Assessment:
    """Assess one proposition from (stance, attributes, source, occurrence scope) of each of its claims.

    Each step is one pass over the claims in a comprehension or a counter: a
    proposition may have tens of thousands of them.
    """
    first_hand_modes = standard.first_hand_modes(proposition.key)
    supports = list(map(eq, map(_STANCE, claims), repeat("supports")))
    supporting = list(compress(claims, supports))
    sources = list(map(_SOURCE, supporting))
    support = SideSummary.of(sources, first_hand_modes)
    against = SideSummary.of(list(compress(map(_SOURCE, claims), map(not_, supports))), first_hand_modes)
    specs = proposition.attributes
    given = {  # name -> {(value, source, scope)}: which source gave which value, once each
        name: {(str(a[name]), s[2], scope) for _, a, s, scope in supporting if name in a} for name in sorted(specs)
    }
    findings = {name: compare_sorted(name, specs[name], sorted(values)) for name, values in given.items() if values}
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
        modes=dict(sorted(Counter(map(_MODE, sources)).items())),
        interview_dates=sorted(d for d in set(map(_DATE, sources)) if d),
        evidence=evidence,
        occurrences=len(set(map(_SCOPE, supporting))),
    )
    assessment.explanation = explain(assessment, index, standard, grade_rule.meaning if grade_rule else "")
    return assessment


def assess_case(case: Case, standard: Standard | None = None) -> CaseAssessment:
    """Assess every proposition of a case (in the case's order)."""
    with paused_collector():
        return _assess_case(case, standard or load_standard())


def _assess_case(case: Case, standard: Standard) -> CaseAssessment:
    index = SourceIndex(case)
    kinds = {p.key: p.kind for p in case.propositions}
    by_proposition: dict[str, list[ClaimSource]] = defaultdict(list)
    for c in case.claims:
        scope = occurrence_scope(kinds.get(c.proposition, "event"), c.id, c.occurrence)
        by_proposition[c.proposition].append((c.stance, c.attributes, index.source_of(c), scope))
    assessments = [_assess_one(p, by_proposition.get(p.key, []), index, standard) for p in case.propositions]
    return CaseAssessment(standard, assessments)


# One claim with what its excerpt says of its source, as a store reads it (a tuple: a million per case):
# (proposition, claim id, stance, attributes, the claim's own mode or None, occurrence, excerpt id,
#  the excerpt's mode, its note, source). ``proposition`` and ``source`` are keys the caller chooses:
# of the propositions given to ``assess_claims`` and of the sources in its index.
_Key = TypeVar("_Key", bound=Hashable)  # how the caller names propositions
ClaimRecord = tuple[
    Hashable, str, str, Mapping[str, Any], str | None, str | None, str, str, int | None, Hashable
]  # fmt: skip


def assess_claims(
    propositions: Mapping[_Key, Proposition], index: SourceIndex, claims: Iterable[ClaimRecord],
    standard: Standard | None = None,
) -> CaseAssessment:  # fmt: skip
    """Assess propositions (in the order given) from their claims' records, without a Case.

    The same assessment as ``assess_case`` on a case of those propositions,
    claims, excerpts and sources; claims of propositions not given are left out.
    """
    with paused_collector():
        return _assess_records(propositions, index, claims, standard or load_standard())


def _assess_records(
    propositions: Mapping[_Key, Proposition], index: SourceIndex, claims: Iterable[ClaimRecord],
    standard: Standard,
) -> CaseAssessment:  # fmt: skip
    by_proposition: dict[Hashable, list[ClaimRecord]] = {key: [] for key in propositions}
    for record in claims:
        found = by_proposition.get(record[0])
        if found is not None:
            found.append(record)
    # One proposition at a time, its claims' sources made together and dropped once it is assessed: what an
    # assessment walks over and over then lies close together in memory, and the heap shrinks as it goes.
    return CaseAssessment(standard, [
        _assess_one(p, _sources(p, by_proposition.pop(key), index), index, standard)
        for key, p in propositions.items()
    ])  # fmt: skip


def _sources(proposition: Proposition, records: list[ClaimRecord], index: SourceIndex) -> list[ClaimSource]:
    """(stance, attributes, source, occurrence scope) of each claim record of a proposition."""
    templates, make, pattern = index.templates, tuple.__new__, proposition.kind != "event"
    found: list[ClaimSource] = []
    for _, claim, stance, attributes, mode, occurrence, excerpt, excerpt_mode, note, key in records:
        kind, ref, group, reason, origin, when = templates[key]
        source = make(ExcerptSource, (excerpt, kind, ref, group, reason, excerpt_mode if mode is None else mode,
                                      note, origin, when))  # fmt: skip
        scope = (occurrence if occurrence is not None else f"#{claim}") if pattern else ""
        found.append((stance, attributes, source, scope))
    return found


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
