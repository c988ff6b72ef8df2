"""The disclosure policy of a publication and the quasi-identifiers it reveals about a cited witness.

A quasi-identifier is a public fact (gender, age, origin, interview date …)
that can single a person out in combination. The policy says which ones
count, how coarsely each is published (``generalise``) and the minimum k.
``published_descriptor`` and ``render_descriptor`` show exactly what the
k-anonymity check checks, so the renderer prints what was verified.

Only public descriptor and interview fields are read here; a restricted
identity never is.
"""

from __future__ import annotations

import calendar
import functools
import re
import string
from collections.abc import Hashable
from datetime import date
from typing import Literal, cast, get_args

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from corroborate.domain import Gazetteer, Interview, Witness, country_name, date_interval

__all__ = [
    "LEVELS",
    "TEMPLATE_FIELDS",
    "DisclosurePolicy",
    "QuasiIdentifier",
    "level_key",
    "published_descriptor",
    "published_interview_date",
    "render_descriptor",
]

QuasiIdentifier = Literal[
    "gender", "age", "origin", "province", "interview_date", "interview_place", "interview_country", "arrival_date"
]
QUASI_IDENTIFIERS: tuple[str, ...] = get_args(QuasiIdentifier)
_DEFAULT_QUASI_IDENTIFIERS: tuple[QuasiIdentifier, ...] = ("gender", "age", "origin", "interview_date")

# Generalisation levels of each quasi-identifier, finest first; "drop" publishes nothing.
LEVELS: dict[str, tuple[str, ...]] = {
    "gender": ("exact", "drop"),
    "age": ("exact", "decade", "drop"),
    "origin": ("exact", "province", "drop"),
    "province": ("exact", "drop"),
    "interview_date": ("exact", "month", "year", "drop"),
    "interview_place": ("exact", "drop"),
    "interview_country": ("exact", "drop"),
    "arrival_date": ("exact", "month", "year", "drop"),
}
_LEVEL_ALIASES = {"day": "exact", "place": "exact", "none": "exact", "ten-year": "decade", "band": "decade"}

# Template fields and the quasi-identifier each reveals (None: reveals none).
TEMPLATE_FIELDS: dict[str, str | None] = {
    "gender": "gender",
    "age": "age",
    "age_band": "age",
    "origin": "origin",
    "province": "province",
    "interview_date": "interview_date",
    "interview_place": "interview_place",
    "interview_country": "interview_country",
    "nationality": None,
    "role": None,
}
_DECADE_WORDS = {10: "teens", 20: "twenties", 30: "thirties", 40: "forties", 50: "fifties", 60: "sixties",
                 70: "seventies", 80: "eighties", 90: "nineties"}  # fmt: skip

Interval = tuple[int, int | None] | tuple[date | None, date | None]


class DisclosurePolicy(BaseModel):
    """How a publication describes witnesses, and how hard they must be to single out."""

    model_config = ConfigDict(extra="forbid")

    descriptor_template: str = Field(
        default="{gender} from {origin}, {age}",
        description="how a witness is described; fields: " + ", ".join(TEMPLATE_FIELDS),
    )
    k: int = Field(
        default=2, ge=1, description="every cited witness must share the published descriptor with k-1 others"
    )
    quasi_identifiers: list[QuasiIdentifier] = Field(
        default_factory=lambda: list(_DEFAULT_QUASI_IDENTIFIERS),
        description="the facts that count for k-anonymity (template fields are added automatically)",
    )
    populations: dict[str, int] = Field(
        default_factory=dict,
        description="known number of border crossers by place (or province) of origin; "
        "bounds k from below when a descriptor reveals the origin and nothing else",
    )
    place_spelling: Literal["gazetteer", "as_written"] = Field(
        default="gazetteer",
        description="gazetteer: places of origin under the gazetteer's name (Samsu); as_written: as the source "
        "spelled them (Samsoo), as a reproduction of that source must",
    )
    generalise: dict[QuasiIdentifier, str] = Field(
        default_factory=dict,
        description="publish a field more coarsely: age: decade; interview_date: month|year; "
        "origin: province; any field: drop",
    )

    @field_validator("descriptor_template")
    @classmethod
    def _known_fields(cls, value: str) -> str:
        try:
            names = {name for _, name, _, _ in string.Formatter().parse(value) if name is not None}
        except ValueError as exc:
            raise ValueError(f"descriptor template is not a valid format string: {exc}") from exc
        unknown = sorted(names - set(TEMPLATE_FIELDS))
        if unknown:
            raise ValueError(f"descriptor template uses unknown field(s) {unknown}; known: {sorted(TEMPLATE_FIELDS)}")
        return value

    @field_validator("populations")
    @classmethod
    def _known_places(cls, value: dict[str, int]) -> dict[str, int]:
        gazetteer, canonical = Gazetteer.default(), {}
        for name, count in value.items():
            place = gazetteer.find(name)
            if place is None:
                raise ValueError(f"population for unknown place {name!r}; try {gazetteer.suggest(name)}")
            if count < 0:
                raise ValueError(f"population of {name!r} must not be negative")
            canonical[place.name] = count
        return canonical

    @model_validator(mode="after")
    def _known_levels(self) -> DisclosurePolicy:
        for field, level in list(self.generalise.items()):
            level = _LEVEL_ALIASES.get(level.strip().lower(), level.strip().lower())
            if level not in LEVELS[field]:
                raise ValueError(f"generalise.{field}: {level!r} is not one of {list(LEVELS[field])}")
            self.generalise[field] = level
        return self

    def template_fields(self) -> set[str]:
        """The fields the descriptor template prints."""
        return {name for _, name, _, _ in string.Formatter().parse(self.descriptor_template) if name}

    def levels(self) -> dict[str, str]:
        """Each counted quasi-identifier with the level it is published at (template fields included)."""
        fields: set[str] = set(self.quasi_identifiers)
        template = self.template_fields()
        fields |= {q for name in template if (q := TEMPLATE_FIELDS[name]) is not None}
        chosen: dict[str, str] = {str(f): level for f, level in self.generalise.items()}
        result = {f: chosen.get(f, "exact") for f in QUASI_IDENTIFIERS if f in fields}
        if "age_band" in template and "age" not in template and result.get("age") == "exact":
            result["age"] = "decade"  # {age_band} always prints at least a ten-year band
        return result

    def with_levels(self, levels: dict[str, str]) -> DisclosurePolicy:
        """A copy of this policy with some fields generalised further."""
        return self.model_copy(update={"generalise": {**self.generalise, **levels}})


# ------------------------------------------------------------ raw values


def raw_value(field: str, witness: Witness, interview: Interview | None) -> Hashable | None:
    """The finest value of a quasi-identifier: a string, or an interval (low, high) for ages and dates."""
    d = witness.descriptor
    if field == "gender":
        return d.gender
    if field == "age":
        band = d.effective_age_band()
        return None if band is None else (band.low, band.high)
    if field == "origin":
        return d.origin
    if field == "province":
        return _province(d.origin)
    if interview is None:
        return None
    if field == "interview_date":
        span = date_interval(interview.date)
        return (span.start, span.end)
    if field == "interview_place":
        return interview.town.casefold() if interview.town else None
    if field == "interview_country":
        return interview.country
    return None  # arrival_date: the case does not record it, so no publication can reveal it


@functools.lru_cache(maxsize=4096)
def _province(origin: str | None) -> str | None:
    if origin is None:
        return None
    place = Gazetteer.default().find(origin)
    if place is None:
        return None
    return place.province or place.name  # a province or directly governed city is its own province


def level_key(field: str, level: str, value: Hashable | None) -> Hashable | None:
    """The value as published at ``level``; None when unknown or dropped."""
    if value is None or level == "drop":
        return None
    if level == "exact":
        return value
    if field == "origin" and level == "province":
        return _province(str(value))
    if field == "age" and level == "decade":
        low, high = cast(tuple[int, int | None], value)
        return (low // 10 * 10, None if high is None else high // 10 * 10 + 9)
    if field in ("interview_date", "arrival_date"):
        start, end = cast(tuple[date | None, date | None], value)
        if level == "month":
            return (
                None if start is None else start.replace(day=1),
                None if end is None else end.replace(day=calendar.monthrange(end.year, end.month)[1]),
            )
        if level == "year":
            return (
                None if start is None else date(start.year, 1, 1),
                None if end is None else date(end.year, 12, 31),
            )
    return value


# ------------------------------------------------------------- display


def _noun(gender: str | None) -> str:
    return {"male": "man", "female": "woman"}.get(gender or "", "person")


def _pronoun(gender: str | None) -> str:
    return {"male": "his", "female": "her"}.get(gender or "", "their")


def age_text(band: tuple[int, int | None], gender: str | None) -> str:
    """'age 40', 'in her forties', 'aged 35-44' or 'aged 60 or over'."""
    low, high = band
    if high is None:
        return f"aged {low} or over"
    if low == high:
        return f"age {low}"
    if low % 10 == 0 and high == low + 9 and low in _DECADE_WORDS:
        return f"in {_pronoun(gender)} {_DECADE_WORDS[low]}"
    return f"aged {low}-{high}"


def _date_text(span: tuple[date | None, date | None]) -> str:
    start, end = span
    if start is None or end is None:
        return "an unknown date"
    if start == end:
        return f"{calendar.month_name[start.month]} {start.day}, {start.year}"
    if start.day == 1 and end.day == calendar.monthrange(end.year, end.month)[1]:
        if (start.year, start.month) == (end.year, end.month):
            return f"{calendar.month_name[start.month]} {start.year}"
        if start.month == 1 and end.month == 12 and start.year == end.year:
            return str(start.year)
    return f"{start.isoformat()} to {end.isoformat()}"


def display(field: str, key: Hashable, gender: str | None) -> str:
    """How a published quasi-identifier value reads."""
    if field == "gender":
        return _noun(str(key))
    if field == "age":
        return age_text(key, gender)  # type: ignore[arg-type]
    if field in ("interview_date", "arrival_date"):
        return _date_text(key)  # type: ignore[arg-type]
    if field == "interview_country":
        return country_name(str(key))
    if field == "interview_place":
        return str(key).title()
    return str(key)


def published_descriptor(witness: Witness, interview: Interview | None, policy: DisclosurePolicy) -> dict[str, str]:
    """The quasi-identifier values a publication reveals about a cited witness, after generalisation."""
    result: dict[str, str] = {}
    for field, level in policy.levels().items():
        key = level_key(field, level, raw_value(field, witness, interview))
        if key is not None:
            result[field] = display(field, key, witness.descriptor.gender)
    return result


def published_interview_date(interview: Interview, policy: DisclosurePolicy) -> str | None:
    """The interview date a citation may print, as EDTF (2006-12-01, 2006-12, 2006); None when dropped."""
    level = policy.levels().get("interview_date", "exact")
    if level == "drop":
        return None
    if level == "month":
        return interview.date[:7] if len(interview.date) >= 7 and "/" not in interview.date else interview.date
    if level == "year":
        return interview.date[:4] if "/" not in interview.date else interview.date
    return interview.date


def render_descriptor(witness: Witness, interview: Interview | None, policy: DisclosurePolicy) -> str:
    """The policy's descriptor template filled with the published values, e.g. 'woman from Saebyol, in her forties'."""
    published = published_descriptor(witness, interview, policy)
    d = witness.descriptor
    values = {name: published.get(q, "") if q else "" for name, q in TEMPLATE_FIELDS.items()}
    values["age_band"] = published.get("age", "")
    values["nationality"] = country_name(d.nationality)
    values["role"] = d.role or ""
    if policy.place_spelling == "as_written" and d.origin_as_written and published.get("origin") == d.origin:
        values["origin"] = d.origin_as_written  # the same place, spelled as the source spelled it
    if not published.get("origin") and d.role and "{origin}" in policy.descriptor_template:
        article = (
            ""
            if d.role.lower().startswith(("a ", "an ", "the "))
            else ("an " if d.role[0].lower() in "aeiou" else "a ")
        )
        return f"{article}{d.role}"
    text = policy.descriptor_template.format_map(values)
    return _tidy(text)


def _tidy(text: str) -> str:
    """Remove what an empty template field leaves behind ('woman from , ' → 'woman')."""
    text = re.sub(r"\b(?:from|in|aged|age|of)\s*(?=,|$)", "", text)
    text = re.sub(r"\s*,\s*(?:,\s*)+", ", ", text)
    text = re.sub(r"\s{2,}", " ", text)
    return text.strip(" ,")
