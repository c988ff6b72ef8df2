"""Whole-case checks: unique ids, references that resolve, typed claim attributes.

These rules need the whole case at once, unlike field validation. Messages
name ids and field paths only; they never repeat a restricted value.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from .attributes import coerce_attribute
from .entities import Case
from .fuzzydate import DateInterval, date_interval

__all__ = ["ID_FIELDS", "CaseProblem", "case_problems", "duplicate_ids", "normalise_case"]

Path = tuple[str | int, ...]

# The field that identifies an item of each list section.
ID_FIELDS = {
    "witnesses": "id",
    "interviews": "id",
    "documents": "id",
    "excerpts": "id",
    "propositions": "key",
    "claims": "id",
    "recommendations": "id",
}


@dataclass(frozen=True)
class CaseProblem:
    """A problem at a path inside the case, e.g. ('claims', 3, 'excerpt')."""

    path: Path
    message: str
    missing: str | None = None  # the id a broken reference points to, if that is the problem


def duplicate_ids(section: str, field: str, values: Sequence[str | None]) -> list[CaseProblem]:
    """A problem for every repeat of an id within one section (None marks an item without id)."""
    problems: list[CaseProblem] = []
    first: dict[str, int] = {}
    for i, value in enumerate(values):
        if value is None:
            continue
        if value in first:
            problems.append(CaseProblem((section, i, field), f"duplicate id {value!r} (first at index {first[value]})"))
        else:
            first[value] = i
    return problems


def case_problems(case: Case, *, check_duplicates: bool = True, today: date | None = None) -> list[CaseProblem]:
    """Every duplicate-id, cross-reference and typing problem of a structurally valid case.

    With ``today``, dates that cannot be true are problems too: an interview
    after today, a witness born after their interview.
    """
    problems: list[CaseProblem] = []
    witness_ids = [w.id for w in case.witnesses]
    interview_ids = [i.id for i in case.interviews]
    document_ids = [d.id for d in case.documents]
    if check_duplicates:
        for section, field in ID_FIELDS.items():
            problems += duplicate_ids(section, field, [getattr(item, field) for item in getattr(case, section)])
    for i, doc_id in enumerate(document_ids):
        if doc_id in set(interview_ids):
            problems.append(CaseProblem(("documents", i, "id"), f"id {doc_id!r} is also an interview id"))

    witnesses = set(witness_ids)
    for i, interview in enumerate(case.interviews):
        if interview.witness not in witnesses:
            problems.append(
                CaseProblem(("interviews", i, "witness"), f"no witness {interview.witness!r}", interview.witness)
            )
    if today is not None:
        problems += _impossible_dates(case, today)

    interviews, documents = set(interview_ids), set(document_ids)
    for i, excerpt in enumerate(case.excerpts):
        if excerpt.source in interviews:
            if excerpt.mode == "document":
                problems.append(
                    CaseProblem(("excerpts", i, "mode"), "an excerpt of an interview cannot have mode 'document'")
                )
        elif excerpt.source in documents:
            if excerpt.mode != "document":
                problems.append(
                    CaseProblem(
                        ("excerpts", i, "mode"),
                        f"an excerpt of a document has mode 'document', not {excerpt.mode!r}",
                    )
                )
        else:
            problems.append(
                CaseProblem(("excerpts", i, "source"), f"no interview or document {excerpt.source!r}", excerpt.source)
            )

    excerpts = {e.id: e for e in case.excerpts}
    propositions = {p.key: p for p in case.propositions}
    for i, claim in enumerate(case.claims):
        if claim.excerpt not in excerpts:
            problems.append(CaseProblem(("claims", i, "excerpt"), f"no excerpt {claim.excerpt!r}", claim.excerpt))
        elif claim.mode is not None and (claim.mode == "document") != (excerpts[claim.excerpt].mode == "document"):
            kind = "a document" if excerpts[claim.excerpt].mode == "document" else "an interview"
            problems.append(CaseProblem(("claims", i, "mode"), f"a claim on an excerpt of {kind} cannot have mode "
                                        f"{claim.mode!r}"))  # fmt: skip
        proposition = propositions.get(claim.proposition)
        if proposition is None:
            problems.append(
                CaseProblem(("claims", i, "proposition"), f"no proposition {claim.proposition!r}", claim.proposition)
            )
            continue
        if claim.occurrence is not None and proposition.kind == "event":
            problems.append(
                CaseProblem(
                    ("claims", i, "occurrence"),
                    f"proposition {proposition.key!r} describes one event, so its claims name no occurrence; "
                    "declare it `kind: pattern` if it describes repeated conduct",
                )
            )
        for name, value in claim.attributes.items():
            spec = proposition.attributes.get(name)
            if spec is None:
                known = ", ".join(proposition.attributes) or "none"
                problems.append(
                    CaseProblem(
                        ("claims", i, "attributes", name),
                        f"proposition {proposition.key!r} has no attribute {name!r} (it has: {known})",
                    )
                )
                continue
            try:
                coerce_attribute(spec, value)
            except ValueError as exc:
                problems.append(CaseProblem(("claims", i, "attributes", name), str(exc)))
    return problems + _follow_up_problems(case)


def _wholly_before(a: DateInterval, b: DateInterval) -> bool:
    return a.end is not None and b.start is not None and a.end < b.start


def _follow_up_problems(case: Case) -> list[CaseProblem]:
    """A recommendation's follow-up cites documents of the case, oldest status first."""
    documents = {d.id for d in case.documents}
    problems = []
    for i, recommendation in enumerate(case.recommendations):
        previous = None
        for j, step in enumerate(recommendation.follow_up):
            path = ("recommendations", i, "follow_up", j)
            for k, source in enumerate(step.sources):
                if source not in documents:
                    problems.append(CaseProblem((*path, "sources", k), f"no document {source!r}", source))
            when = date_interval(step.date)
            if previous is not None and _wholly_before(when, previous):
                problems.append(CaseProblem((*path, "date"), f"{step.date} is before the status listed above it: "
                                            "list the follow-up oldest first"))  # fmt: skip
            previous = when
    return problems


def _impossible_dates(case: Case, today: date) -> list[CaseProblem]:
    """Interviews after today, and witnesses born after an interview (a birth date is never shown)."""
    problems: list[CaseProblem] = []
    first_interview: dict[str, tuple[date, str]] = {}
    for i, interview in enumerate(case.interviews):
        when = date_interval(interview.date)
        if when.start is not None and when.start > today:
            problems.append(CaseProblem(("interviews", i, "date"), f"is after today ({today.isoformat()})"))
        if when.end is not None and (interview.witness not in first_interview
                                     or when.end < first_interview[interview.witness][0]):  # fmt: skip
            first_interview[interview.witness] = (when.end, interview.id)
    for i, witness in enumerate(case.witnesses):
        born = witness.restricted.birth_date if witness.restricted else None
        if born is None or witness.id not in first_interview:
            continue
        start = date_interval(born).start
        latest, interview_id = first_interview[witness.id]
        if start is not None and start > latest:
            message = f"is after the witness's interview {interview_id} (the date is not shown)"
            problems.append(CaseProblem(("witnesses", i, "restricted", "birth_date"), message))
    return problems


def normalise_case(case: Case) -> Case:
    """A copy of a problem-free case with claim attributes in canonical form."""
    specs = {p.key: p.attributes for p in case.propositions}
    claims = [
        claim.model_copy(
            update={
                "attributes": {
                    name: coerce_attribute(specs[claim.proposition][name], value)
                    for name, value in claim.attributes.items()
                }
            }
        )
        for claim in case.claims
    ]
    return case.model_copy(update={"claims": claims})
