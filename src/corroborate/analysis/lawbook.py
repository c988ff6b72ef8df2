"""The law book: instruments, articles, when each state became bound, and which propositions engage which articles.

It is data, not code: ``data/law.yaml`` and ``data/violations.yaml`` ship with
Corroborate, and a case extends them with files of the same shape (their
format: ``lawfile``). Every date keeps its source and how well it is supported
(verified, derived, unverified); nothing here turns an unverified date into a
fact. Reads the shipped files and the files it is given, nothing else.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from corroborate.domain import read_yaml, shipped_yaml, validate_data
from corroborate.errors import DataFileInvalid, Problem, UserError

from .lawfile import (
    Article,
    BindingStatus,
    Instrument,
    LawFile,
    ViolationMapping,
    ViolationsFile,
    str_keys,
)

__all__ = ["LawBook"]


def _shipped(name: str) -> Any:
    return shipped_yaml("corroborate.analysis.data", name)


def _merge(base: Any, extra: Any, depth: int) -> Any:
    """``extra`` over ``base``: mappings are merged key by key down to ``depth`` levels, then replaced."""
    if depth == 0 or not isinstance(base, dict) or not isinstance(extra, dict):
        return copy.deepcopy(extra)
    merged = dict(str_keys(base))
    for key, value in str_keys(extra).items():
        merged[key] = _merge(merged.get(key), value, depth - 1) if key in merged else copy.deepcopy(value)
    return merged


class LawBook:
    """Instruments, articles, states' treaty status and proposition-to-article mappings, cross-checked."""

    def __init__(self, law: LawFile, violations: ViolationsFile, *, origin: str = "law book") -> None:
        self._law = law
        self._violations = violations
        exact = {k: v for k, v in violations.violations.items() if not k.endswith(".*")}
        globs = [(k[:-1], v) for k, v in violations.violations.items() if k.endswith(".*")]
        self._exact = exact
        self._globs = sorted(globs, key=lambda kv: len(kv[0]), reverse=True)
        self._cache: dict[str, tuple[ViolationMapping, ...]] = {}
        problems = self._problems()
        if problems:
            found = [Problem(origin, None, *problem.split(": ", 1)) for problem in problems]
            raise DataFileInvalid(
                origin, found, summary=f"{origin}: {len(problems)} problem(s): " + "; ".join(problems)
            )

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
            law_data = _merge(law_data, read_yaml(law, what="law file") or {}, 4)
        if violations is not None:
            vio_data = _merge(vio_data, read_yaml(violations, what="violations file") or {}, 2)
        origin = ", ".join(str(p) for p in (law, violations) if p is not None) or "law book"
        return cls(
            validate_data(LawFile, law_data, origin=origin),
            validate_data(ViolationsFile, vio_data, origin=origin),
            origin=origin,
        )

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
    law = validate_data(LawFile, _shipped("law.yaml"), origin="shipped law.yaml")
    violations = validate_data(ViolationsFile, _shipped("violations.yaml"), origin="shipped violations.yaml")
    return LawBook(law, violations, origin="shipped law book")
