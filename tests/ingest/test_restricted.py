"""Restricted values read from a casefile's raw text, however broken the text is."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from corroborate.ingest import restricted_values

VALID = """\
case: {id: mini, title: A small case}
witnesses:
  - id: W-001
    descriptor: {gender: female, origin: Musan}
    restricted:
      name: Ri Sun-ok
      name_hangul: 리순옥
      contacts:
        - "+86 139 0000 1111"
      birth_date: 1950-02-11
      current_location: Yanji, Jilin
      notes: Lives with her daughter.
      invented: true
"""


def test_every_value_of_a_valid_casefile_is_found_by_field() -> None:
    found = restricted_values(VALID)
    for value in ("Ri Sun-ok", "리순옥", "+86 139 0000 1111", "1950-02-11", "Yanji, Jilin", "Lives with her daughter."):
        assert value in found.values
    identity = found.identities["W-001"]
    assert identity.name == "Ri Sun-ok" and identity.contacts == ["+86 139 0000 1111"]
    assert identity.birth_date == "1950-02-11" and identity.current_location == "Yanji, Jilin"
    assert "true" not in found.values and "Musan" not in found.values and "female" not in found.values


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # not YAML at all: a half-indented line, a tab, an unclosed quote, an alias
        (VALID.replace("      name_hangul", "     Ri Sun-ok Yanji\n      name_hangul"), ["Ri Sun-ok Yanji", "리순옥"]),
        (VALID.replace("      name: Ri Sun-ok", "      name:\tRi Sun-ok"), ["Ri Sun-ok", "Yanji, Jilin"]),
        (VALID.replace("      name: Ri Sun-ok", '      name: "Ri Sun-ok'), ["Ri Sun-ok", "리순옥"]),
        (VALID.replace("      name: Ri Sun-ok", "      name: *RiSunok"), ["*RiSunok", "Yanji, Jilin"]),
        # valid YAML, values in the wrong place
        (
            VALID.replace("    restricted:\n      name: Ri Sun-ok", "    name: Ri Sun-ok\n    restricted:"),
            ["Ri Sun-ok"],
        ),
        (VALID.replace("      name: Ri Sun-ok", "      Ri Sun-ok: her name"), ["Ri Sun-ok", "her name"]),
        (VALID.replace("      name: Ri Sun-ok", "      name: [Ri Sun-ok, Sunny]"), ["Ri Sun-ok", "Sunny"]),
        ("case: {id: x}\nextra:\n  restricted: {name: Kim Ok, phone: '0123 456 789'}\n", ["Kim Ok", "0123 456 789"]),
        ("witnesses:\n  - id: W-001\n    restricted: Ri Sun-ok, Yanji\n", ["Ri Sun-ok, Yanji"]),
    ],
)
def test_values_are_found_in_broken_or_misplaced_text(text: str, expected: list[str]) -> None:
    found = restricted_values(text)
    for value in expected:
        assert value in found.values, (value, found.values)
    assert found.identities


def test_text_without_restricted_sections_has_none() -> None:
    found = restricted_values("case: {id: x, title: y}\nwitnesses:\n  - id: W-001\n")
    assert found.values == () and found.identities == {}


@given(st.text(max_size=300))
def test_any_text_is_read_without_raising(text: str) -> None:
    restricted_values(text)
    restricted_values("witnesses:\n  - restricted:\n" + text)
