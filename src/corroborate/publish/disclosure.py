"""Disclosure checks that gate every publication: k-anonymity, leaks of restricted values, consent.

``run_disclosure_checks`` runs the three on exactly what would be published
and returns a ``DisclosureReport``; publication is blocked unless
``report.ok``. There is no override. The checks only read the case; a report,
its problems and their messages name witnesses by pseudonym and never
contain a restricted value.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from corroborate.domain import Case, RestrictedIdentity
from corroborate.errors import UserError

from .kanonymity import Change, Generalisation, KAnonymityProblem, check_k_anonymity, suggest_policy
from .leaks import Leak, LeakScanner, scan_for_leaks
from .policy import DisclosurePolicy, published_descriptor, published_interview_date, render_descriptor
from .render import WordingProblem

__all__ = [
    "Change",
    "ConsentProblem",
    "DisclosurePolicy",
    "DisclosureReport",
    "Generalisation",
    "KAnonymityProblem",
    "Leak",
    "LeakScanner",
    "check_consent",
    "check_k_anonymity",
    "published_descriptor",
    "published_interview_date",
    "render_descriptor",
    "run_disclosure_checks",
    "scan_for_leaks",
    "suggest_policy",
]

_CONSENT_WORDS = {"quote": "quote", "paraphrase": "paraphrase only", "background": "background only"}


@dataclass(frozen=True)
class ConsentProblem:
    """A citation the witness did not consent to."""

    excerpt: str | None
    witness: str
    interview: str
    consent: str
    quoted: bool

    def __str__(self) -> str:
        consent = _CONSENT_WORDS.get(self.consent, self.consent)
        if self.excerpt is None:
            return f"{self.witness} (interview {self.interview}) is cited, but consented to {consent}: never cite them"
        how = "quoted directly" if self.quoted else "cited"
        rule = "never cite it" if self.consent == "background" else "paraphrase it instead"
        return (
            f"excerpt {self.excerpt} of {self.witness} (interview {self.interview}) is {how}, "
            f"but the witness consented to {consent}: {rule}"
        )


def check_consent(
    case: Case, quoted: Iterable[tuple[str, bool]], *, cited: Iterable[tuple[str, str | None]] = ()
) -> list[ConsentProblem]:
    """Excerpts used against their interview's consent: background → never cited, paraphrase → never quoted.

    ``quoted`` holds (excerpt id, rendered as a direct quote?) for every
    excerpt the publication uses; ``cited`` optionally the (witness,
    interview) pairs it cites, so a background-only interview cited without
    an excerpt is caught too. An excerpt id that is not in the case is a
    UserError.
    """
    excerpts = {e.id: e for e in case.excerpts}
    interviews = {i.id: i for i in case.interviews}
    problems: list[ConsentProblem] = []
    seen: set[tuple[str, bool]] = set()
    for excerpt_id, as_quote in quoted:
        if (excerpt_id, as_quote) in seen:
            continue
        seen.add((excerpt_id, as_quote))
        if excerpt_id not in excerpts:
            raise UserError(f"no excerpt {excerpt_id!r} in the case")
        interview = interviews.get(excerpts[excerpt_id].source)
        if interview is None:
            continue  # a document, not a witness
        if interview.consent == "background" or (as_quote and interview.consent == "paraphrase"):
            problems.append(ConsentProblem(excerpt_id, interview.witness, interview.id, interview.consent, as_quote))
    flagged = {p.interview for p in problems}
    by_witness: dict[str, list[str]] = {}
    for interview in case.interviews:
        by_witness.setdefault(interview.witness, []).append(interview.id)
    for witness_id, interview_id in dict.fromkeys(cited):
        # Without an interview id, the witness counts as background-only when every interview is.
        ids = [interview_id] if interview_id is not None else by_witness.get(witness_id, [])
        if ids and all(i in interviews and interviews[i].consent == "background" for i in ids):
            for i in ids:
                if i not in flagged:
                    flagged.add(i)
                    problems.append(ConsentProblem(None, witness_id, i, "background", False))
    return problems


@dataclass(frozen=True)
class DisclosureReport:
    """The outcome of the disclosure checks; publication proceeds only when ``ok``."""

    k_anonymity: tuple[KAnonymityProblem, ...]
    leaks: tuple[Leak, ...]
    consent: tuple[ConsentProblem, ...]
    required_k: int
    cited_witnesses: int
    scanned_witnesses: int
    policy_suggestion: Generalisation | None = None
    wording: tuple[WordingProblem, ...] = ()
    blind: bool = False  # leaks say only which block holds a restricted value

    @property
    def ok(self) -> bool:
        """True when no check found a problem."""
        return not (self.k_anonymity or self.leaks or self.consent or self.wording)

    @property
    def places(self) -> list[str]:
        """The blocks (or pages) holding a restricted value, each once, in order."""
        return list(dict.fromkeys(leak.where or "the text" for leak in self.leaks))

    def blinded(self) -> DisclosureReport:
        """The report for a user who may not see identities: which blocks hold a restricted value, nothing more.

        No witness, no field, no position: one leak per block, so a check tells
        at most one bit per block (and each is audited).
        """
        leaks = tuple(Leak("", "", "restricted value", 0, 0, where=place) for place in self.places)
        return dataclasses.replace(self, leaks=leaks, blind=True)

    def summary(self) -> list[str]:
        """One line per problem (none names a restricted value), then a verdict."""
        lines = [f"k-anonymity: {p}" for p in self.k_anonymity]
        if self.k_anonymity and self.policy_suggestion is not None and self.policy_suggestion.changes:
            lines.append(f"k-anonymity: one policy that fixes every cited witness: {self.policy_suggestion}")
        if self.blind:
            lines += [f"leak: a restricted value is in {place}" for place in self.places]
        else:
            lines += [f"leak: {leak}" for leak in self.leaks]
        lines += [f"consent: {p}" for p in self.consent]
        lines += [f"wording: {p}" for p in self.wording]
        checked = (
            f"{self.cited_witnesses} cited witness(es) checked for k >= {self.required_k}; "
            f"text scanned against the restricted identities of {self.scanned_witnesses} witness(es)"
        )
        if self.ok:
            return [f"disclosure checks passed: {checked}"]
        counts = (f"{len(self.k_anonymity)} k-anonymity, {len(self.leaks)} leak, {len(self.consent)} consent, "
                  f"{len(self.wording)} wording problem(s)")  # fmt: skip
        return [*lines, f"publication blocked: {counts}; {checked}"]


def _everywhere(label: str) -> Callable[[int], str]:
    return lambda _offset: label


def run_disclosure_checks(
    case: Case,
    *,
    cited: Iterable[tuple[str, str | None]],
    quoted: Iterable[tuple[str, bool]],
    policy: DisclosurePolicy,
    text: str = "",
    where: Callable[[int], str] | None = None,
    parts: Sequence[tuple[str, str]] = (),
    restricted: Mapping[str, RestrictedIdentity] | None = None,
    scanner: LeakScanner | None = None,
    wording: Sequence[WordingProblem] = (),
) -> DisclosureReport:
    """All disclosure checks on what would be published.

    The leak scan covers ``text`` (with ``where(offset)`` naming places in
    it) and each of ``parts``, (where, text) pairs such as the parts of the
    finished HTML page and PDF (``artefacts``). It scans against
    ``restricted``, by default the identities held in ``case`` (pass the
    decrypted identities when the case came from a store without them), or
    with ``scanner`` when one is given (e.g. over a keyed form table). The
    report counts how many witnesses' identities were scanned, so a locked
    case (nothing to scan) is visible rather than silently passing.
    """
    cited = list(dict.fromkeys(cited))
    if scanner is None:
        if restricted is None:
            restricted = {w.id: w.restricted for w in case.witnesses if w.restricted is not None}
        scanner = LeakScanner(restricted)
    leaks = scanner.scan(text, where=where) if text else []
    for label, part in parts:
        leaks += scanner.scan(part, where=_everywhere(label))
    k_problems = check_k_anonymity(case, cited, policy)
    suggestion = suggest_policy(case, cited, policy) if k_problems else None
    return DisclosureReport(
        k_anonymity=tuple(k_problems),
        leaks=tuple(leaks),
        consent=tuple(check_consent(case, quoted, cited=cited)),
        required_k=policy.k,
        cited_witnesses=len({w for w, _ in cited}),
        scanned_witnesses=scanner.table.witnesses,
        policy_suggestion=suggestion,
        wording=tuple(wording),
    )
