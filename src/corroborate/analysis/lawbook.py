"""The law book: instruments, articles, when each state became bound, and which propositions engage which articles.

It is data, not code: ``data/law.yaml`` and ``data/violations.yaml`` ship with
Corroborate, and a case extends them with files of the same shape. Every date
keeps its source and how well it is supported (verified, derived, unverified);
nothing here turns an unverified date into a fact. Reads the shipped files and
the files it is given, nothing else.
"""

from __future__ import annotations

import calendar
import copy
import datetime as dt
import functools
import re
from collections.abc import Mapping
from datetime import date, timedelta
from importlib import resources
from pathlib import Path
from typing import Any, Literal, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from corroborate.domain import date_interval, is_edtf
from corroborate.errors import UserError

__all__ = [
    "Article",
    "BindingStatus",
    "DateFact",
    "Instrument",
    "LawBook",
    "LawEvent",
    "StateRecord",
    "ViolationMapping",
]

DateStatus = Literal["verified", "derived", "unverified", "n/a"]
Binding = Literal["treaty", "declaration"]
_STRICT = ConfigDict(extra="forbid", frozen=True)
_PATTERN = re.compile(r"[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*(\.\*)?")


def _str_keys(value: Any) -> Any:
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
        return _str_keys(value)

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


class _LawFile(BaseModel):
    model_config = _STRICT

    states: dict[str, StateInfo]
    instruments: dict[str, Instrument]


class _ViolationsFile(BaseModel):
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


_M = TypeVar("_M", bound=BaseModel)


def _read_yaml(path: str | Path, what: str) -> Any:
    try:
        return yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise UserError(f"cannot read {what} {path}: {type(exc).__name__}") from None


def _validate(model: type[_M], data: Any, origin: str) -> _M:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems = [
            f"{'.'.join(str(p) for p in e['loc']) or 'top'}: {e['msg']}" for e in exc.errors(include_input=False)
        ]
        raise UserError(f"{origin}: {len(problems)} problem(s): " + "; ".join(problems)) from None


@functools.cache
def _shipped(name: str) -> Any:
    return yaml.safe_load(resources.files("corroborate.analysis.data").joinpath(name).read_text("utf-8"))


def _merge(base: Any, extra: Any, depth: int) -> Any:
    """``extra`` over ``base``: mappings are merged key by key down to ``depth`` levels, then replaced."""
    if depth == 0 or not isinstance(base, dict) or not isinstance(extra, dict):
        return copy.deepcopy(extra)
    merged = dict(_str_keys(base))
    for key, value in _str_keys(extra).items():
        merged[key] = _merge(merged.get(key), value, depth - 1) if key in merged else copy.deepcopy(value)
    return merged


class LawBook:
    """Instruments, articles, states' treaty status and proposition-to-article mappings, cross-checked."""

    def __init__(self, law: _LawFile, violations: _ViolationsFile, *, origin: str = "law book") -> None:
        self._law = law
        self._violations = violations
        exact = {k: v for k, v in violations.violations.items() if not k.endswith(".*")}
        globs = [(k[:-1], v) for k, v in violations.violations.items() if k.endswith(".*")]
        self._exact = exact
        self._globs = sorted(globs, key=lambda kv: len(kv[0]), reverse=True)
        self._cache: dict[str, tuple[ViolationMapping, ...]] = {}
        problems = self._problems()
        if problems:
            raise UserError(f"{origin}: {len(problems)} problem(s): " + "; ".join(problems))

    def _problems(self) -> list[str]:
        problems = []
        for pattern, mappings in self._violations.violations.items():
            for i, m in enumerate(mappings):
                where = f"violations.{pattern}.{i}"
                inst = self._law.instruments.get(m.instrument)
                if inst is None:
                    problems.append(f"{where}: unknown instrument {m.instrument!r}")
                    continue
                if m.article not in inst.articles:
                    problems.append(f"{where}: {m.instrument} has no article {m.article!r} in the law book")
                if m.duty_bearer not in self._law.states:
                    problems.append(f"{where}: unknown duty-bearer {m.duty_bearer!r}")
                elif inst.binding == "treaty" and m.duty_bearer not in inst.states:
                    problems.append(f"{where}: no treaty status of {m.duty_bearer} for {m.instrument}")
        for name, inst in self._law.instruments.items():
            problems += [
                f"instruments.{name}.states: unknown state {s!r}" for s in inst.states if s not in self._law.states
            ]
        return problems

    @classmethod
    def default(cls) -> LawBook:
        """The law book shipped with Corroborate (read once)."""
        return _default_book()

    @classmethod
    def from_files(
        cls, law: str | Path | None = None, violations: str | Path | None = None, *, extend_default: bool = True
    ) -> LawBook:
        """A law book from YAML files of the shipped shape, merged over the shipped book unless told otherwise."""
        law_data: Any = _shipped("law.yaml") if extend_default else {"states": {}, "instruments": {}}
        vio_data: Any = _shipped("violations.yaml") if extend_default else {"violations": {}}
        if law is not None:
            # top > instruments > ICCPR > articles|states > entry, which is replaced whole
            law_data = _merge(law_data, _read_yaml(law, "law file") or {}, 4)
        if violations is not None:
            vio_data = _merge(vio_data, _read_yaml(violations, "violations file") or {}, 2)
        origin = ", ".join(str(p) for p in (law, violations) if p is not None) or "law book"
        return cls(_validate(_LawFile, law_data, origin), _validate(_ViolationsFile, vio_data, origin), origin=origin)

    @property
    def instruments(self) -> Mapping[str, Instrument]:
        """Instruments by key (treaties.csv short names: ICCPR, REFUGEE-1951, UDHR ...)."""
        return self._law.instruments

    @property
    def violations(self) -> Mapping[str, tuple[ViolationMapping, ...]]:
        """Mappings by proposition key or `prefix.*` glob, as written."""
        return self._violations.violations

    def state_name(self, state: str) -> str:
        """The short name of a duty-bearer, e.g. 'the DPRK'."""
        info = self._law.states.get(state)
        return info.short if info else state

    def instrument(self, key: str) -> Instrument:
        """One instrument; UserError when the book has none of that key."""
        try:
            return self._law.instruments[key]
        except KeyError:
            known = ", ".join(self._law.instruments)
            raise UserError(f"no instrument {key!r} in the law book (it has {known})") from None

    def article(self, instrument: str, article: str) -> Article:
        """One article of an instrument."""
        inst = self.instrument(instrument)
        try:
            return inst.articles[article]
        except KeyError:
            raise UserError(f"{instrument} has no article {article!r} in the law book") from None

    def mappings_for(self, proposition: str) -> tuple[ViolationMapping, ...]:
        """The articles a proposition engages: exact key first, then globs, longest first; no repeats."""
        cached = self._cache.get(proposition)
        if cached is not None:
            return cached
        found: list[ViolationMapping] = []
        seen: set[tuple[str, str, str]] = set()
        candidates = [self._exact.get(proposition, ())]
        candidates += [mappings for prefix, mappings in self._globs if proposition.startswith(prefix)]
        for mappings in candidates:
            for m in mappings:
                key = (m.instrument, m.article, m.duty_bearer)
                if key not in seen:
                    seen.add(key)
                    found.append(m)
        result = tuple(found)
        self._cache[proposition] = result
        return result

    def bound_since(self, instrument: str, state: str) -> BindingStatus:
        """Whether and since when ``state`` is bound by ``instrument``, with source and support."""
        inst = self.instrument(instrument)
        if inst.binding == "declaration":
            return BindingStatus(
                instrument=instrument,
                state=state,
                binding="declaration",
                party=None,
                since=None,
                status="n/a",
                source=inst.source,
                notes=inst.summary or "",
            )
        record = inst.states.get(state)
        if record is None:
            raise UserError(f"the law book has no treaty status of {state} for {instrument}")
        eif = record.entry_into_force
        until = min((e.date.date for e in record.events if e.ends_binding and e.date.date), default=None)
        return BindingStatus(
            instrument=instrument,
            state=state,
            binding="treaty",
            party=record.party,
            since=eif.date if eif else None,
            status=eif.status if eif and record.party else (record.party_status or "unverified"),
            known_within=eif.known_within if eif else None,
            known_within_status=eif.known_within_status if eif else None,
            until=until,
            act=record.act,
            deposit=record.deposit,
            signature=record.signature,
            source=record.source,
            notes=record.notes,
            events=record.events,
        )


@functools.cache
def _default_book() -> LawBook:
    law = _validate(_LawFile, _shipped("law.yaml"), "shipped law.yaml")
    violations = _validate(_ViolationsFile, _shipped("violations.yaml"), "shipped violations.yaml")
    return LawBook(law, violations, origin="shipped law book")
