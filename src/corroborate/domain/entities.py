"""The entities of a case: witnesses, interviews, documents, excerpts, claims.

These are plain pydantic models with field-level validation. Whether ids are
unique and references resolve is a property of the whole case, checked in
``integrity.py``. Restricted witness fields live only in ``RestrictedIdentity``.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

from corroborate.errors import InvalidFuzzyDate

from .countries import country_code
from .descriptor import PublicDescriptor
from .fuzzydate import normalise_fuzzy_date

__all__ = [
    "AddresseeKind",
    "CASEFILE_VERSION",
    "AttributeSpec",
    "AttributeType",
    "AttributeValue",
    "Case",
    "CaseInfo",
    "Claim",
    "Consent",
    "Document",
    "DocumentKind",
    "Excerpt",
    "ExcerptMode",
    "FuzzyDate",
    "Interview",
    "Proposition",
    "Recommendation",
    "RecommendationStatus",
    "StatusChange",
    "RestrictedIdentity",
    "PropositionKind",
    "Stance",
    "Witness",
]

CASEFILE_VERSION = 1


def _edtf(value: object) -> str:
    if isinstance(value, (int, str)):
        try:
            return normalise_fuzzy_date(value)
        except InvalidFuzzyDate as exc:
            raise ValueError(str(exc)) from exc
    # YAML reads 2006-11-28 as a date object.
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    raise ValueError("a date must be text (EDTF, e.g. 2006-11-28 or 2004-09/2004-12)")


FuzzyDate = Annotated[str, BeforeValidator(_edtf)]
"""An EDTF string; also accepts the phrases ``normalise_fuzzy_date`` knows."""


def _slug(pattern: str, what: str) -> AfterValidator:
    compiled = re.compile(pattern)

    def check(value: str) -> str:
        if not compiled.fullmatch(value):
            raise ValueError(f"{what} {value!r} must match {pattern}")
        return value

    return AfterValidator(check)


def _shown(pattern: str) -> Any:
    """The pattern in the JSON schema too (casefile schema, OpenAPI), anchored as JSON Schema needs."""
    return Field(json_schema_extra={"pattern": f"^{pattern}$"})


_ID, _PSEUDONYM, _KEY = r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}", r"W-\d{3,6}", r"[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+"
EntityId = Annotated[str, _slug(_ID, "id"), _shown(_ID)]
Pseudonym = Annotated[str, _slug(_PSEUDONYM, "pseudonym"), _shown(_PSEUDONYM)]
PropositionKey = Annotated[str, _slug(_KEY, "proposition key"), _shown(_KEY)]

ExcerptMode = Literal["witnessed", "experienced", "heard_official", "hearsay", "unstated", "document"]
Consent = Literal["quote", "paraphrase", "background"]
Stance = Literal["supports", "contradicts"]
# event: one occurrence that every claim describes; pattern: repeated conduct,
# each claim describing one occurrence (named, or its own when unnamed).
PropositionKind = Literal["event", "pattern"]
DocumentKind = Literal["news", "ngo_report", "book", "academic", "official_statement", "treaty", "un_document", "other"]
AttributeType = Literal["range", "number", "date", "category", "place", "text"]
AttributeValue = str | int | float

_STRICT = ConfigDict(extra="forbid", str_strip_whitespace=True)


class CaseInfo(BaseModel):
    """What the case is and who runs it."""

    model_config = _STRICT

    id: EntityId = Field(description="short stable id of the case, e.g. border-crossers-2007")
    title: str = Field(min_length=1)
    organisation: str | None = Field(default=None, description="organisation that conducts the investigation")
    description: str | None = None
    language: str = Field(default="en", description="language of the case's prose (BCP 47)")


class RestrictedIdentity(BaseModel):
    """Identifying details of a witness. Never published, logged or shown in errors."""

    model_config = _STRICT

    name: str | None = Field(default=None, description="full name in Latin letters")
    name_hangul: str | None = Field(default=None, description="name in Hangul (or another native script)")
    aliases: list[str] = Field(default_factory=list, description="other names the witness is known by")
    contacts: list[str] = Field(default_factory=list, description="phone numbers, messenger handles, e-mail")
    birth_date: FuzzyDate | None = Field(default=None, description="exact (or EDTF) birth date")
    current_location: str | None = Field(default=None, description="where the witness lives now")
    notes: str | None = Field(default=None, description="free notes of the interviewer")
    invented: bool = Field(default=False, description="true when these details are made up for an example")

    def values(self) -> list[str]:
        """Every restricted value as text, for leak scans."""
        found = [self.name, self.name_hangul, self.birth_date, self.current_location, self.notes]
        return [v for v in [*found, *self.aliases, *self.contacts] if v]


class Witness(BaseModel):
    """A person interviewed, known outside the investigating team only by a pseudonym."""

    model_config = _STRICT

    id: Pseudonym = Field(description="stable pseudonym, e.g. W-007")
    descriptor: PublicDescriptor = Field(default_factory=PublicDescriptor)
    restricted: RestrictedIdentity | None = Field(
        default=None, description="identifying details; encrypted at rest, never published"
    )
    independence_group: EntityId | None = Field(
        default=None,
        description="label shared by witnesses whose accounts are not independent "
        "(interviewed together, related, sharing a broker)",
    )
    independence_note: str | None = Field(default=None, description="why the group was formed")


class Interview(BaseModel):
    """One interview of one witness."""

    model_config = _STRICT

    id: EntityId
    witness: Pseudonym
    date: FuzzyDate
    country: str = Field(description="country of the interview, ISO alpha-2 code or name")
    town: str | None = None
    interviewer: str | None = None
    language: str | None = Field(default=None, description="language of the interview (BCP 47), e.g. ko")
    consent: Consent = Field(
        default="paraphrase", description="quote, paraphrase (no direct quotes) or background (never cited)"
    )

    @field_validator("country")
    @classmethod
    def _country(cls, value: str) -> str:
        return country_code(value)


class Document(BaseModel):
    """A source that is not an interview: news report, NGO report, treaty, UN document."""

    model_config = _STRICT

    id: EntityId
    kind: DocumentKind
    title: str = Field(min_length=1)
    authors: list[str] = Field(default_factory=list)
    outlet: str | None = Field(default=None, description="newspaper, agency or series it appeared in")
    publisher: str | None = None
    date: FuzzyDate | None = None
    url: str | None = None
    accessed: FuzzyDate | None = Field(default=None, description="date the URL was read")
    volume: str | None = Field(default=None, description="volume/number, e.g. 'vol. 14, no. 8(C)'")
    symbol: str | None = Field(default=None, description="UN document symbol or treaty series reference")
    in_force: FuzzyDate | None = Field(default=None, description="for a treaty: the date it entered into force")
    underlying_source: EntityId | None = Field(
        default=None,
        description="label shared by documents that repeat one underlying source "
        "(e.g. the same outlet's anonymous informant)",
    )


class Anchor(BaseModel):
    """Where an excerpt lies in an evidence file of its source (a transcript, a scanned statement's text).

    ``start`` and ``end`` count characters (Unicode code points) of the file's text as the workbench shows
    it: the whole text of a plain-text file, or the text of page ``page`` of a PDF.
    """

    model_config = _STRICT

    attachment: EntityId = Field(description="id of the attachment of the excerpt's interview or document")
    page: int | None = Field(default=None, ge=1, description="PDF page (from 1); none for a plain-text file")
    start: int = Field(ge=0, description="first character of the passage (from 0)")
    end: int = Field(ge=1, description="character after the passage's last")

    @model_validator(mode="after")
    def _ordered(self) -> Anchor:
        if self.end <= self.start:
            raise ValueError("an anchor ends after it starts (end > start)")
        return self


class Excerpt(BaseModel):
    """A passage from an interview or a document."""

    model_config = _STRICT

    id: EntityId
    source: EntityId = Field(description="id of the interview or document it comes from")
    mode: ExcerptMode
    text: str = Field(min_length=1)
    quote: bool = Field(default=False, description="true when the text is the source's own words")
    pages: str | None = None
    article: str | None = Field(
        default=None,
        max_length=64,
        description="for a treaty or UN document: the article or paragraph the passage rests on, e.g. 12(2)",
    )
    note: int | None = Field(default=None, ge=1, description="endnote number in a source report, if any")
    anchor: Anchor | None = Field(
        default=None, description="where the passage lies in an evidence file of its source, when it was selected there"
    )


class AttributeSpec(BaseModel):
    """The type of one attribute that claims on a proposition may carry."""

    model_config = _STRICT

    type: AttributeType
    unit: str | None = None
    values: list[str] | None = Field(default=None, description="allowed values of a category")
    description: str | None = None
    decisive: bool = Field(
        default=False,
        description="true when sources disagreeing on this attribute contest the proposition itself",
    )
    of_source: bool = Field(
        default=False,
        description="true when the value describes the source rather than what happened (how or where it "
        "learned of it): values are listed side by side, never compared",
    )


class Proposition(BaseModel):
    """A normalised statement that claims support or contradict."""

    model_config = _STRICT

    key: PropositionKey
    statement: str = Field(min_length=1)
    kind: PropositionKind = Field(
        default="event",
        description="event: one occurrence that every claim describes, so their attributes are compared; "
        "pattern: repeated conduct (announcements, incidents), whose claims are compared only with claims "
        "naming the same occurrence",
    )
    attributes: dict[str, AttributeSpec] = Field(default_factory=dict)


class Claim(BaseModel):
    """An excerpt coded against a proposition."""

    model_config = _STRICT

    id: EntityId
    excerpt: EntityId
    proposition: PropositionKey
    stance: Stance = "supports"
    attributes: dict[str, AttributeValue] = Field(default_factory=dict)
    mode: ExcerptMode | None = Field(
        default=None,
        description="how the source knows what this claim says, where it differs from its excerpt's mode "
        "(e.g. an announcement heard, but the earlier practice it mentions known some other way)",
    )
    occurrence: EntityId | None = Field(
        default=None,
        description="for a pattern proposition, the occurrence this claim describes (a label the coder chooses, "
        "e.g. announcement-2005-02); claims naming the same occurrence are compared, others are not",
    )
    note: str | None = None

    @field_validator("attributes", mode="before")
    @classmethod
    def _dates_as_text(cls, value: object) -> object:
        # YAML reads an unquoted 2004-11-27 as a date; keep it as EDTF text.
        if isinstance(value, dict):
            return {k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in value.items()}
        return value


# What became of a recommendation, as its follow-up records it.
RecommendationStatus = Literal[
    "issued", "acknowledged", "partially_implemented", "implemented", "rejected", "no_response"
]
# What kind of actor a recommendation is addressed to.
AddresseeKind = Literal["state", "agency", "un", "donor", "other"]


class StatusChange(BaseModel):
    """One dated step of a recommendation's follow-up, with the documents that show it."""

    model_config = _STRICT

    date: FuzzyDate
    status: RecommendationStatus
    sources: list[EntityId] = Field(
        default_factory=list, description="ids of the case's documents that show this status"
    )
    note: str | None = None


class Recommendation(BaseModel):
    """A recommendation addressed to a named actor, with the dated history of what became of it."""

    model_config = _STRICT

    id: EntityId
    addressee: str = Field(min_length=1, description="who it is addressed to, e.g. DPRK, PRC, donors")
    addressee_kind: AddresseeKind | None = Field(
        default=None, description="state, agency, un (a UN body), donor or other"
    )
    text: str = Field(min_length=1)
    follow_up: list[StatusChange] = Field(
        default_factory=list, description="what became of it, oldest first: issued, acknowledged, ... rejected"
    )

    @property
    def current(self) -> StatusChange | None:
        """The latest status, or None when nothing is recorded."""
        return self.follow_up[-1] if self.follow_up else None


class Case(BaseModel):
    """A whole investigation: the content of one casefile."""

    model_config = _STRICT

    version: Literal[1] = Field(default=1, description="casefile format version")
    case: CaseInfo
    witnesses: list[Witness] = Field(default_factory=list)
    interviews: list[Interview] = Field(default_factory=list)
    documents: list[Document] = Field(default_factory=list)
    excerpts: list[Excerpt] = Field(default_factory=list)
    propositions: list[Proposition] = Field(default_factory=list)
    claims: list[Claim] = Field(default_factory=list)
    recommendations: list[Recommendation] = Field(default_factory=list)
