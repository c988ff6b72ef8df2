"""Redaction of messages: every restricted value, in any spelling the leak scan knows or exactly as written,
becomes `[restricted]`; everything else is left as it was."""

from __future__ import annotations

import pytest

from corroborate.domain import RestrictedIdentity
from corroborate.publish import REDACTED, Redactor, redact

IDENTITY = RestrictedIdentity(
    name="Ri Chol-min",
    name_hangul="리철민",
    contacts=["+86 130 5550 0147"],
    birth_date="1974-03-15",
    current_location="Helong, Jilin province (room above a noodle shop)",
    notes="Works day shifts on a building site near the bus station.",
)
REDACTOR = Redactor({"W-002": IDENTITY})


@pytest.mark.parametrize(
    "planted",
    [
        "Ri Chol-min",
        "RI CHOL MIN",
        "Lee Cheol-min",  # another romanisation: found by the leak scanner
        "리철민",
        "+86 130 5550 0147",
        "130-5550-0147",  # another format of the phone number
        "1974-03-15",
        "15 March 1974",  # another format of the birth date
        "Helong, Jilin province (room above a noodle shop)",
        "Helong",  # the town alone
        "Jilin province",
        "room above a noodle shop",
    ],
)
def test_a_restricted_value_in_a_message_is_replaced(planted: str) -> None:
    message = f"unknown place '{planted}'; did you mean Hoeryong?"
    redacted = REDACTOR.redact(message)
    assert redacted == f"unknown place '{REDACTED}'; did you mean Hoeryong?"


def test_text_without_restricted_values_is_unchanged() -> None:
    text = "interviews[0].date: not a date: 'sometime' (use EDTF, e.g. 2006-11-28, 2004-09/2004-12, 2006)"
    assert REDACTOR.redact(text) == text
    assert Redactor({}).redact(text) == text


def test_several_values_and_overlaps_become_one_marker_each() -> None:
    text = "Ri Chol-min (리철민) lives in Helong, Jilin province; call +86 130 5550 0147."
    redacted = REDACTOR(text)
    for value in ("Ri", "Chol", "리철민", "Helong", "Jilin", "5550"):
        assert value not in redacted
    assert redacted.startswith(REDACTED) and redacted.endswith(".")
    assert "lives in" in redacted and "call" in redacted


def test_extra_values_are_matched_as_written_in_any_case() -> None:
    redactor = Redactor({}, values=["Grandmother Pak", "mh.hwasong.73", "x"])
    assert redactor("known as grandmother  pak, mh.hwasong.73") == f"known as {REDACTED}, {REDACTED}"
    assert redactor("x marks the spot") == "x marks the spot"  # a single character is no one


def test_a_value_inside_a_longer_word_is_left_alone() -> None:
    redactor = Redactor({}, values=["Sun"])
    assert redactor("Sunday, not Sun") == f"Sunday, not {REDACTED}"


def test_the_redactor_never_shows_its_values() -> None:
    assert "Chol" not in repr(REDACTOR) and "Chol" not in str(REDACTOR)


def test_redact_in_one_call() -> None:
    assert redact("born 1974-03-15", {"W-002": IDENTITY}) == f"born {REDACTED}"
