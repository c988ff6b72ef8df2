"""Turn a parsed report into a case, or add it to an existing case, with ids that never collide.

A new case gets W-001, I-001, D-001, X-001, ... in the report's order. Added
to an existing case, every new id continues after the highest number the case
already uses with that prefix (W-013 after W-012), and a document the case
already holds (same address, or same title and date) is reused rather than
duplicated. Witnesses are never merged across reports: two reports' "woman
from Musan, 33" may or may not be one person, and only an investigator can
say. An interview the report does not date is dated with the interview
period the text states, else "some time before this year" (``../2026``),
which is certain and never a guessed day; an unknown country is ``ZZ``. The
parser's warnings name both.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from corroborate.domain import (
    Case,
    CaseInfo,
    Document,
    Excerpt,
    Interview,
    PublicDescriptor,
    RestrictedIdentity,
    Witness,
    case_problems,
    country_code,
)
from corroborate.errors import CasefileInvalid, Problem

from .model import DocumentSource, ExcerptPassage, InterviewRecord, ParsedReport, WitnessRecord

__all__ = ["ReportContent", "merge_report", "report_case_id", "report_content", "report_to_case"]

UNKNOWN_COUNTRY = "ZZ"
_MAX_ID = 64


@dataclass(frozen=True)
class ReportContent:
    """What a report adds to a case, with the ids it was given."""

    witnesses: list[Witness]
    interviews: list[Interview]
    documents: list[Document]
    excerpts: list[Excerpt]
    # What the report holds that the case already had, by section: matched, not added again.
    matched: dict[str, int] = field(default_factory=dict)


class _Ids:
    """Fresh ids with one prefix, after the highest number already taken, never one in use."""

    def __init__(self, prefix: str, taken: Iterable[str]) -> None:
        self.prefix = prefix
        self.taken = set(taken)
        pattern = re.compile(rf"{re.escape(prefix)}(\d+)")
        self.next = 1 + max((int(m.group(1)) for t in self.taken if (m := pattern.fullmatch(t))), default=0)

    def new(self) -> str:
        """The next free id."""
        while (candidate := f"{self.prefix}{self.next:03d}") in self.taken:
            self.next += 1
        self.taken.add(candidate)
        self.next += 1
        return candidate


def report_case_id(title: str | None) -> str:
    """A case id made from a report title ("North Korea: Harsher ..." → "north-korea-harsher-...")."""
    slug = re.sub(r"[^a-z0-9]+", "-", (title or "").lower()).strip("-")[:_MAX_ID].rstrip("-")
    return slug or "report"


def _descriptor(record: WitnessRecord) -> PublicDescriptor:
    role = record.role
    if record.origin is None and record.origin_text:
        role = f"{role}, from {record.origin_text}" if role else f"from {record.origin_text}"
    return PublicDescriptor(
        gender=record.gender,
        age=record.age,
        age_band=record.age_band if record.age is None else None,
        origin=record.origin,
        nationality=record.nationality or "KP",
        role=role,
    )


def _witness(record: WitnessRecord, new_id: str) -> Witness:
    # A name the report prints ("Kim (pseudonym)") is public, but it names a
    # person: it is kept with the identity, encrypted, never in listings.
    restricted = RestrictedIdentity(aliases=[record.label]) if record.label else None
    return Witness(id=new_id, descriptor=_descriptor(record), restricted=restricted)


def _country(value: str | None) -> str:
    if value is None:
        return UNKNOWN_COUNTRY
    try:
        return country_code(value)
    except ValueError:
        return UNKNOWN_COUNTRY


def _undated(report: ParsedReport) -> str:
    """The date of an interview the report does not date: the stated interview period, else before this year."""
    stated = next((c.stated for c in report.checks if c.name == "interview_dates" and c.stated), None)
    return stated or f"../{date.today().year}"


def _interview(record: InterviewRecord, new_id: str, witness: str, quoted: bool, undated: str) -> Interview:
    return Interview(
        id=new_id,
        witness=witness,
        date=record.date or undated,
        country=_country(record.country),
        town=record.town,
        interviewer=record.organisation,
        consent="quote" if quoted else "paraphrase",
    )


def _document(source: DocumentSource, new_id: str) -> Document:
    return Document(
        id=new_id,
        kind=source.kind,
        title=source.title or (f"document cited in note {source.notes[0]}" if source.notes else "untitled document"),
        authors=source.authors,
        outlet=source.outlet,
        publisher=source.publisher,
        date=source.date,
        url=source.url,
        accessed=source.accessed,
        volume=source.volume,
        symbol=source.symbol,
    )


def _same_document(a: Document, b: Document) -> bool:
    if a.url and b.url and a.url.casefold().rstrip("/") == b.url.casefold().rstrip("/"):
        return True
    key = re.compile(r"[^0-9a-z]+")
    return key.sub("", a.title.casefold()) == key.sub("", b.title.casefold()) and a.date == b.date


def _excerpt(passage: ExcerptPassage, new_id: str, source: str) -> Excerpt:
    return Excerpt(
        id=new_id,
        source=source,
        mode=passage.mode or "hearsay",
        text=passage.text,
        quote=passage.quote,
        pages=passage.pages,
        note=passage.note,
    )


def _descriptor_key(d: PublicDescriptor) -> tuple[object, ...]:
    # The public facts that tell witnesses apart; the spelling of the origin, and an article or capital
    # at the start of a role ("a resident of ..."), are not among them.
    role = re.sub(r"^(?:a|an|the)\s+", "", " ".join(d.role.split()).casefold()) if d.role else None
    return d.gender, d.age, d.age_band, d.origin, d.nationality, role


def report_content(report: ParsedReport, existing: Case | None = None) -> ReportContent:
    """The witnesses, interviews, documents and excerpts a report adds, with fresh ids.

    What the case already holds is matched, not added again: a witness with the
    same public descriptor interviewed on the same date in the same country
    (the witness and that interview), a document with the same URL or title and
    date, an excerpt of the same source with the same text.
    """
    base = existing or Case(case=CaseInfo(id="report", title="report"))
    source_ids = [i.id for i in base.interviews] + [d.id for d in base.documents]
    witness_ids = _Ids("W-", [w.id for w in base.witnesses])
    interview_ids, document_ids = _Ids("I-", source_ids), _Ids("D-", source_ids)
    excerpt_ids = _Ids("X-", [e.id for e in base.excerpts])
    undated = _undated(report)
    known_witnesses = {w.id: w for w in base.witnesses}
    seen = {
        (_descriptor_key(known_witnesses[i.witness].descriptor), i.date, i.country): (i.witness, i.id)
        for i in base.interviews
        if i.witness in known_witnesses
    }
    records = {w.id: w for w in report.witnesses}
    renamed: dict[str, str] = {}
    interview_map: dict[str, str] = {}
    for record in report.interviews:
        witness = records.get(record.witness)
        key = (_descriptor_key(_descriptor(witness)) if witness else None, record.date or undated,
               _country(record.country))  # fmt: skip
        if key in seen:
            renamed[record.witness], interview_map[record.id] = seen[key]
    known_ids = set(renamed)
    for w in report.witnesses:
        renamed.setdefault(w.id, witness_ids.new())
    witnesses = [_witness(w, renamed[w.id]) for w in report.witnesses if w.id not in known_ids]
    quoted = {p.interview for p in report.excerpts if p.quote and p.interview}
    matched_interviews = set(interview_map)
    for i in report.interviews:
        interview_map.setdefault(i.id, interview_ids.new())
    interviews = [
        _interview(i, interview_map[i.id], renamed[i.witness], i.id in quoted, undated)
        for i in report.interviews
        if i.id not in matched_interviews
    ]
    documents: list[Document] = []
    document_map: dict[str, str] = {}
    known_documents = 0
    for source in report.documents:
        candidate = _document(source, "D-pending")
        known = next((d for d in [*base.documents, *documents] if _same_document(d, candidate)), None)
        if known is not None:
            document_map[source.id] = known.id
            known_documents += known in base.documents
            continue
        document_map[source.id] = document_ids.new()
        documents.append(candidate.model_copy(update={"id": document_map[source.id]}))
    texts = {(e.source, _text_key(e.text)) for e in base.excerpts}
    excerpts: list[Excerpt] = []
    known_excerpts = 0
    for p in report.excerpts:
        if p.source is None or p.mode is None or not (p.interview in interview_map or p.source in document_map):
            continue
        source_id = interview_map[p.interview] if p.interview else document_map[p.source]
        if (source_id, _text_key(p.text)) in texts:
            known_excerpts += 1
            continue
        texts.add((source_id, _text_key(p.text)))
        excerpts.append(_excerpt(p, excerpt_ids.new(), source_id))
    matched = {"witnesses": len(known_ids), "interviews": len(matched_interviews), "documents": known_documents,
               "excerpts": known_excerpts}  # fmt: skip
    return ReportContent(witnesses, interviews, documents, excerpts, matched)


def _text_key(text: str) -> str:
    return " ".join(text.split()).casefold()


def _checked(case: Case, filename: str) -> Case:
    problems = case_problems(case)
    if problems:
        raise CasefileInvalid([Problem(filename, None, ".".join(map(str, p.path)), p.message) for p in problems])
    return case


def report_to_case(
    report: ParsedReport, *, case_id: str | None = None, title: str | None = None, organisation: str | None = None
) -> Case:
    """A new case holding everything the report cites."""
    content = report_content(report)
    info = CaseInfo(
        id=case_id or report_case_id(title or report.title),
        title=title or report.title or "Imported report",
        organisation=organisation or next((w.organisation for w in report.witnesses if w.organisation), None),
        description="Imported from a published report by `corroborate import-report`.",
    )
    case = Case(
        case=info,
        witnesses=content.witnesses,
        interviews=content.interviews,
        documents=content.documents,
        excerpts=content.excerpts,
    )
    return _checked(case, "<report>")


def merge_report(case: Case, report: ParsedReport, content: ReportContent | None = None) -> Case:
    """The case with the report's witnesses, interviews, documents and excerpts added under fresh ids
    (``content``: what ``report_content`` found the report adds to this case, if already worked out)."""
    content = content or report_content(report, case)
    merged = case.model_copy(
        update={
            "witnesses": [*case.witnesses, *content.witnesses],
            "interviews": [*case.interviews, *content.interviews],
            "documents": [*case.documents, *content.documents],
            "excerpts": [*case.excerpts, *content.excerpts],
        }
    )
    return _checked(merged, "<report>")
