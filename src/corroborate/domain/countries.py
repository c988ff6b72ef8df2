"""Countries by ISO 3166-1 alpha-2 code, for nationalities and interview places."""

from __future__ import annotations

__all__ = ["COUNTRY_NAMES", "country_code", "country_name"]

# Only the countries this kind of investigation meets most; any other valid
# alpha-2 code is accepted as it is.
COUNTRY_NAMES: dict[str, str] = {
    "KP": "North Korea",
    "KR": "South Korea",
    "CN": "China",
    "RU": "Russia",
    "MN": "Mongolia",
    "TH": "Thailand",
    "LA": "Laos",
    "VN": "Vietnam",
    "KH": "Cambodia",
    "MM": "Myanmar",
    "JP": "Japan",
    "US": "United States",
    "GB": "United Kingdom",
}
_ALIASES = {
    "dprk": "KP",
    "democratic people's republic of korea": "KP",
    "rok": "KR",
    "republic of korea": "KR",
    "prc": "CN",
    "people's republic of china": "CN",
}


def country_code(value: str) -> str:
    """The alpha-2 code of a country given by code or by name; ValueError if unknown."""
    text = value.strip()
    if len(text) == 2 and text.isalpha():
        return text.upper()
    folded = text.casefold()
    if folded in _ALIASES:
        return _ALIASES[folded]
    for code, name in COUNTRY_NAMES.items():
        if name.casefold() == folded:
            return code
    raise ValueError(f"unknown country {value!r}; use an ISO 3166 alpha-2 code such as KP, CN, KR")


def country_name(code: str) -> str:
    """A readable name for an alpha-2 code (the code itself when not listed)."""
    return COUNTRY_NAMES.get(code.upper(), code.upper())
