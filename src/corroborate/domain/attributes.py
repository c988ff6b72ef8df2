"""Typed claim attributes: numeric ranges, dates, categories, places.

A proposition declares the type of each attribute; a claim's raw value is read
into its canonical text form here ("1..5", an EDTF string, a gazetteer name),
so that claims can be compared later without re-parsing prose.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from corroborate.errors import InvalidFuzzyDate, UnknownPlace

from .entities import AttributeSpec, AttributeValue
from .fuzzydate import normalise_fuzzy_date
from .gazetteer import Gazetteer

__all__ = ["NumberRange", "coerce_attribute", "parse_range"]

_NUMBER = r"\d+(?:\.\d+)?"


@dataclass(frozen=True)
class NumberRange:
    """An inclusive numeric range; ``high`` is None when open ("at least 3")."""

    low: float
    high: float | None

    def __str__(self) -> str:
        low = _fmt(self.low)
        if self.high is None:
            return f"{low}.."
        return low if self.high == self.low else f"{low}..{_fmt(self.high)}"

    def overlaps(self, other: NumberRange) -> bool:
        """True when the ranges share a value."""
        return (self.high is None or other.low <= self.high) and (other.high is None or self.low <= other.high)


def _fmt(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


def parse_range(value: AttributeValue) -> NumberRange:
    """Read 3, "3", "1..5", "1-5", "3..", ">=3", "at least 3" or "3+" as a range."""
    if isinstance(value, bool):
        raise ValueError("a range must be a number or text like 1..5")
    if isinstance(value, (int, float)):
        return NumberRange(float(value), float(value))
    text = value.strip().lower()
    m = re.fullmatch(rf"({_NUMBER})", text)
    if m:
        return NumberRange(float(m.group(1)), float(m.group(1)))
    m = re.fullmatch(rf"({_NUMBER})\s*(?:\.\.|-|–|to)\s*({_NUMBER})", text)
    if m and float(m.group(1)) <= float(m.group(2)):
        return NumberRange(float(m.group(1)), float(m.group(2)))
    m = re.fullmatch(rf"(?:>=\s*|at least\s+)({_NUMBER})|({_NUMBER})\s*(?:\.\.|\+)", text)
    if m:
        return NumberRange(float(m.group(1) or m.group(2)), None)
    raise ValueError(f"not a number or range: {value!r} (use e.g. 3, 1..5 or 3..)")


def coerce_attribute(spec: AttributeSpec, value: AttributeValue) -> AttributeValue:
    """The canonical form of ``value`` under ``spec``; ValueError when it does not fit."""
    if spec.type == "range":
        return str(parse_range(value))
    if spec.type == "number":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValueError(f"expected a number, got {value!r}")
        return value
    if spec.type == "date":
        try:
            return normalise_fuzzy_date(value if not isinstance(value, float) else str(value))
        except InvalidFuzzyDate as exc:
            raise ValueError(str(exc)) from exc
    if spec.type == "place":
        try:
            return Gazetteer.default().lookup(str(value)).name
        except UnknownPlace as exc:
            raise ValueError(str(exc)) from exc
    text = str(value).strip()
    if spec.type == "category" and spec.values is not None and text not in spec.values:
        raise ValueError(f"{text!r} is not one of {', '.join(spec.values)}")
    return text
