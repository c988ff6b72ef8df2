"""Use cases of the analysis core: assess, explain, timeline, law, coding suggestions, adding claims.

Cases are loaded without their keys: analysis never sees a restricted field.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from corroborate.analysis import (
    Assessment,
    CaseAssessment,
    LawBook,
    LawFinding,
    OccurrenceSuggestion,
    PatternSpan,
    SourceIndex,
    Standard,
    Suggestion,
    Thesaurus,
    TimelineEntry,
    assess_claims,
    build_timeline,
    check_law,
    load_standard,
    pattern_spans,
    suggest,
    suggest_occurrences,
)
from corroborate.domain import Case, Claim, Excerpt
from corroborate.errors import RecordNotFound, UserError
from corroborate.store import load_case, load_proposition, open_store, proposition_keys, read_record
from corroborate.store.evidence import (
    AssessmentSources,
    ClaimTuple,
    assessment_sources,
    cited_sources,
    claim_tuples,
    proposition_pk,
)
from corroborate.store.records import find_record, refs_like
from corroborate.store.repository import list_propositions

from . import records
from .access import Action, Actor
from .cases import actor_case
from .unlocking import Secrets

__all__ = [
    "add_claim",
    "assess",
    "code_suggestions",
    "explain",
    "law",
    "load_one_proposition",
    "load_public_case",
    "occurrences",
    "timeline",
]


def load_public_case(location: str, *, actor: Actor, case: str | None = None, action: Action = Action.analyse) -> Case:
    """The case without restricted identities, for analysis."""
    with open_store(location) as store, store.transaction() as session:
        row = actor_case(session, actor, action, case)
        return load_case(session, row.ref)


def assess(
    location: str, *, actor: Actor, case: str | None = None, standard: str | Path | None = None,
    proposition: str | None = None,
) -> CaseAssessment:  # fmt: skip
    """Grade every proposition of a case under a standard of proof (default or from a YAML file).

    Claims are read as plain rows, never as a whole Case (see ``store.evidence``). With
    ``proposition``, only that one, from its own rows: the rest of the case is not read.
    """
    chosen = load_standard(standard)
    with open_store(location) as store, store.transaction() as session:
        row = actor_case(session, actor, Action.analyse, case)
        if proposition is None:
            return _assess_rows(assessment_sources(session, row.pk), claim_tuples(session, row.pk), chosen)
        one = proposition_pk(session, row.pk, proposition)
        if one is not None:
            claims = list(claim_tuples(session, row.pk, one))
            return _assess_rows(cited_sources(session, one, claims), claims, chosen)
        keys = proposition_keys(session, row.ref)
    raise _no_proposition(proposition, row.ref, keys)


def _assess_rows(sources: AssessmentSources, claims: Iterable[ClaimTuple], standard: Standard) -> CaseAssessment:
    index = SourceIndex()
    index.add_facts(sources.witness_facts(), sources.documents, sources.interviews, witness=sources.witness)
    return assess_claims(sources.propositions, index, claims, standard)


def _no_proposition(proposition: str, case: str, keys: list[str]) -> RecordNotFound:
    close = [k for k in keys if proposition in k or k in proposition][:5]
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    return RecordNotFound("proposition", proposition, case, hint=hint)


def load_one_proposition(location: str, proposition: str, *, actor: Actor, case: str | None = None) -> Case:
    """One proposition with its claims, excerpts and sources, and nothing else (no restricted field)."""
    with open_store(location) as store, store.transaction() as session:
        row = actor_case(session, actor, Action.analyse, case)
        try:
            return load_proposition(session, row.ref, proposition)
        except KeyError:
            keys = proposition_keys(session, row.ref)
    raise _no_proposition(proposition, row.ref, keys)


def explain(
    location: str, proposition: str, *, actor: Actor, case: str | None = None, standard: str | Path | None = None
) -> Assessment:
    """The assessment of one proposition, with its working (read from the store for that proposition alone)."""
    return assess(location, actor=actor, case=case, standard=standard, proposition=proposition).get(proposition)


def timeline(location: str, *, actor: Actor, case: str | None = None) -> tuple[list[TimelineEntry], list[PatternSpan]]:
    """Every dated claim in chronological order of its fuzzy interval, and the span of every pattern."""
    loaded = load_public_case(location, actor=actor, case=case)
    return build_timeline(loaded), pattern_spans(loaded)


def occurrences(
    location: str, proposition: str, *, actor: Actor, case: str | None = None
) -> tuple[PatternSpan, list[OccurrenceSuggestion]]:
    """A pattern's occurrences, and an occurrence proposed for each of its dated claims that names none."""
    loaded = load_one_proposition(location, proposition, actor=actor, case=case)
    span = next((s for s in pattern_spans(loaded) if s.proposition == proposition), None)
    if span is None:
        raise UserError(f"proposition {proposition!r} describes one event, so it has one occurrence; declare it "
                        "`kind: pattern` in the casefile if it describes repeated conduct")  # fmt: skip
    return span, suggest_occurrences(loaded, proposition)


def law(
    location: str, *, actor: Actor, case: str | None = None, law_file: str | Path | None = None,
    violations_file: str | Path | None = None,
) -> list[LawFinding]:  # fmt: skip
    """Map the case's supported propositions to treaty articles and check the duty-bearer was bound then."""
    book = (
        LawBook.default()
        if law_file is None and violations_file is None
        else LawBook.from_files(law_file, violations_file)
    )
    return check_law(load_public_case(location, actor=actor, case=case), book)


def code_suggestions(
    location: str, excerpt: str, *, actor: Actor, case: str | None = None, thesaurus: str | Path | None = None
) -> tuple[Excerpt, list[Suggestion]]:
    """Proposed claims for one excerpt (nothing is coded until the analyst accepts one), with the excerpt.

    Reads the excerpt, its interview's date and the case's propositions: never the rest of the case.
    """
    book = Thesaurus.default() if thesaurus is None else Thesaurus.default().extended_with(Path(thesaurus))
    with open_store(location) as store, store.transaction() as session:
        row = actor_case(session, actor, Action.analyse, case)
        if find_record(session, row, "excerpt", excerpt) is None:
            close = refs_like(session, row, "excerpt", excerpt)
            raise RecordNotFound(
                "excerpt", excerpt, row.ref, hint=f"; did you mean {', '.join(close)}?" if close else ""
            )
        found: Excerpt = read_record(session, row, "excerpt", excerpt).item
        interview = find_record(session, row, "interview", found.source)
        propositions = list_propositions(session, row)
    year = int(interview.date[:4]) if interview is not None and (interview.date or "")[:4].isdigit() else None
    return found, suggest(found, propositions=propositions, thesaurus=book, context_year=year)


def add_claim(
    location: str, claim: Claim, *, actor: Actor, case: str | None = None, secrets: Secrets | None = None
) -> Claim:
    """Code an excerpt against a proposition: the analyst's accepted (possibly edited) suggestion.

    The claim is checked against its excerpt, its proposition and the claims
    already coding that excerpt (not the whole case), and its audit entry is
    signed with the user's own key, or (on a store without accounts) with the
    case key that ``secrets`` unlocks. Returns the claim as written.
    """
    written: Claim = records.write(location, "claim", claim, actor=actor, case=case, secrets=secrets, version=None,
                                   mode="create")[1]  # fmt: skip
    return written
