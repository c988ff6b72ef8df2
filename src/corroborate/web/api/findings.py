"""What the analysis finds in a case: search, the assessment of its propositions (one or all, with the
working), its timeline and its law check.

Everything here reads the case as analysis does, without restricted identities: sources are named by
pseudonym (with their public descriptor) or document id, so no answer can carry a witness's identity. The
services check the role (``analyse`` of docs/security.md) and refuse anyone else.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request
from pydantic import BaseModel, Field, create_model

from corroborate import services
from corroborate.services import Action, search
from corroborate.services import analysis as analysing

from .callers import Calling, acts
from .problems import responses

__all__ = ["SearchKind", "router"]

router = APIRouter()
_ANALYSED = responses("invalid", "forbidden", "not-found")
_ANALYSE = acts(Action.analyse)

SearchKind = Literal["excerpt", "document", "proposition", "witness"]  # services.search.KINDS (a test keeps it so)
Key = Annotated[str, Path(description="a proposition's key, e.g. policy.first_offence.prison")]


class Span(BaseModel):
    """Where a match is in a snippet (character offsets, end excluded)."""

    start: int
    end: int


class SearchHit(BaseModel):
    """One result: what matched, a snippet of its public text, where the words are in it, and why it matched."""

    kind: SearchKind
    id: str = Field(description="the record's id (a proposition's key)")
    snippet: str
    highlights: list[Span]
    score: int = Field(description="how often the words occur; results come best first")
    because: str | None = Field(default=None, description="why it matched when its text does not say so")


class Support(BaseModel):
    """The independent sources supporting a proposition."""

    groups: int = Field(description="independent sources (independence groups)")
    witnesses: int
    documents: int
    origins: list[str] = Field(description="the supporting witnesses' places of origin")
    first_hand: int = Field(description="independent sources that are first-hand")
    modes: dict[str, int] = Field(description="supporting claims by how the source knows")
    interview_dates: list[str]
    sources: list[str] = Field(description="pseudonyms and document ids")


class Against(BaseModel):
    groups: int = Field(description="independent sources contradicting it")
    independent_groups: int = Field(description="of those, the ones that support nothing else of it")


class AttributeValues(BaseModel):
    """What the supporting sources say about one attribute."""

    values: list[str]
    consistent: bool
    decisive: bool = Field(description="a disagreement on it decides the grade")
    span: str | None = Field(default=None, description="for ranges and dates: from the lowest to the highest")


class ConflictValue(BaseModel):
    value: str
    sources: list[str]


class Conflict(BaseModel):
    """Sources that disagree on an attribute (of one occurrence, for a pattern)."""

    attribute: str
    occurrence: str | None = None
    decisive: bool
    values: list[ConflictValue]


class PropositionAssessment(BaseModel):
    """A proposition's grade under the case's standard of proof, and what it rests on."""

    key: str
    statement: str
    kind: str
    occurrences: int
    grade: str
    rule: str = Field(description="the conditions that gave the grade, in words")
    support: Support
    against: Against
    attributes: dict[str, AttributeValues]
    conflicts: list[Conflict]


class GradeCount(BaseModel):
    grade: str
    propositions: int


class CaseAssessment(BaseModel):
    """Every proposition assessed; ``grades`` counts them, strongest grade first."""

    standard: str
    grades: list[GradeCount]
    propositions: list[PropositionAssessment]


class Evidence(BaseModel):
    """The counts the grade was decided on."""

    groups: int
    first_hand: int
    origins: int
    witness_groups: int
    document_groups: int
    against: int
    decisive_conflicts: int


class SourceValues(BaseModel):
    """One row of "who says what": the values a supporting source gave."""

    source: str
    values: dict[str, str]


class Explanation(PropositionAssessment):
    """The assessment with its working: the counts, who says what, and the working in words."""

    evidence: Evidence
    independent_against: list[str] = Field(description="contradicting sources that support nothing of it")
    matrix: list[SourceValues]
    explanation: str


class TimelineEntry(BaseModel):
    """One date of one event, with every source that gives it."""

    when: str = Field(description="the date as given (EDTF)")
    start: date | None = Field(description="the first day it may denote (none: open)")
    end: date | None
    proposition: str
    statement: str
    attribute: str
    stance: str
    occurrence: str | None = None
    claims: list[str]
    sources: list[str] = Field(description="pseudonyms with public descriptors, and documents")
    notes: list[int]
    disagreement: bool = Field(description="other sources give another date for it")
    other_dates: list[str]


class Occurrence(BaseModel):
    label: str | None
    claims: list[str]
    dates: list[str]
    start: date | None
    end: date | None


class PatternSpan(BaseModel):
    """A pattern's occurrences in order, and the span they cover."""

    proposition: str
    statement: str
    start: date | None
    end: date | None
    occurrences: list[Occurrence]


class Timeline(BaseModel):
    """Every dated claim in order of its fuzzy interval; each pattern's span; the attributes sources disagree
    on, by proposition."""

    entries: list[TimelineEntry]
    patterns: list[PatternSpan]
    conflicts: dict[str, list[str]]


def _law_fields() -> dict[str, Any]:
    """The fields of services.LawFinding as the API shows them: the proposition's grade now beside its key, and
    the conduct period as the two dates it runs between."""
    fields: dict[str, Any] = {}
    for name, field in services.LawFinding.model_fields.items():
        if name == "period":
            fields["period_start"] = (date | None, Field(description="when the conduct began, from the claims' dates"))
            fields["period_end"] = (date | None, ...)
        else:
            fields[name] = (field.annotation, field)
        if name == "proposition":
            fields["grade"] = (str | None, Field(description="the proposition's grade now"))
    fields["bound_throughout"] = (bool | None, Field(description="bound for the whole period (none: cannot tell)"))
    return fields


# A law finding as the law check gives it (services.LawFinding), with the grade and the period's dates added.
LawFinding: type[BaseModel] = create_model(
    "LawFinding",
    __doc__="One treaty article engaged by one proposition, checked against the dates of the conduct.",
    **_law_fields(),
)


def _assessment(found: Any) -> dict[str, Any]:
    shown: dict[str, Any] = found.to_json()
    shown.pop("explanation", None)
    return shown


@router.get("/cases/{case}/search", response_model=list[SearchHit], responses=_ANALYSED, openapi_extra=_ANALYSE,
            tags=["analysis"],
            summary="Find excerpts, documents, propositions and witnesses by their public text")  # fmt: skip
def find(
    request: Request, case: str, who: Calling,
    q: Annotated[str, Query(min_length=1, description='words or "quoted phrases"; a place in any spelling')],
    kind: Annotated[list[SearchKind] | None, Query(description="only these kinds (repeat for several)")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 20,
) -> Any:  # fmt: skip
    hits = search.search(request.app.state.location, q, actor=who.actor, case=case, kinds=kind, limit=limit)
    return [SearchHit(kind=h.kind, id=h.ref, snippet=h.snippet, score=h.score, because=h.because,
                      highlights=[Span(start=s, end=e) for s, e in h.highlights]) for h in hits]  # fmt: skip


@router.get("/cases/{case}/assessment", response_model=CaseAssessment, responses=_ANALYSED, openapi_extra=_ANALYSE,
            tags=["analysis"], summary="Every proposition's grade under the default standard of proof")  # fmt: skip
def assessment(request: Request, case: str, who: Calling) -> Any:
    assessed = analysing.assess(request.app.state.location, actor=who.actor, case=case)
    counted: dict[str, int] = {}
    for a in assessed.assessments:
        counted[a.grade] = counted.get(a.grade, 0) + 1
    return {"standard": assessed.standard.name,
            "grades": [{"grade": g, "propositions": counted.get(g, 0)} for g in assessed.standard.ranking],
            "propositions": [_assessment(a) for a in assessed.assessments]}  # fmt: skip


@router.get("/cases/{case}/propositions/{key}/assessment", response_model=PropositionAssessment,
            responses=_ANALYSED, openapi_extra=_ANALYSE, tags=["analysis"],
            summary="One proposition's grade, read from its own claims")  # fmt: skip
def proposition_assessment(request: Request, case: str, key: Key, who: Calling) -> Any:
    found = analysing.assess(request.app.state.location, actor=who.actor, case=case, proposition=key)
    return _assessment(found.get(key))


@router.get("/cases/{case}/propositions/{key}/explanation", response_model=Explanation, responses=_ANALYSED,
            openapi_extra=_ANALYSE, tags=["analysis"],
            summary="One proposition's grade with its working: counts, who says what, the reasoning")  # fmt: skip
def explanation(request: Request, case: str, key: Key, who: Calling) -> Any:
    found = analysing.explain(request.app.state.location, key, actor=who.actor, case=case)
    return {**found.to_json(), "evidence": found.evidence.model_dump(), "matrix": _matrix(found),
            "independent_against": list(found.independent_against)}  # fmt: skip


def _matrix(found: Any) -> list[dict[str, Any]]:
    """Sources × attributes of the supporting claims (as the proposition page shows): who gave which value."""
    rows: dict[str, dict[str, str]] = {}
    for name, finding in found.attributes.items():
        if finding.of_source:
            continue
        for value, sources in finding.values.items():
            for source in sources:
                given = rows.setdefault(source, {})
                given[name] = f"{given[name]}; {value}" if name in given else value
    return [{"source": source, "values": rows[source]} for source in sorted(rows)]


@router.get("/cases/{case}/timeline", response_model=Timeline, responses=_ANALYSED, openapi_extra=_ANALYSE,
            tags=["analysis"], summary="The case's dated claims in order, and each pattern's span")  # fmt: skip
def timeline(request: Request, case: str, who: Calling) -> Any:
    location = request.app.state.location
    entries, patterns = analysing.timeline(location, actor=who.actor, case=case)
    assessed = analysing.assess(location, actor=who.actor, case=case)
    conflicts = {a.proposition.key: [f.name for f in a.conflicts] for a in assessed.assessments if a.conflicts}
    return {"entries": [e.to_json() for e in entries], "patterns": [p.to_json() for p in patterns],
            "conflicts": conflicts}  # fmt: skip


@router.get("/cases/{case}/law", response_model=list[LawFinding], responses=_ANALYSED, openapi_extra=_ANALYSE,
            tags=["analysis"],
            summary="The treaty articles supported propositions engage, and whether each state was bound")  # fmt: skip
def law(request: Request, case: str, who: Calling) -> Any:
    location = request.app.state.location
    findings = analysing.law(location, actor=who.actor, case=case)
    grades = {a.proposition.key: a.grade for a in analysing.assess(location, actor=who.actor, case=case).assessments}
    answer = []
    for finding in findings:
        shown = finding.model_dump(exclude={"period"})
        period = finding.period
        answer.append({**shown, "grade": grades.get(finding.proposition),
                       "period_start": period.start if period else None,
                       "period_end": period.end if period else None})  # fmt: skip
    return answer
