"""Linking person lists on keyed Bloom-filter encodings only: no name, birth year or place leaves the
organisation that keeps a list (issue 14, item 4; docs/linkage.md says what this protects and what not).

Encoding side (each organisation, on its own machine, with the key the organisations share): a record's
linkage features are computed first, as plaintext linkage computes them (``features``: family name across
romanisations and Hangul, the given name's phonetic key, the birth years a year or an age allows, the
gazetteer's place and province, the sex), and these features, not the name as written, are cut into
tokens and hashed into one filter of ``BITS`` bits under the key (``clk``'s keyed hashing, one HMAC per bit
position). Encoding the features is what lets "Kim Young-chol", "Gim Yeongcheol" and 김영철 set the same
bits. A birth year sets the years around it (two on each side), so a year off by one still shares most of
its bits. How many bits a token sets (``FIELDS``) is the field's weight in the similarity.

Linkage side (whoever links, without the key): records become candidate pairs by locality-sensitive
hashing on sampled bit positions (``bands`` bands of ``band_bits`` positions, seeded: two filters that
agree on all of a band's positions fall in one bucket), so that 20,000 records do not need 200 million
comparisons; each candidate pair's Dice coefficient is computed with vectorised popcounts; pairs at or
above a Dice threshold are one person, and records are clustered as connected components, with cluster
ids ``P-000001`` ... as ``model.link_records`` numbers them. Never logs; never sees a name.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from corroborate.domain import Gazetteer

from .clk import BITS, ClkField, ClkSchema, encode_clk
from .features import PersonFeatures, person_features

__all__ = [
    "FIELDS",
    "VERSION",
    "EncodedLinks",
    "FeatureEncoder",
    "bit_matrix",
    "candidate_pairs",
    "dice_scores",
    "key_check",
    "link_encodings",
]

VERSION = "clk-features-hmac-sha256-1"  # names the features, tokens and weights below: change it with them
# Bits a token sets, by field: the field's weight. Chosen on generated lists (docs/linkage.md): the place is
# the surest sign that two records with a common name are one person, the sex is cheap to agree on by chance.
FIELDS: dict[str, int] = {"family": 10, "given_key": 15, "born": 25, "place": 60, "province": 15, "sex": 15}
_YEARS_AROUND = 2  # a birth year also sets the years this far on each side: off by one or two still overlaps
_MAX_BAND_BITS = 63  # a band's positions make one 64-bit bucket key


def _bigrams(text: str) -> list[str]:
    padded = f"_{text}_"
    return sorted({padded[i : i + 2] for i in range(len(padded) - 1)})


def _tokens(found: PersonFeatures) -> list[tuple[str, str]]:
    """(field, token) for every token of a record's features; a feature the record lacks has none."""
    tokens: list[tuple[str, str]] = []
    if found.name is not None:
        tokens += [("family", token) for token in _bigrams(found.name.family)] if found.name.family else []
        tokens += [("given_key", token) for token in _bigrams(found.name.given_key)] if found.name.given_key else []
    if found.born is not None:
        first, last = found.born
        tokens += [("born", str(year)) for year in range(first - _YEARS_AROUND, last + _YEARS_AROUND + 1)]
    for name, value in (("place", found.origin.place), ("province", found.origin.province), ("sex", found.sex)):
        if value:
            tokens.append((name, value))
    return tokens


class FeatureEncoder:
    """Encodes one organisation's records under the shared key (at least 16 bytes). Keeps each token's bits
    while it lives (names repeat their letter pairs), so make one per list and drop it after."""

    def __init__(self, secret: bytes, *, gazetteer: Gazetteer | None = None, bits: int = BITS) -> None:
        self._secret = secret
        self._gazetteer = gazetteer or Gazetteer.default()
        self._schemas = {name: ClkSchema((ClkField(name, k=k, bigrams=False),), bits=bits, version=VERSION)
                         for name, k in FIELDS.items()}  # fmt: skip
        self._bits = bits
        self._known: dict[tuple[str, str], int] = {}
        encode_clk({}, self._schemas["sex"], secret)  # refuses a short key before any record is read

    def _token_bits(self, field: str, token: str) -> int:
        key = (field, token)
        found = self._known.get(key)
        if found is None:
            found = int.from_bytes(encode_clk({field: token}, self._schemas[field], self._secret), "big")
            self._known[key] = found
        return found

    def __call__(self, record: Mapping[str, str | int | None]) -> bytes:
        """The filter of one list record (the columns ``features.person_features`` reads), as bytes."""
        filter_ = 0
        for field, token in _tokens(person_features(record, gazetteer=self._gazetteer)):
            filter_ |= self._token_bits(field, token)
        return filter_.to_bytes(self._bits // 8, "big")


def key_check(secret: bytes) -> str:
    """A short keyed check of the key (16 hex digits): files encoded under one key carry the same check, so a
    linkage unit can tell that two organisations used different keys without holding either."""
    return hmac.new(secret, f"corroborate key check\x1f{VERSION}".encode(), hashlib.sha256).hexdigest()[:16]


# ------------------------------------------------------------------ linkage side: encodings only


def bit_matrix(encodings: Sequence[bytes]) -> NDArray[np.uint64]:
    """The filters as rows of 64-bit words (zero-padded to whole words), for vectorised popcounts."""
    if not encodings:
        return np.zeros((0, 1), dtype=np.uint64)
    width = len(encodings[0])
    if any(len(e) != width for e in encodings):
        raise ValueError("encodings of different lengths come from different schemas")
    padded = -(-width // 8) * 8
    raw = np.zeros((len(encodings), padded), dtype=np.uint8)
    raw[:, :width] = np.frombuffer(b"".join(encodings), dtype=np.uint8).reshape(len(encodings), width)
    return raw.view(np.uint64)


def dice_scores(matrix: NDArray[np.uint64], left: NDArray[np.int64], right: NDArray[np.int64]) -> NDArray[np.float64]:
    """The Dice coefficient of each pair of rows (``left[i]``, ``right[i]``): 2|A and B| / (|A| + |B|); 0 when
    both are empty."""
    ones = np.bitwise_count(matrix).sum(axis=1, dtype=np.int64)
    scores = np.zeros(len(left), dtype=np.float64)
    step = 1 << 18  # pairs at a time: bounded memory whatever the number of candidates
    for start in range(0, len(left), step):
        i, j = left[start : start + step], right[start : start + step]
        common = np.bitwise_count(matrix[i] & matrix[j]).sum(axis=1, dtype=np.int64)
        total = ones[i] + ones[j]
        scores[start : start + step] = np.divide(2 * common, total, out=np.zeros(len(i)), where=total > 0)
    return scores


def _bit_columns(matrix: NDArray[np.uint64], positions: NDArray[np.int64]) -> NDArray[np.uint64]:
    """Bits at ``positions`` (0 = the first bit of the first byte) of every row, as 0/1 columns."""
    raw = matrix.view(np.uint8)
    shifts = (7 - positions % 8).astype(np.uint8)
    return ((raw[:, positions // 8] >> shifts) & 1).astype(np.uint64)


def candidate_pairs(
    matrix: NDArray[np.uint64], *, bits: int, bands: int = 40, band_bits: int = 24, seed: int = 1,
    max_bucket: int = 2000,
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:  # fmt: skip
    """Pairs of rows (``left`` < ``right``) that agree on every sampled position of at least one band; empty
    filters are in none. A bucket of more than ``max_bucket`` rows (filters nearly alike by the thousand)
    is left out of its band: the other bands still see its pairs that differ somewhere else."""
    if not 1 <= band_bits <= _MAX_BAND_BITS or bands < 1:
        raise ValueError(f"bands need 1 to {_MAX_BAND_BITS} sampled bits each, and at least one band")
    rows = matrix.shape[0]
    filled = np.flatnonzero(np.bitwise_count(matrix).sum(axis=1) > 0)
    rng = np.random.default_rng(seed)
    weights = np.left_shift(np.uint64(1), np.arange(band_bits, dtype=np.uint64))
    found: list[NDArray[np.int64]] = []
    compared = matrix[filled]
    for _ in range(bands):
        positions = rng.choice(bits, size=band_bits, replace=False).astype(np.int64)
        keys = (_bit_columns(compared, positions) * weights).sum(axis=1, dtype=np.uint64)
        order = np.argsort(keys, kind="stable")
        ordered, members = keys[order], filled[order]
        sizes = np.unique(ordered, return_counts=True)[1]
        big = np.repeat(sizes > max_bucket, sizes)
        ordered, members = ordered[~big], members[~big]
        gap = 1
        while gap < len(ordered):
            same = ordered[:-gap] == ordered[gap:]
            if not same.any():
                break
            a, b = members[:-gap][same], members[gap:][same]
            found.append(np.minimum(a, b).astype(np.int64) * rows + np.maximum(a, b))
            gap += 1
    codes = np.unique(np.concatenate(found)) if found else np.zeros(0, dtype=np.int64)
    return codes // rows, codes % rows


@dataclass(frozen=True)
class EncodedLinks:
    """Which records are one person, found on encodings: ``clusters`` maps (list, record id) to a person
    (``P-000001`` ...), as ``model.LinkedRecords`` does; ``pairs`` holds every candidate pair whose Dice
    coefficient is at least ``pairs_from``, with it; ``candidates`` is how many pairs were compared."""

    clusters: dict[tuple[str, str], str]
    pairs: list[tuple[tuple[str, str], tuple[str, str], float]]
    threshold: float
    pairs_from: float
    candidates: int

    def memberships(self) -> list[tuple[str, str]]:
        """(list, cluster) for every record: the input of capture histories."""
        return [(list_name, cluster) for (list_name, _), cluster in self.clusters.items()]


def _components(count: int, left: Iterable[int], right: Iterable[int]) -> list[int]:
    """Each row's component (the smallest row in it) under the links ``left[i]``-``right[i]``."""
    parent = list(range(count))

    def root(row: int) -> int:
        while parent[row] != row:
            parent[row] = parent[parent[row]]
            row = parent[row]
        return row

    for a, b in zip(left, right, strict=True):
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return [root(row) for row in range(count)]


def link_encodings(
    records: Iterable[tuple[str, str, bytes]], *, threshold: float = 0.9, pairs_from: float = 0.8,
    bands: int = 40, band_bits: int = 24, seed: int = 1,
) -> EncodedLinks:  # fmt: skip
    """Link records given as (list name, record id, encoding), every encoding of the same length and made
    under the same key; two records are one person from a Dice coefficient of ``threshold``. Lists may hold
    the same person twice. Pairs from ``pairs_from`` are kept for review."""
    if not 0 < pairs_from <= threshold <= 1:
        raise ValueError("the Dice thresholds need 0 < pairs_from <= threshold <= 1")
    keys: list[tuple[str, str]] = []
    encodings: list[bytes] = []
    for list_name, record_id, encoding in records:
        keys.append((list_name, record_id))
        encodings.append(encoding)
    if len(set(keys)) != len(keys):
        raise ValueError("a (list, record id) appears twice")
    if len(keys) < 2:
        raise ValueError("linkage needs at least two records")
    matrix = bit_matrix(encodings)
    left, right = candidate_pairs(matrix, bits=len(encodings[0]) * 8, bands=bands, band_bits=band_bits, seed=seed)
    scores = dice_scores(matrix, left, right)
    kept = np.flatnonzero(scores >= pairs_from)
    pairs = [(keys[a], keys[b], float(s)) for a, b, s in
             zip(left[kept].tolist(), right[kept].tolist(), scores[kept].tolist(), strict=True)]  # fmt: skip
    linked = scores >= threshold
    component = _components(len(keys), left[linked].tolist(), right[linked].tolist())
    numbered: dict[int, str] = {}  # components renamed P-000001 ... in the order of their first record
    for row in sorted(range(len(keys)), key=keys.__getitem__):
        numbered.setdefault(component[row], f"P-{len(numbered) + 1:06d}")
    clusters = {key: numbered[component[row]] for row, key in enumerate(keys)}
    return EncodedLinks(clusters, pairs, threshold, pairs_from, len(left))
