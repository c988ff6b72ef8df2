"""The column values of a case's rows from the domain's entities, and entities back from rows.

One mapping for bulk and single writes, and for every read (a whole case, one
record, the rows an assessment streams). Rows may be ORM objects or Core rows.

References (an interview's witness, an excerpt's source, a claim's excerpt and
proposition) are given as primary keys the caller resolved; ``case_pk`` and
``position`` are the caller's too.
"""

from __future__ import annotations

from typing import Any, cast

from corroborate.domain import (
    AgeBand,
    Anchor,
    AttributeSpec,
    Claim,
    Document,
    Excerpt,
    Interview,
    Proposition,
    PropositionKind,
    PublicDescriptor,
    Recommendation,
    RestrictedIdentity,
    StatusChange,
    Witness,
    date_interval,
)

__all__ = [
    "claim_from_row",
    "claim_values",
    "document_from_row",
    "excerpt_from_row",
    "interview_from_row",
    "proposition_from_row",
    "recommendation_from_row",
    "witness_from_row",
    "document_values",
    "excerpt_values",
    "interview_values",
    "proposition_values",
    "recommendation_values",
    "witness_values",
]


def witness_values(w: Witness) -> dict[str, Any]:
    d = w.descriptor
    return {"ref": w.id, "gender": d.gender, "age": d.age, "age_low": d.age_band.low if d.age_band else None,
            "age_high": d.age_band.high if d.age_band else None, "origin": d.origin,
            "origin_as_written": d.origin_as_written, "nationality": d.nationality, "role": d.role,
            "independence_group": w.independence_group, "independence_note": w.independence_note}  # fmt: skip


def interview_values(v: Interview, witness_pk: int) -> dict[str, Any]:
    span = date_interval(v.date)
    return {"ref": v.id, "witness_pk": witness_pk, "date": v.date, "country": v.country, "town": v.town,
            "interviewer": v.interviewer, "language": v.language, "consent": v.consent,
            "date_start": span.start.isoformat() if span.start else None,
            "date_end": span.end.isoformat() if span.end else None}  # fmt: skip


def document_values(d: Document) -> dict[str, Any]:
    return {"ref": d.id, **d.model_dump(mode="json", exclude={"id"})}


def excerpt_values(e: Excerpt, interview_pk: int | None, document_pk: int | None) -> dict[str, Any]:
    anchor = e.anchor.model_dump(mode="json", exclude_none=True) if e.anchor is not None else None
    return {"ref": e.id, "interview_pk": interview_pk, "document_pk": document_pk, "mode": e.mode, "text": e.text,
            "quote": e.quote, "pages": e.pages, "article": e.article, "note": e.note, "anchor": anchor}  # fmt: skip


def proposition_values(p: Proposition) -> dict[str, Any]:
    specs = {k: s.model_dump(mode="json", exclude_none=True) for k, s in p.attributes.items()}
    return {"key": p.key, "statement": p.statement, "kind": p.kind, "attributes": specs}


def claim_values(cl: Claim, excerpt_pk: int, proposition_pk: int) -> dict[str, Any]:
    return {"ref": cl.id, "excerpt_pk": excerpt_pk, "proposition_pk": proposition_pk, "stance": cl.stance,
            "attributes": cl.attributes, "mode": cl.mode, "occurrence": cl.occurrence, "note": cl.note}  # fmt: skip


def recommendation_values(r: Recommendation) -> dict[str, Any]:
    return {"ref": r.id, "addressee": r.addressee, "addressee_kind": r.addressee_kind, "text": r.text,
            "follow_up": [s.model_dump(mode="json", exclude_none=True) for s in r.follow_up]}  # fmt: skip


def _fields(row: Any, *names: str) -> dict[str, Any]:
    return {name: getattr(row, name) for name in names}


_DOCUMENT = (
    "kind", "title", "authors", "outlet", "publisher", "date", "url", "accessed", "volume", "symbol",
    "in_force", "underlying_source",
)  # fmt: skip


def witness_from_row(w: Any, restricted: RestrictedIdentity | None = None) -> Witness:
    band = AgeBand(low=w.age_low, high=w.age_high) if w.age_low is not None else None
    descriptor = PublicDescriptor.model_construct(
        age_band=band, **_fields(w, "gender", "age", "origin", "origin_as_written", "nationality", "role")
    )
    return Witness.model_construct(
        id=w.ref, descriptor=descriptor, restricted=restricted, **_fields(w, "independence_group", "independence_note")
    )


def interview_from_row(v: Any, witness: str) -> Interview:
    return Interview.model_construct(
        id=v.ref, witness=witness, **_fields(v, "date", "country", "town", "interviewer", "language", "consent")
    )


def document_from_row(d: Any) -> Document:
    return Document.model_construct(id=d.ref, **_fields(d, *_DOCUMENT))


def excerpt_from_row(e: Any, source: str) -> Excerpt:
    anchor = Anchor.model_construct(**{"page": None, **e.anchor}) if e.anchor else None
    return Excerpt.model_construct(
        id=e.ref, source=source, anchor=anchor, **_fields(e, "mode", "text", "quote", "pages", "article", "note")
    )


def proposition_from_row(p: Any) -> Proposition:
    return Proposition.model_construct(
        key=p.key,
        statement=p.statement,
        kind=cast(PropositionKind, p.kind),
        attributes={k: AttributeSpec.model_validate(s) for k, s in p.attributes.items()},
    )


def claim_from_row(cl: Any, excerpt: str, proposition: str) -> Claim:
    return Claim.model_construct(
        id=cl.ref,
        excerpt=excerpt,
        proposition=proposition,
        **_fields(cl, "stance", "attributes", "mode", "occurrence", "note"),
    )


def recommendation_from_row(r: Any) -> Recommendation:
    return Recommendation.model_construct(
        id=r.ref,
        **_fields(r, "addressee", "addressee_kind", "text"),
        follow_up=[StatusChange.model_validate(s) for s in r.follow_up or []],
    )
