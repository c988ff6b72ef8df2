"""Use cases of the analysis core: assess, explain, timeline, law, coding suggestions, adding claims.

Cases are loaded without their keys: analysis never sees a restricted field.
"""

from __future__ import annotations

from pathlib import Path

from corroborate.analysis import (
    Assessment,
    CaseAssessment,
    LawBook,
    LawFinding,
    OccurrenceSuggestion,
    PatternSpan,
    Suggestion,
    Thesaurus,
    TimelineEntry,
    assess_case,
    build_timeline,
    check_law,
    load_standard,
    pattern_spans,
    suggest,
    suggest_occurrences,
)
from corroborate.domain import Case, Claim, case_problems, normalise_case
from corroborate.errors import UserError
from corroborate.store import AuditWriter, load_case, load_proposition, open_store, proposition_keys
from corroborate.store.claims import insert_claim

from .access import Action, Actor
from .cases import actor_case
from .keyring import Secrets
from .signing import check_seen_head, remember_head, sign_claim

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

    With ``proposition``, only that one, from its own rows in the store: the rest of the case is not read.
    """
    chosen = load_standard(standard)
    if proposition is not None:
        return assess_case(load_one_proposition(location, proposition, actor=actor, case=case), chosen)
    return assess_case(load_public_case(location, actor=actor, case=case), chosen)


def load_one_proposition(location: str, proposition: str, *, actor: Actor, case: str | None = None) -> Case:
    """One proposition with its claims, excerpts and sources, and nothing else (no restricted field)."""
    with open_store(location) as store, store.transaction() as session:
        row = actor_case(session, actor, Action.analyse, case)
        try:
            return load_proposition(session, row.ref, proposition)
        except KeyError:
            keys = proposition_keys(session, row.ref)
    close = [k for k in keys if proposition in k or k in proposition][:5]
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    raise UserError(f"no proposition {proposition!r} in case {row.ref}{hint}")


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
) -> tuple[Case, list[Suggestion]]:
    """Proposed claims for one excerpt (nothing is coded until the analyst accepts one)."""
    loaded = load_public_case(location, actor=actor, case=case)
    found = next((e for e in loaded.excerpts if e.id == excerpt), None)
    if found is None:
        close = [e.id for e in loaded.excerpts if excerpt.lower() in e.id.lower()][:5]
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise UserError(f"no excerpt {excerpt!r} in case {loaded.case.id}{hint}")
    interview = next((i for i in loaded.interviews if i.id == found.source), None)
    year = int(interview.date[:4]) if interview and interview.date[:4].isdigit() else None
    book = Thesaurus.default() if thesaurus is None else Thesaurus.default().extended_with(Path(thesaurus))
    return loaded, suggest(found, propositions=loaded.propositions, thesaurus=book, context_year=year)


def _coding(claim: Claim) -> tuple[object, ...]:
    """What a claim says, apart from its id and note: two claims alike in this code an excerpt twice."""
    return claim.excerpt, claim.proposition, claim.stance, claim.attributes, claim.mode, claim.occurrence


def add_claim(
    location: str, claim: Claim, *, actor: Actor, case: str | None = None, secrets: Secrets | None = None
) -> Claim:
    """Code an excerpt against a proposition: the analyst's accepted (possibly edited) suggestion.

    The new claim's audit entry is signed with the user's own key, or (on a store
    without accounts) with the case key that ``secrets`` unlocks.
    """
    secrets = secrets or Secrets()
    with open_store(location) as store, store.transaction(write=True) as session:
        row = actor_case(session, actor, Action.code_claims, case)
        check_seen_head(session, secrets, location=location)
        audit = AuditWriter(session, actor.name)
        sign_claim(session, row, audit, actor=actor, secrets=secrets, location=location)
        loaded = load_case(session, row.ref)
        checked = loaded.model_copy(update={"claims": [claim]})
        problems = case_problems(checked, check_duplicates=False)
        if claim.id in {c.id for c in loaded.claims}:
            raise UserError(f"claim id {claim.id!r} is already used in case {row.ref}")
        if problems:
            raise UserError("; ".join(p.message for p in problems))
        normalised = normalise_case(checked).claims[0]
        same = [c.id for c in loaded.claims if _coding(c) == _coding(normalised)]
        if same:
            raise UserError(f"claim {same[0]} already codes {claim.excerpt} the same way; nothing was added")
        insert_claim(session, row, normalised, audit=audit)
    remember_head(secrets, audit, location=location)
    return normalised
