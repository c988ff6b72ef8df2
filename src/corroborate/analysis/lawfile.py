"""The law book's file format: instruments, articles, states' treaty records and proposition-to-article mappings.

``data/law.yaml`` and ``data/violations.yaml`` (and a case's files of the same
shape) are read into these models; ``lawbook`` cross-checks and queries them.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from datetime import date, timedelta
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from corroborate.domain import date_interval, is_edtf

__all__ = [
    "Article",
    "Binding",
    "BindingStatus",
    "DateFact",
    "DateStatus",
    "Instrument",
    "LawEvent",
    "LawFile",
    "StateInfo",
    "StateRecord",
    "ViolationMapping",
    "ViolationsFile",
    "str_keys",
]

DateStatus = Literal["verified", "derived", "unverified", "n/a"]
Binding = Literal["treaty", "declaration"]
_STRICT = ConfigDict(extra="forbid", frozen=True)
_PATTERN = re.compile(r"[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*(\.\*)?")


def str_keys(value: Any) -> Any:
    """A mapping with its keys as text."""
    # YAML reads an unquoted article number (`6:`) as an int.
    return {str(k): v for k, v in value.items()} if isinstance(value, dict) else value


class DateFact(BaseModel):
    """A date with how well it is supported; ``known_within`` is what is certain about an unverified one."""

    model_config = _STRICT

    date: dt.date | None = None
    status: DateStatus
    known_within: str | None = Field(default=None, description="EDTF interval certain to contain the date")
    known_within_status: DateStatus | None = None
    note: str | None = None

    @field_validator("known_within")
    @classmethod
    def _edtf(cls, value: str | None) -> str | None:
        if value is not None and not is_edtf(value):
            raise ValueError(f"known_within {value!r} is not EDTF")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> DateFact:
        if self.status == "n/a" and self.date is not None:
            raise ValueError("a date with status n/a must have no date")
        if self.status in ("verified", "derived") and self.date is None:
            raise ValueError(f"a {self.status} date needs a date")
        return self


class EntryRule(BaseModel):
    """When a treaty enters into force for a state that deposits after its general entry into force."""

    model_config = _STRICT

    article: str
    months_after_deposit: int | None = Field(default=None, ge=0)
    days_after_deposit: int | None = Field(default=None, ge=0)
    support: str
    summary: str

    @model_validator(mode="after")
    def _one_rule(self) -> EntryRule:
        if (self.months_after_deposit is None) == (self.days_after_deposit is None):
            raise ValueError("give exactly one of months_after_deposit and days_after_deposit")
        return self

    def entry_into_force(self, deposit: date, general: date | None) -> date:
        """The day the treaty binds a state that deposited on ``deposit``."""
        if self.days_after_deposit is not None:
            day = deposit + timedelta(days=self.days_after_deposit)
        else:
            months = deposit.month - 1 + (self.months_after_deposit or 0)
            year, month = deposit.year + months // 12, months % 12 + 1
            day = date(year, month, min(deposit.day, calendar.monthrange(year, month)[1]))
        return max(day, general) if general is not None else day


class LawEvent(BaseModel):
    """Something that happened to a state's obligation: a withdrawal notice, a treaty body's ruling."""

    model_config = _STRICT

    id: str
    kind: str
    title: str
    date: DateFact
    ends_binding: bool = Field(default=False, description="true when the event released the state from the treaty")
    effect: str | None = Field(default=None, description="one clause for explanations")
    summary: str | None = None
    source: tuple[str, ...] = ()
    notes: str = ""


class StateRecord(BaseModel):
    """One state's relation to one treaty."""

    model_config = _STRICT

    party: bool
    party_status: DateStatus | None = Field(default=None, description="how well a non-party finding is supported")
    act: Literal["ratification", "accession"] | None = None
    signature: DateFact | None = None
    deposit: DateFact | None = None
    entry_into_force: DateFact | None = None
    source: tuple[str, ...] = ()
    notes: str = ""
    events: tuple[LawEvent, ...] = ()

    @model_validator(mode="after")
    def _consistent(self) -> StateRecord:
        eif = self.entry_into_force
        if self.party and (eif is None or eif.date is None):
            raise ValueError("a party needs an entry_into_force date (mark it unverified if need be)")
        if not self.party and eif is not None and eif.date is not None:
            raise ValueError("a state that is not a party has no entry_into_force date")
        if not self.party and self.party_status is None:
            raise ValueError("say how well the non-party status is supported (party_status)")
        return self


class Article(BaseModel):
    """An article: a summary in our words, and the text where a source quotes it."""

    model_config = _STRICT

    title: str
    summary: str
    quote: str | None = None
    quote_source: str | None = None
    notes: str | None = None


class Instrument(BaseModel):
    """A treaty or declaration, its articles, and each state's relation to it."""

    model_config = _STRICT

    title: str
    short: str
    binding: Binding
    adopted: DateFact
    in_force: DateFact | None = None
    entry_into_force_rule: EntryRule | None = None
    source: tuple[str, ...] = ()
    summary: str | None = None
    notes: str | None = None
    articles: dict[str, Article] = Field(default_factory=dict)
    states: dict[str, StateRecord] = Field(default_factory=dict)

    @field_validator("articles", "states", mode="before")
    @classmethod
    def _keys(cls, value: Any) -> Any:
        return str_keys(value)

    @model_validator(mode="after")
    def _declaration_binds_nobody(self) -> Instrument:
        if self.binding == "declaration" and self.states:
            raise ValueError("a declaration binds no state by ratification: leave `states` empty")
        return self


class StateInfo(BaseModel):
    """A duty-bearer's names."""

    model_config = _STRICT

    name: str
    short: str


class ViolationMapping(BaseModel):
    """An article a proposition engages, and whose duty it is."""

    model_config = _STRICT

    instrument: str
    article: str
    duty_bearer: str
    why: str

    @field_validator("article", mode="before")
    @classmethod
    def _article(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int) else value


class LawFile(BaseModel):
    model_config = _STRICT

    states: dict[str, StateInfo]
    instruments: dict[str, Instrument]


class ViolationsFile(BaseModel):
    model_config = _STRICT

    violations: dict[str, tuple[ViolationMapping, ...]]

    @field_validator("violations")
    @classmethod
    def _patterns(cls, value: dict[str, tuple[ViolationMapping, ...]]) -> dict[str, tuple[ViolationMapping, ...]]:
        bad = [k for k in value if not _PATTERN.fullmatch(k) or ("." not in k)]
        if bad:
            raise ValueError(f"not a proposition key or `prefix.*` glob: {', '.join(bad)}")
        return value


class BindingStatus(BaseModel):
    """Whether, and since when, a state is bound by an instrument, with the source and how sure we are."""

    model_config = ConfigDict(frozen=True)

    instrument: str
    state: str
    binding: Binding
    party: bool | None = Field(description="None for a declaration, which has no parties")
    since: date | None = Field(description="entry into force for the state; None when not bound by ratification")
    status: DateStatus = Field(description="support for `since`, or for the non-party finding")
    known_within: str | None = None
    known_within_status: DateStatus | None = None
    until: date | None = Field(default=None, description="the day an event released the state, if one did")
    act: str | None = None
    deposit: DateFact | None = None
    signature: DateFact | None = None
    source: tuple[str, ...] = ()
    notes: str = ""
    events: tuple[LawEvent, ...] = ()

    @property
    def verified(self) -> bool:
        """True when a cited source states the date (or the non-party finding)."""
        return self.status == "verified"

    def latest_possible_since(self) -> date | None:
        """The last day ``since`` can be, given what is certain about it."""
        if self.known_within is not None:
            return date_interval(self.known_within).end
        return self.since
