"""What a person record is compared on, besides the name (``names``): the place of origin through the
gazetteer (the same place in any spelling, or at least the same province), the birth year as an interval
(a birth year written, or an age at a date, whose birthday is unknown), the sex, and the days the dates
of the crossing and of the arrest allow (a list may write a day, a month or a year).

A list's record is a mapping of its columns as written (``name``, ``sex``, ``birth_year``, ``age``,
``interview_date``, ``origin``, ``crossing``, ``arrest``; a missing or empty one is unknown); a
``hangul_name`` next to a romanised ``name`` is the name compared, as Hangul spells it one way only. Pure
computation: never logs a value.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from corroborate.domain import Gazetteer, normalise_place_name

from .names import NameFeatures, name_features

__all__ = [
    "PersonFeatures",
    "PlaceFeatures",
    "birth_years",
    "event_days",
    "person_features",
    "place_features",
    "sex_code",
    "years_apart",
]

_SEXES = {"m": "m", "male": "m", "man": "m", "남": "m", "남자": "m", "남성": "m",
          "f": "f", "female": "f", "woman": "f", "여": "f", "여자": "f", "여성": "f"}  # fmt: skip
_YEAR = re.compile(r"\d{4}")


@dataclass(frozen=True)
class PlaceFeatures:
    """A place of origin: the gazetteer's name and province when it knows the place, and the written name
    reduced to a key (lower case, no spaces, no suffix such as -si or -gun) in any case."""

    place: str | None
    province: str | None
    written: str | None


@dataclass(frozen=True)
class PersonFeatures:
    """What a record is compared on; None where the list did not say."""

    name: NameFeatures | None
    sex: str | None  # "m" or "f"
    born: tuple[int, int] | None  # first and last birth year the record allows
    origin: PlaceFeatures
    crossing: tuple[int, int] | None = None  # first and last day (ordinal) the crossing's date allows
    arrest: tuple[int, int] | None = None  # the same for the arrest


def place_features(written: str | None, *, gazetteer: Gazetteer | None = None) -> PlaceFeatures:
    """A place as written on a list, placed by the gazetteer (a province's own entry is its own province)."""
    if written is None or not written.strip():
        return PlaceFeatures(None, None, None)
    key = normalise_place_name(written) or None
    found = (gazetteer or Gazetteer.default()).find(written)
    if found is None:
        return PlaceFeatures(None, None, key)
    province = found.name if found.kind == "province" else found.province
    return PlaceFeatures(found.name, province, key)


def sex_code(written: str | None) -> str | None:
    """ "m" or "f" from the ways lists write it (M, male, 남, 여자 ...); None when it says neither."""
    if written is None:
        return None
    return _SEXES.get(unicodedata.normalize("NFKC", written).strip().lower())


def _number(value: int | str | None) -> int | None:
    if value is None or isinstance(value, int):
        return value
    text = value.strip()
    return int(text) if text.isdigit() else None


def birth_years(
    *, birth_year: int | str | None = None, age: int | str | None = None, at: str | None = None
) -> tuple[int, int] | None:
    """The birth years a record allows: its birth year, or from an age at a date (the year of ``at`` minus
    the age, or one year before, since the birthday is not known); None when it says neither."""
    year = _number(birth_year)
    if year is not None and 1850 <= year <= 2100:
        return (year, year)
    years_old = _number(age)
    when = _YEAR.match(at.strip()) if at else None
    if years_old is None or when is None or not 0 <= years_old <= 120:
        return None
    latest = int(when.group()) - years_old
    return (latest - 1, latest)


def event_days(written: str | None) -> tuple[int, int] | None:
    """The first and last day (``date.toordinal``) an event's date allows, as lists write it: a day
    (YYYY-MM-DD), a month (YYYY-MM) or a year (YYYY); None when it is missing or not such a date."""
    text = (written or "").strip()
    try:
        if len(text) == 10:
            day = date.fromisoformat(text).toordinal()
            return (day, day)
        if len(text) == 7 and text[4] == "-":
            year, month = int(text[:4]), int(text[5:])
            first = date(year, month, 1)
            following = date(year + month // 12, month % 12 + 1, 1)
            return (first.toordinal(), following.toordinal() - 1)
        if len(text) == 4 and text.isdigit():
            return (date(int(text), 1, 1).toordinal(), date(int(text), 12, 31).toordinal())
    except ValueError:
        return None
    return None


def years_apart(a: tuple[int, int] | None, b: tuple[int, int] | None) -> int | None:
    """How many years lie between two birth-year intervals (0 when they share a year); None if one is unknown."""
    if a is None or b is None:
        return None
    return max(0, a[0] - b[1], b[0] - a[1])


def person_features(record: Mapping[str, str | int | None], *, gazetteer: Gazetteer | None = None) -> PersonFeatures:
    """The features of one list record (see the module's docstring for its columns)."""
    raw_name = record.get("hangul_name") or record.get("name")
    name_text = str(raw_name).strip() if raw_name is not None else ""
    try:
        name = name_features(name_text) if name_text else None
    except ValueError:  # no letters at all: nothing to compare on
        name = None
    sex = record.get("sex")
    origin = record.get("origin")
    at = record.get("interview_date")
    return PersonFeatures(
        name=name,
        sex=sex_code(str(sex)) if sex is not None else None,
        born=birth_years(
            birth_year=record.get("birth_year"), age=record.get("age"), at=str(at) if at is not None else None
        ),  # fmt: skip
        origin=place_features(str(origin) if origin is not None else None, gazetteer=gazetteer),
        crossing=event_days(_text(record.get("crossing"))),
        arrest=event_days(_text(record.get("arrest"))),
    )


def _text(value: str | int | None) -> str | None:
    return None if value is None else str(value)
