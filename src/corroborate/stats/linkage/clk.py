"""Keyed Bloom-filter encodings of person records (cryptographic long-term keys, CLK), for linking lists
whose names may not leave the organisation that keeps them.

Each field's value is cut into tokens (character bigrams of a name, padded at both ends so that first and
last letters count; the whole value for a code such as a sex or a year), and each token sets ``k`` bits of
one filter of ``BITS`` bits, at positions given by HMAC-SHA256 under a secret the organisations share and
nobody else holds. Two records of one person set mostly the same bits, so their Dice coefficient is high
even when a name is spelled a little differently; without the secret, positions cannot be computed from a
guessed name. Each of the ``k`` positions of a token comes from its own HMAC (random hashing), not from two
hashes combined (double hashing), which leaks more to a pattern-mining attacker (Niedermeyer et al.,
2014, and Kroll and Steinmetzer, 2015, on double hashing in Bloom-filter linkage).

An optional salt field (e.g. the birth year) is mixed into the keyed hash of the other fields' tokens: the
same name in different birth years then sets unrelated bits, which defeats frequency attacks across years
but loses every match whose salt field differs (a birth year off by one). docs/linkage.md states what this
protects against and what it does not.

The method is Schnell, Bachteler and Reiher (2009), "Privacy-preserving record linkage using Bloom
filters", BMC Medical Informatics and Decision Making 9:41, and Schnell (2011) for the one filter per record
(CLK); written here from those papers.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field

__all__ = ["BITS", "ClkField", "ClkSchema", "decode_clk", "dice", "encode_clk", "encoded_text"]

BITS = 1024  # the filter's length; one record, one filter
_MIN_SECRET = 16  # bytes: a shorter shared secret could be guessed


@dataclass(frozen=True)
class ClkField:
    """How one field is cut and how many bits each of its tokens sets (its weight in the similarity)."""

    name: str
    k: int = 20
    bigrams: bool = True  # False: the whole value is one token (a sex, a year, a place code)

    def __post_init__(self) -> None:
        if not self.name or not 1 <= self.k <= 64:
            raise ValueError(f"field {self.name!r}: k must be 1 to 64 bits a token")


@dataclass(frozen=True)
class ClkSchema:
    """The fields encoded, in order, and the optional field whose value salts the others' tokens. Every
    organisation of a linkage must encode with the same schema and secret."""

    fields: tuple[ClkField, ...]
    salt: str | None = None
    bits: int = BITS
    version: str = field(default="clk-hmac-sha256-1")

    def __post_init__(self) -> None:
        names = [f.name for f in self.fields]
        if not names or len(set(names)) != len(names):
            raise ValueError("a CLK schema needs fields with distinct names")
        if self.salt is not None and self.salt in names:
            raise ValueError(f"the salt field {self.salt!r} is not also encoded")
        if not 64 <= self.bits <= 8192 or self.bits % 8:
            raise ValueError("a filter has 64 to 8192 bits, a multiple of 8")


def _normalised(value: str) -> str:
    """Lower case, accents and spaces off, so that encodings compare the letters that were meant."""
    decomposed = unicodedata.normalize("NFKD", value.strip().lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c) and not c.isspace())


def _tokens(spec: ClkField, value: str) -> list[str]:
    text = _normalised(value)
    if not text:
        return []
    if not spec.bigrams:
        return [text]
    padded = f"_{text}_"
    return sorted({padded[i : i + 2] for i in range(len(padded) - 1)})


def encode_clk(record: Mapping[str, str | None], schema: ClkSchema, secret: bytes) -> bytes:
    """The record's filter (``schema.bits`` bits, as bytes): each token of each field sets ``k`` bits at
    positions keyed by ``secret``. A missing or empty field sets none."""
    if len(secret) < _MIN_SECRET:
        raise ValueError(f"the shared secret needs at least {_MIN_SECRET} bytes (made with secrets.token_bytes)")
    salt = _normalised(record.get(schema.salt) or "") if schema.salt is not None else ""
    filter_ = bytearray(schema.bits // 8)
    for spec in schema.fields:
        value = record.get(spec.name)
        for token in _tokens(spec, value or ""):
            message = "\x1f".join((schema.version, spec.name, salt, token)).encode()
            for i in range(spec.k):
                digest = hmac.new(secret, message + i.to_bytes(1, "big"), hashlib.sha256).digest()
                position = int.from_bytes(digest[:8], "big") % schema.bits
                filter_[position // 8] |= 0x80 >> (position % 8)
    return bytes(filter_)


def dice(a: bytes, b: bytes) -> float:
    """The Dice coefficient of two filters: 2|A and B| / (|A| + |B|); 0 when both are empty."""
    if len(a) != len(b):
        raise ValueError("filters of different lengths come from different schemas")
    left, right = int.from_bytes(a, "big"), int.from_bytes(b, "big")
    total = left.bit_count() + right.bit_count()
    return 2 * (left & right).bit_count() / total if total else 0.0


def decode_clk(text: str, *, bits: int = BITS) -> bytes:
    """A filter from its base64 text (as organisations exchange them); ValueError when it is not one."""
    try:
        raw = base64.b64decode(text.strip(), validate=True)
    except ValueError as exc:
        raise ValueError("not a base64 encoding") from exc
    if len(raw) * 8 != bits:
        raise ValueError(f"an encoding of {len(raw) * 8} bits, not {bits}")
    return raw


def encoded_text(filter_: bytes) -> str:
    """The filter as base64 text, one line, to write in a CSV."""
    return base64.b64encode(filter_).decode("ascii")
