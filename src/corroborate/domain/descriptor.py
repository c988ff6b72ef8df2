"""Public descriptors of witnesses: gender, age or age band, place of origin.

A descriptor is what a publication may say about a witness. It never holds a
restricted field (name, contacts, exact birth date, current location, notes).
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from corroborate.errors import InvalidAge, UnknownPlace

from .countries import country_code
from .gazetteer import Gazetteer

__all__ = ["AgeBand", "Gender", "PublicDescriptor", "parse_age"]

Gender = Literal["male", "female", "other"]

_DECADES = {
    "teens": 10,
    "twenties": 20,
    "thirties": 30,
    "forties": 40,
    "fifties": 50,
    "sixties": 60,
    "seventies": 70,
    "eighties": 80,
    "nineties": 90,
}
_DECADE_PHRASE = re.compile(
    r"^(?:in\s+)?(?:(?:his|her|their)\s+)?(?P<part>early|mid|late)?[\s-]*(?P<decade>" + "|".join(_DECADES) + r")$",
    re.I,
)
_PARTS = {"early": (0, 3), "mid": (4, 6), "late": (7, 9)}


class AgeBand(BaseModel):
    """An inclusive range of ages in years; ``high`` is None for "and over"."""

    model_config = ConfigDict(frozen=True)

    low: int = Field(ge=0, le=130)
    high: int | None = Field(default=None, ge=0, le=130)

    @model_validator(mode="after")
    def _ordered(self) -> AgeBand:
        if self.high is not None and self.high < self.low:
            raise ValueError("age band ends before it starts")
        return self

    def __str__(self) -> str:
        if self.high is None:
            return f"{self.low}+"
        return str(self.low) if self.high == self.low else f"{self.low}-{self.high}"

    def contains(self, age: int) -> bool:
        """True when ``age`` lies in the band."""
        return self.low <= age and (self.high is None or age <= self.high)


def parse_age(text: str | int) -> AgeBand:
    """Read an age ("32", "age 32"), a band ("50-59", "60+") or a phrase ("in her fifties")."""
    if isinstance(text, int):
        return AgeBand(low=text, high=text)
    raw = re.sub(r"\s+", " ", text.strip()).strip(" .,")
    m = re.fullmatch(r"(?:age(?:d)?\s+)?(\d{1,3})(?:\s*years?(?: old)?)?", raw, re.I)
    if m:
        return AgeBand(low=int(m.group(1)), high=int(m.group(1)))
    m = re.fullmatch(r"(\d{1,3})\s*(?:-|–|to)\s*(\d{1,3})", raw)
    if m and int(m.group(1)) <= int(m.group(2)):
        return AgeBand(low=int(m.group(1)), high=int(m.group(2)))
    m = re.fullmatch(r"(\d{1,3})\s*\+|(?:over|above)\s+(\d{1,3})", raw, re.I)
    if m:
        return AgeBand(low=int(m.group(1) or m.group(2)), high=None)
    m = _DECADE_PHRASE.fullmatch(raw)
    if m:
        base = _DECADES[m.group("decade").lower()]
        lo, hi = _PARTS[m.group("part").lower()] if m.group("part") else (0, 9)
        return AgeBand(low=base + lo, high=base + hi)
    raise InvalidAge(raw)


class PublicDescriptor(BaseModel):
    """What may be said publicly about a witness."""

    model_config = ConfigDict(extra="forbid")

    gender: Gender | None = Field(default=None, description="male, female or other; omit when unknown")
    age: int | None = Field(default=None, ge=0, le=130, description="exact age in years at interview")
    age_band: AgeBand | None = Field(
        default=None, description="age band when the exact age is not known, e.g. 50-59 or 'in her fifties'"
    )
    origin: str | None = Field(
        default=None, description="place of origin; any spelling the gazetteer knows, stored canonically"
    )
    origin_as_written: str | None = Field(
        default=None,
        description="the origin as the source spells it, when that differs from the gazetteer's name "
        "(kept for quoting the source; filled in from `origin` when not given)",
    )
    nationality: str = Field(default="KP", description="ISO 3166 alpha-2 code or country name; default KP")
    role: str | None = Field(
        default=None,
        description="how the witness is described when no origin is given, e.g. "
        "'a resident of a Chinese town bordering North Korea'",
    )

    @field_validator("age_band", mode="before")
    @classmethod
    def _read_band(cls, value: object) -> object:
        if isinstance(value, (str, int)):
            try:
                return parse_age(value)
            except InvalidAge as exc:
                raise ValueError(str(exc)) from exc
        return value

    @model_validator(mode="before")
    @classmethod
    def _keep_spelling(cls, data: object) -> object:
        # The source's spelling ("Samsoo") is kept beside the canonical name ("Samsu").
        if isinstance(data, dict) and isinstance(data.get("origin"), str) and "origin_as_written" not in data:
            place = Gazetteer.default().find(data["origin"])
            if place is not None and place.name != data["origin"].strip():
                return {**data, "origin_as_written": data["origin"].strip()}
        return data

    @field_validator("origin")
    @classmethod
    def _canonical_origin(cls, value: str | None) -> str | None:
        if value is None:
            return None
        try:
            return Gazetteer.default().lookup(value).name
        except UnknownPlace as exc:
            raise ValueError(str(exc)) from exc

    @field_validator("nationality")
    @classmethod
    def _country(cls, value: str) -> str:
        return country_code(value)

    @model_validator(mode="after")
    def _age_in_band(self) -> PublicDescriptor:
        if self.age is not None and self.age_band is not None and not self.age_band.contains(self.age):
            raise ValueError("age lies outside age_band")
        return self

    def effective_age_band(self) -> AgeBand | None:
        """The band the witness's age lies in (exact age as a one-year band)."""
        if self.age is not None:
            return AgeBand(low=self.age, high=self.age)
        return self.age_band
