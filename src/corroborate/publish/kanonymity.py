"""k-anonymity of cited witnesses, with generalisations that are verified to fix it.

For a cited witness, k is the number of witnesses in the whole case (cited or
not, the witness included) that a reader could not tell apart from them by
the published quasi-identifiers. Another witness counts when each of their
values, published the same way, lies within the cited witness's value (35
lies within "in his thirties"); an unknown value never counts, a value the
publication does not reveal never separates. When the case records how many
people crossed from a place, that number bounds k from below for a
descriptor that reveals the origin and nothing else.

Records are indexed once as bitsets per (field, level, value), so checking
a combination of generalisations is a few integer ANDs. Only pseudonyms and
public values appear in a problem; restricted identities are never read.
"""

from __future__ import annotations

import itertools
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, cast

from corroborate.domain import Case, Gazetteer, Interview, Witness
from corroborate.errors import UnknownWitness, UserError

from .policy import LEVELS, DisclosurePolicy, display, level_key, raw_value

__all__ = ["Change", "Generalisation", "KAnonymityProblem", "check_k_anonymity", "suggest_policy"]

_INTERVALS = frozenset({"age", "interview_date", "arrival_date"})
_ORIGIN_ONLY = frozenset({"origin", "province"})
_LABELS = {"interview_date": "interview date", "interview_place": "interview place",
           "interview_country": "interview country", "arrival_date": "arrival date"}  # fmt: skip
_LEVEL_WORDS = {"exact": "as recorded", "decade": "ten-year band", "month": "month", "year": "year",
                "province": "province", "drop": "not published"}  # fmt: skip
MAX_SUGGESTIONS = 3


def _label(name: str) -> str:
    return _LABELS.get(name, name)


@dataclass(frozen=True)
class Change:
    """One field published more coarsely: what it read before and after."""

    field: str
    level: str
    before: str
    after: str

    def __str__(self) -> str:
        return f"{_label(self.field)}: {self.before} → {self.after}"


@dataclass(frozen=True)
class Generalisation:
    """A set of changes to the policy and the k it was verified to reach."""

    changes: tuple[Change, ...]
    k: int

    @property
    def levels(self) -> dict[str, str]:
        """The changes as a ``generalise:`` mapping for the policy."""
        return {c.field: c.level for c in self.changes}

    def apply(self, policy: DisclosurePolicy) -> DisclosurePolicy:
        """The policy with these generalisations added."""
        return policy.with_levels(self.levels)

    def __str__(self) -> str:
        return ", ".join(str(c) for c in self.changes) + f" (k = {self.k})"


@dataclass(frozen=True)
class KAnonymityProblem:
    """A cited witness whose published descriptor fewer than k witnesses share."""

    witness: str
    interview: str | None
    k: int
    required: int
    descriptor: Mapping[str, str] = field(hash=False)
    suggestions: tuple[Generalisation, ...] = ()

    def __str__(self) -> str:
        shown = "; ".join(f"{_label(f)}: {v}" for f, v in self.descriptor.items()) or "nothing"
        where = f" (interview {self.interview})" if self.interview else ""
        text = f"{self.witness}{where}: k = {self.k} < {self.required} for the published descriptor [{shown}]"
        if self.suggestions:
            text += "; fix by " + " or by ".join(str(s) for s in self.suggestions)
        else:
            text += "; no generalisation of these fields reaches k: do not cite this witness"
        return text


class _Index:
    """Every (witness, interview) record of a case as bitsets per published value."""

    def __init__(self, case: Case, policy: DisclosurePolicy) -> None:
        self.policy = policy
        self.levels = policy.levels()
        self.witnesses = {w.id: w for w in case.witnesses}
        by_witness: dict[str, list[Interview]] = {}
        for recorded in case.interviews:
            by_witness.setdefault(recorded.witness, []).append(recorded)
        self.records: list[tuple[Witness, Interview | None]] = []
        self.owner: list[int] = []
        self._of_witness: dict[str, list[int]] = {}
        for number, witness in enumerate(case.witnesses):
            own: list[Interview | None] = list(by_witness.get(witness.id, []))
            for interview in own or [None]:
                self._of_witness.setdefault(witness.id, []).append(len(self.records))
                self.records.append((witness, interview))
                self.owner.append(number)
        self.multi = len(set(self.owner)) != len(self.owner)
        self.all = (1 << len(self.records)) - 1
        self.raw = {f: [raw_value(f, w, i) for w, i in self.records] for f in self.levels}
        self._groups: dict[tuple[str, str], dict[Hashable, int]] = {}
        self._published: dict[tuple[str, str, Hashable], Hashable | None] = {}
        self._masks: dict[tuple[str, str, Hashable], int] = {}
        self._populations = self._population_table(policy.populations)

    @staticmethod
    def _population_table(populations: Mapping[str, int]) -> dict[str, int]:
        table = dict(populations)
        for place in Gazetteer.default():
            if place.province and place.name in populations and place.province not in populations:
                table.setdefault(f"province:{place.province}", 0)
                table[f"province:{place.province}"] += populations[place.name]
        return table

    def records_of(self, witness_id: str, interview_id: str | None) -> list[int]:
        if witness_id not in self.witnesses:
            raise UnknownWitness(witness_id)
        found = [
            n
            for n in self._of_witness.get(witness_id, [])
            if interview_id is None or ((i := self.records[n][1]) is not None and i.id == interview_id)
        ]
        if not found:
            raise UserError(f"no interview {interview_id!r} of witness {witness_id} in the case")
        return found

    def key(self, record: int, name: str, level: str) -> Hashable | None:
        """The record's value of a field as published at ``level`` (None: unknown or not published)."""
        value = self.raw[name][record]
        if value is None:
            return None
        memo = (name, level, value)
        if memo not in self._published:
            self._published[memo] = level_key(name, level, value)
        return self._published[memo]

    def _group(self, name: str, level: str) -> dict[Hashable, int]:
        groups = self._groups.get((name, level))
        if groups is None:
            groups = {}
            for n in range(len(self.records)):
                key = self.key(n, name, level)
                if key is not None:
                    groups[key] = groups.get(key, 0) | (1 << n)
            self._groups[(name, level)] = groups
        return groups

    def mask(self, name: str, level: str, target: Hashable | None) -> int:
        """Records whose value published at ``level`` lies within ``target`` (all when not revealed)."""
        if target is None:
            return self.all
        cached = self._masks.get((name, level, target))
        if cached is not None:
            return cached
        groups = self._group(name, level)
        if name in _INTERVALS:
            result = 0
            for key, bits in groups.items():
                if _within(key, target):
                    result |= bits
        else:
            result = groups.get(target, 0)
        self._masks[(name, level, target)] = result
        return result

    def count(self, mask: int) -> int:
        """Distinct witnesses among the records in ``mask``."""
        if not self.multi:
            return mask.bit_count()
        owners: set[int] = set()
        while mask:
            low = mask & -mask
            owners.add(self.owner[low.bit_length() - 1])
            mask ^= low
        return len(owners)

    def population(self, record: int, levels: Mapping[str, str]) -> int:
        """Known crossers from the published origin, when the origin is all that is revealed."""
        if not self._populations:
            return 0
        revealed = {f: key for f, lv in levels.items() if (key := self.key(record, f, lv)) is not None}
        if not revealed or not set(revealed) <= _ORIGIN_ONLY:
            return 0
        origin, province = revealed.get("origin"), revealed.get("province")
        if origin is not None and levels.get("origin") == "exact":
            return self._populations.get(str(origin), 0)
        area = str(origin if origin is not None else province)
        return self._populations.get(area, self._populations.get(f"province:{area}", 0))

    def k(self, record: int, levels: Mapping[str, str]) -> int:
        mask = self.all
        for name, level in levels.items():
            mask &= self.mask(name, level, self.key(record, name, level))
        return max(self.count(mask), self.population(record, levels))


def _within(inner: Hashable, outer: Hashable) -> bool:
    """True when interval ``inner`` lies within ``outer`` (None ends are open)."""
    lo, hi = cast(tuple[Any, Any], inner)
    olo, ohi = cast(tuple[Any, Any], outer)
    if olo is not None and (lo is None or lo < olo):
        return False
    return ohi is None or (hi is not None and hi <= ohi)


def _options(index: _Index, records: list[int], name: str) -> list[str]:
    """The policy's level of a field and each coarser level that publishes something different."""
    levels = LEVELS[name]
    current = index.levels[name]
    options: list[str] = []
    seen: set[tuple[Hashable | None, ...]] = set()
    for level in levels[levels.index(current) :]:
        keys = tuple(index.key(r, name, level) for r in records)
        if keys not in seen:
            seen.add(keys)
            options.append(level)
    return options


def _search(index: _Index, records: list[int], required: int) -> list[tuple[dict[str, str], int]]:
    """Minimal level combinations under which every record reaches k, best first."""
    names = [n for n in index.levels if any(index.key(r, n, index.levels[n]) is not None for r in records)]
    pools = [_options(index, records, n) for n in names]
    found: list[tuple[dict[str, str], int]] = []
    for combo in itertools.product(*pools):
        levels = {**index.levels, **dict(zip(names, combo, strict=True))}
        k = min(index.k(r, levels) for r in records)
        if k >= required:
            changed = {n: lv for n, lv in zip(names, combo, strict=True) if lv != index.levels[n]}
            found.append((changed, k))

    def rank(level: str, name: str) -> int:
        return LEVELS[name].index(level)

    def dominated(a: dict[str, str], b: dict[str, str]) -> bool:
        """True when ``b`` is a different, nowhere coarser fix than ``a``."""
        if a == b or not set(b) <= set(a):
            return False
        return all(rank(b[n], n) <= rank(a[n], n) for n in b)

    minimal = [(c, k) for c, k in found if not any(dominated(c, other) for other, _ in found)]

    def cost(item: tuple[dict[str, str], int]) -> tuple[int, int, int]:
        changes = item[0]
        steps = sum(rank(lv, n) - rank(index.levels[n], n) for n, lv in changes.items())
        return (sum(lv == "drop" for lv in changes.values()), len(changes), steps)

    return sorted(minimal, key=cost)


def _describe(index: _Index, record: int, changes: dict[str, str], k: int) -> Generalisation:
    witness = index.records[record][0]
    gender = witness.descriptor.gender
    parts = []
    for name, level in changes.items():
        before = index.key(record, name, index.levels[name])
        after = index.key(record, name, level)
        parts.append(
            Change(
                field=name,
                level=level,
                before=display(name, before, gender) if before is not None else "not published",
                after=display(name, after, gender) if after is not None else "dropped",
            )
        )
    return Generalisation(changes=tuple(parts), k=k)


def _unique(cited: Iterable[tuple[str, str | None]]) -> list[tuple[str, str | None]]:
    return list(dict.fromkeys((w, i) for w, i in cited))


def check_k_anonymity(
    case: Case, cited: Iterable[tuple[str, str | None]], policy: DisclosurePolicy
) -> list[KAnonymityProblem]:
    """Every cited (witness, interview) whose published descriptor fewer than ``policy.k`` witnesses share.

    An interview of None checks each interview of the witness. Each problem
    lists up to three minimal generalisations (dropping a field last, then
    fewest fields changed, then the finest levels), each recomputed to reach k.
    """
    index = _Index(case, policy)
    problems: list[KAnonymityProblem] = []
    checked: set[int] = set()
    for witness_id, interview_id in _unique(cited):
        for record in index.records_of(witness_id, interview_id):
            if record in checked:
                continue
            checked.add(record)
            k = index.k(record, index.levels)
            if k >= policy.k:
                continue
            witness, interview = index.records[record]
            gender = witness.descriptor.gender
            shown = {
                name: display(name, key, gender)
                for name, level in index.levels.items()
                if (key := index.key(record, name, level)) is not None
            }
            fixes = _search(index, [record], policy.k)[:MAX_SUGGESTIONS]
            problems.append(
                KAnonymityProblem(
                    witness=witness.id,
                    interview=interview.id if interview else None,
                    k=k,
                    required=policy.k,
                    descriptor=shown,
                    suggestions=tuple(_describe(index, record, c, fk) for c, fk in fixes),
                )
            )
    return problems


def suggest_policy(
    case: Case, cited: Iterable[tuple[str, str | None]], policy: DisclosurePolicy
) -> Generalisation | None:
    """One set of generalisations under which every cited witness reaches k (None when none does).

    Its changes name levels ("interview date as recorded → month"), not one
    witness's values; its k is the smallest k among the cited witnesses.
    """
    index = _Index(case, policy)
    records = sorted({r for w, i in _unique(cited) for r in index.records_of(w, i)})
    if not records:
        return None
    if min(index.k(r, index.levels) for r in records) >= policy.k:
        return Generalisation(changes=(), k=min(index.k(r, index.levels) for r in records))
    fixes = _search(index, records, policy.k)
    if not fixes:
        return None
    changes, k = fixes[0]
    return Generalisation(
        changes=tuple(Change(n, lv, _LEVEL_WORDS[index.levels[n]], _LEVEL_WORDS[lv]) for n, lv in changes.items()),
        k=k,
    )
