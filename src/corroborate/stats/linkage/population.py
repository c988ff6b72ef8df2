"""Synthetic populations of North Korean border crossers, the lists that saw them, and the truth.

``simulate`` draws N people (sex, birth year, home town from the gazetteer, a Hangul name whose
family name is drawn by its share in ``names.FAMILY_NAMES``, crossing, arrest and repatriation
dates) and K lists. Whether a list saw a person is a coin with log-odds ``logit(list capture) +
person visibility``, so the same people are seen more often on every list (heterogeneity), plus
an optional ``Dependence`` that makes people on one list likelier on another. Each list writes
its people in its own style (``recording.py``): Hangul, RR, MR or ad hoc spellings, order swaps,
typos, birth years off by one or two or only an age, home-town variants, duplicate records. ``capture_histories``
gives the counts multiple systems estimation needs, in the format of ``shared/data/mse``.

Seeded: the same arguments and seed give the same population. Pure computation; no I/O.
"""

from __future__ import annotations

import bisect
import itertools
import math
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from corroborate.domain import Gazetteer, Place

from .names import FAMILY_NAMES
from .recording import STYLES, Noise, Style, record_event, record_name, record_place

__all__ = [
    "CaptureHistories",
    "Dependence",
    "ListSpec",
    "Person",
    "Population",
    "Record",
    "capture_histories",
    "default_lists",
    "simulate",
]

# Given names: a first syllable from a shared pool, a second from the pool usual for the sex.
_GIVEN_FIRST = tuple("영 정 명 성 광 은 순 옥 미 경 진 철 혜 선 금 춘 민 상 동 현 수 용 윤 창 혁 복 길 봉".split())
_GIVEN_SECOND = {
    "M": tuple("철 수 호 남 일 국 석 만 길 봉 광 성 진 용 민 혁 준 식 범 학 규 훈".split()),
    "F": tuple("희 순 옥 미 경 숙 자 은 혜 선 화 금 향 란 실 애 련 영 정 주 심 녀".split()),
}
_FEMALE_SHARE = 0.7  # most North Koreans in China in the 2000s were women
_BIRTH_YEARS = (1940, 1995)
_LAST_CROSSING = 2015
_ARREST_SHARE, _REPATRIATION_SHARE = 0.4, 0.8  # of people crossing; of people arrested
# Home towns: the border provinces send most people.
_ORIGIN_WEIGHT = {"North Hamgyong": 4.0, "Ryanggang": 4.0}
_BORDER_WEIGHT = 2.0
_LIST_NAMES = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


@dataclass(frozen=True)
class Person:
    """One person of the generated population, as they are (the truth lists only approximate)."""

    person_id: str
    sex: str
    birth_year: int
    origin: str  # gazetteer place id
    family: str  # Hangul
    given: str  # Hangul
    crossing: str  # ISO dates
    arrest: str | None
    repatriation: str | None
    visibility: float  # added to the log-odds of capture on every list


@dataclass(frozen=True)
class ListSpec:
    """One organisation's list: its name, how likely it sees a person of average visibility, its style."""

    name: str
    capture: float
    style: Style
    noise: Noise | None = None  # this list's own rates, instead of the population's

    def __post_init__(self) -> None:
        if not self.name or not 0.0 < self.capture < 1.0 or self.style not in STYLES:
            raise ValueError(f"list {self.name!r}: needs a name, a capture probability in (0, 1) and a style")


@dataclass(frozen=True)
class Dependence:
    """People on ``first`` are likelier on ``second``: ``log_odds`` is added to their log-odds there."""

    first: str
    second: str
    log_odds: float = 2.0


@dataclass(frozen=True)
class Record:
    """One row of one list: the fields as the list wrote them, its id, and the true person's id."""

    record_id: str
    list_name: str
    person_id: str
    name: str
    sex: str
    birth_year: int | None  # None when the list has only an age
    age: int | None  # at interview_date
    interview_date: str
    origin: str
    crossing: str | None  # ISO dates at the precision the list wrote them (YYYY-MM-DD, YYYY-MM or YYYY)
    arrest: str | None
    repatriation: str | None
    noise: tuple[str, ...]  # truth too: the mistakes this record carries

    def as_row(self) -> dict[str, str]:
        """The record as CSV cells (empty for missing values; noise joined by spaces)."""
        row = {k: "" if v is None else str(v) for k, v in vars(self).items() if k != "noise"}
        row["noise"] = " ".join(self.noise)
        return row


@dataclass(frozen=True)
class CaptureHistories:
    """Counts of people by capture pattern (one 0/1 per list), the all-zero pattern never included."""

    lists: tuple[str, ...]
    rows: tuple[tuple[tuple[int, ...], int], ...]

    @property
    def observed(self) -> int:
        """The number of people seen on at least one list."""
        return sum(count for _, count in self.rows)

    def to_csv(self) -> str:
        """The table as shared/data/mse writes it: list columns, then ``count``."""
        lines = [",".join((*self.lists, "count"))]
        lines += [",".join(str(v) for v in (*pattern, count)) for pattern, count in self.rows]
        return "\n".join(lines) + "\n"


def capture_histories(memberships: Iterable[tuple[str, str]], lists: Sequence[str]) -> CaptureHistories:
    """Capture histories from (list name, person or cluster id) pairs; a person twice on a list counts once.

    Rows come by the number of lists a pattern has, then in decreasing binary order (10, 01, 11).
    """
    position = {name: i for i, name in enumerate(lists)}
    if len(position) != len(lists):
        raise ValueError("list names must be unique")
    seen: dict[str, list[int]] = {}
    for list_name, person in memberships:
        if list_name not in position:
            raise ValueError(f"unknown list {list_name!r}")
        seen.setdefault(person, [0] * len(lists))[position[list_name]] = 1
    counts: dict[tuple[int, ...], int] = {}
    for pattern in seen.values():
        counts[tuple(pattern)] = counts.get(tuple(pattern), 0) + 1
    ordered = sorted(counts.items(), key=lambda item: (sum(item[0]), [-v for v in item[0]]))
    return CaptureHistories(tuple(lists), tuple(ordered))


@dataclass(frozen=True)
class Population:
    """A generated population, its lists and their records; the truth is in ``people`` and record ids."""

    people: tuple[Person, ...]
    lists: tuple[ListSpec, ...]
    records: tuple[Record, ...]

    def capture_histories(self) -> CaptureHistories:
        """The true capture histories (who was really on which list)."""
        return capture_histories(((r.list_name, r.person_id) for r in self.records), [s.name for s in self.lists])


def default_lists(count: int) -> tuple[ListSpec, ...]:
    """``count`` lists named A, B, C ... with capture probabilities spread over 0.2-0.45, styles in turn."""
    if not 1 <= count <= len(_LIST_NAMES):
        raise ValueError(f"between 1 and {len(_LIST_NAMES)} lists, not {count}")
    return tuple(
        ListSpec(_LIST_NAMES[i], round(0.2 + 0.25 * ((i * 0.618034) % 1.0), 3), STYLES[i % len(STYLES)])
        for i in range(count)
    )


def _iso(day: date) -> str:
    return day.isoformat()


def _draw_people(count: int, rng: random.Random, places: Sequence[Place], heterogeneity: float) -> list[Person]:
    families = [hangul.split()[0] for _, hangul, _, _ in FAMILY_NAMES]  # South Korean spellings
    family_cum = list(itertools.accumulate(share for _, _, _, share in FAMILY_NAMES))
    weights = (_ORIGIN_WEIGHT.get(p.province or "", _BORDER_WEIGHT if p.border else 1.0) for p in places)
    place_cum = list(itertools.accumulate(weights))
    width = max(6, len(str(count)))
    people: list[Person] = []
    for number in range(1, count + 1):
        sex = "F" if rng.random() < _FEMALE_SHARE else "M"
        birth_year = rng.randint(*_BIRTH_YEARS)
        crossed = date(rng.randint(max(1995, birth_year + 15), _LAST_CROSSING), 1, 1)
        crossed += timedelta(days=rng.randrange(365))
        arrested = crossed + timedelta(days=rng.randrange(7, 1500)) if rng.random() < _ARREST_SHARE else None
        returned = None
        if arrested is not None and rng.random() < _REPATRIATION_SHARE:
            returned = arrested + timedelta(days=rng.randrange(7, 180))
        people.append(
            Person(
                person_id=f"P{number:0{width}d}",
                sex=sex,
                birth_year=birth_year,
                origin=places[bisect.bisect(place_cum, rng.random() * place_cum[-1])].id,
                family=families[bisect.bisect(family_cum, rng.random() * family_cum[-1])],
                given=rng.choice(_GIVEN_FIRST) + rng.choice(_GIVEN_SECOND[sex]),
                crossing=_iso(crossed),
                arrest=None if arrested is None else _iso(arrested),
                repatriation=None if returned is None else _iso(returned),
                visibility=rng.gauss(0.0, heterogeneity),
            )
        )
    return people


def _captures(
    people: Sequence[Person], lists: Sequence[ListSpec], dependence: Sequence[Dependence], rng: random.Random
) -> dict[str, list[Person]]:
    on: dict[str, list[bool]] = {}
    for spec in lists:
        base = math.log(spec.capture / (1.0 - spec.capture))
        boosts = [(on[d.first], d.log_odds) for d in dependence if d.second == spec.name]
        flags = []
        for i, person in enumerate(people):
            log_odds = base + person.visibility + sum(boost for first, boost in boosts if first[i])
            flags.append(rng.random() < 1.0 / (1.0 + math.exp(-log_odds)))
        on[spec.name] = flags
    return {name: [p for p, seen in zip(people, flags, strict=True) if seen] for name, flags in on.items()}


def _record(person: Person, spec: ListSpec, record_id: str, place: Place, rng: random.Random, noise: Noise) -> Record:
    name, made = record_name(person.family, person.given, spec.style, rng, noise)
    origin, place_made = record_place(place, spec.style, rng, noise)
    made += place_made
    interviewed = date.fromisoformat(person.crossing) + timedelta(days=rng.randrange(30, 3 * 365))
    birth_year: int | None = person.birth_year
    age: int | None = None
    if rng.random() < noise.age_only:
        # The birthday is unknown: the age is the one on either side of it, so the true
        # birth year is always interview year - age - 1 or interview year - age.
        age = interviewed.year - person.birth_year - rng.randint(0, 1)
        birth_year = None
        made.append("age_only")
    elif rng.random() < noise.year_off:
        birth_year = person.birth_year + rng.choice((-2, -1, -1, -1, 1, 1, 1, 2))
        made.append("year_off")
    crossing, crossing_made = record_event(person.crossing, rng, noise)
    arrest, arrest_made = record_event(person.arrest, rng, noise)
    repatriation, repatriation_made = record_event(person.repatriation, rng, noise)
    made += [f"crossing_{m}" for m in crossing_made] + [f"arrest_{m}" for m in arrest_made]
    made += [f"repatriation_{m}" for m in repatriation_made]
    return Record(
        record_id=record_id,
        list_name=spec.name,
        person_id=person.person_id,
        name=name,
        sex=person.sex,
        birth_year=birth_year,
        age=age,
        interview_date=_iso(interviewed),
        origin=origin,
        crossing=crossing,
        arrest=arrest,
        repatriation=repatriation,
        noise=tuple(made),
    )


def simulate(
    people: int,
    lists: int | Sequence[ListSpec] = 4,
    *,
    seed: int = 0,
    noise: Noise | None = None,
    dependence: Sequence[Dependence] = (),
    heterogeneity: float = 1.0,
    gazetteer: Gazetteer | None = None,
) -> Population:
    """A population of ``people`` and its lists (a count for ``default_lists``, or the specs).

    ``heterogeneity`` is the standard deviation of the person visibility (0: everyone alike).
    A dependence's ``first`` list must come before its ``second`` in ``lists``.
    """
    specs = default_lists(lists) if isinstance(lists, int) else tuple(lists)
    names = [spec.name for spec in specs]
    if people < 1:
        raise ValueError(f"a population needs at least one person, not {people}")
    if not 1 <= len(specs) <= len(_LIST_NAMES) or len(set(names)) != len(names):
        raise ValueError(f"between 1 and {len(_LIST_NAMES)} lists with distinct names")
    if heterogeneity < 0:
        raise ValueError("heterogeneity is a standard deviation: zero or more")
    for dep in dependence:
        if dep.first not in names or dep.second not in names or names.index(dep.first) >= names.index(dep.second):
            raise ValueError(f"dependence {dep.first!r} → {dep.second!r}: both lists must exist, first before second")
    noise = Noise() if noise is None else noise
    rng = random.Random(seed)
    gazetteer = gazetteer or Gazetteer.default()
    places = [place for place in gazetteer if place.kind != "province"]
    by_id = {place.id: place for place in places}
    population = _draw_people(people, rng, places, heterogeneity)
    captured = _captures(population, specs, dependence, rng)
    records: list[Record] = []
    for spec in specs:
        entries = [(person, False) for person in captured[spec.name]]
        duplicate_rate = (spec.noise or noise).duplicate
        entries += [(person, True) for person, _ in entries if rng.random() < duplicate_rate]
        rng.shuffle(entries)
        width = max(6, len(str(len(entries))))
        for number, (person, duplicate) in enumerate(entries, start=1):
            record_id = f"{spec.name}-{number:0{width}d}"
            record = _record(person, spec, record_id, by_id[person.origin], rng, spec.noise or noise)
            if duplicate:
                record = replace(record, noise=(*record.noise, "duplicate"))
            records.append(record)
    return Population(tuple(population), specs, tuple(records))
