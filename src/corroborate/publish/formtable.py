"""The restricted values of a case as a table of forms: all the leak scanner ever looks up.

A restricted value becomes needles (``needles``), and each needle the forms
a text may show it in: a name's spellings as concatenated words, with every
prefix along the way so a scan can walk word by word; Hangul or Han strings
with their prefixes; a phone number's digit strings; a birth date's ISO
form. Each form is a string tagged by kind (``t:`` words, ``c:``
characters, ``p:`` digits, ``d:`` a date). The scanner generates forms from
the text and looks them up here, so it never needs a restricted value.

A keyed table (``FormTable.keyed``) replaces every form by a keyed hash
(BLAKE2b keyed with a secret) and strips each needle of its witness, field
and detail, keeping only what the matching rules need: its kind, whether
it is a given name written alone, whether it must start a word, and an
opaque number grouping the needles of one witness and field. Scanning with
a keyed table finds the same spans as with the clear one.

A clear table holds restricted values: it must never be logged or stored.
A keyed table holds none, and is useless without its secret.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import random
import struct
from collections.abc import Callable, Hashable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

from corroborate.domain import RestrictedIdentity

from .leakforms import Needle, needles_of
from .romanisation import SURNAME_SPELLINGS

__all__ = ["FormTable", "NeedleInfo"]

_MAGIC = b"CFT1"
_KINDS = {"tokens": "t", "cjk": "c", "phone": "p", "date": "d"}
_CHECK = b"corroborate form table key check"
Entry = tuple[int, int]  # (needle number, words in the spelling; 0 when not a word form)
Value = tuple[bool, Sequence[Entry]]  # (a longer form starts with this one, needles this form is)


@dataclass(frozen=True)
class NeedleInfo:
    """What a hit on a needle means; in a keyed table only the flags and an opaque owner remain."""

    kind: str  # tokens | cjk | phone | date
    owner: int  # needles of one witness and field share it
    alone: bool = False  # a given name written without its surname: held to a stricter standard
    boundary: bool = False  # Hangul or Han: must start a word
    witness: str | None = None
    field: str | None = None
    detail: str | None = None


def _add_forms(needle: Needle, number: int, prefixes: set[Hashable], full: dict[Hashable, list[Entry]]) -> None:
    """Put the needle's forms in ``full`` (with its entry) and the prefixes along the way in ``prefixes``."""
    if needle.kind == "tokens":
        for units in needle.variants:
            if len(units) == 1 and (len(units[0]) < 4 or units[0] in SURNAME_SPELLINGS):
                continue  # a short single word, or a surname alone, identifies no one
            steps = list(itertools.accumulate(units, initial="t:"))
            prefixes.update(steps[1:-1])
            full.setdefault(steps[-1], []).append((number, len(units)))
    elif needle.kind == "cjk":
        for string in needle.strings:
            prefixes.update("c:" + string[:k] for k in range(1, len(string)))
            full.setdefault("c:" + string, []).append((number, 0))
    elif needle.kind == "phone":
        for digits in needle.strings:
            full.setdefault("p:" + digits, []).append((number, 0))
    elif needle.kind == "date" and needle.day is not None:
        full.setdefault("d:" + needle.day.isoformat(), []).append((number, 0))


def _clear_key(form: str) -> Hashable:
    return form


class FormTable:
    """Forms of restricted values mapped to what they are; clear, or keyed by a secret."""

    def __init__(
        self,
        needles: list[NeedleInfo],
        entries: Mapping[Hashable, Sequence[Entry]],
        prefixes: AbstractSet[Hashable],
        *,
        witnesses: int,
        key: Callable[[str], Hashable] = _clear_key,
        check: bytes | None = None,
    ) -> None:
        self.needles = needles
        self._entries = entries  # full forms: the needles each one is
        self._prefixes = prefixes  # forms a longer form starts with
        self.witnesses = witnesses
        self.key = key
        self._check = check

    @property
    def is_keyed(self) -> bool:
        """True when forms are keyed hashes and needles carry no witness, field or detail."""
        return self._check is not None

    def __len__(self) -> int:
        return len(self._entries.keys() | self._prefixes)

    def get(self, form: str) -> Value | None:
        """(a longer form starts with it, its entries) for a form generated from a text; None if unknown."""
        key = self.key(form)
        entries = self._entries.get(key)
        prefix = key in self._prefixes
        if entries is None:
            return (True, ()) if prefix else None
        return prefix, entries

    # ------------------------------------------------------------ building

    @classmethod
    def build(cls, restricted: Mapping[str, RestrictedIdentity | None]) -> FormTable:
        """The table of every restricted value of every witness (keyed by pseudonym)."""
        needles: list[NeedleInfo] = []
        prefixes: set[Hashable] = set()
        full: dict[Hashable, list[Entry]] = {}
        owners: dict[tuple[str, str], int] = {}
        witnesses = 0
        for witness in sorted(restricted):
            identity = restricted[witness]
            if identity is None:
                continue
            witnesses += 1
            for needle in needles_of(witness, identity):
                owner = owners.setdefault((witness, needle.field), len(owners))
                _add_forms(needle, len(needles), prefixes, full)
                needles.append(
                    NeedleInfo(needle.kind, owner, needle.alone, needle.boundary, witness, needle.field, needle.detail)
                )
        for entries in full.values():
            if len(entries) > 1:
                entries[:] = dict.fromkeys(entries)
        return cls(needles, full, prefixes, witnesses=witnesses)

    def keyed(self, secret: bytes, *, digest_size: int = 16) -> FormTable:
        """The same table with forms replaced by keyed hashes and needles stripped of who and what."""
        if self.is_keyed:
            raise ValueError("the table is keyed already")
        if len(secret) < 16:
            raise ValueError("the secret must be at least 16 bytes")
        key = _keyed(secret, digest_size)
        # Needles and owners are shuffled, so their order says nothing of the witnesses' order.
        shuffle = random.SystemRandom()
        order = list(range(len(self.needles)))
        shuffle.shuffle(order)
        renumber = {old: new for new, old in enumerate(order)}
        owners = sorted({n.owner for n in self.needles})
        shuffle.shuffle(owners)
        new_owner = {old: new for new, old in enumerate(owners)}
        needles = [NeedleInfo(n.kind, new_owner[n.owner], n.alone, n.boundary) for n in self.needles]
        needles = [needles[old] for old in order]
        entries = {
            key(str(form)): sorted((renumber[n], words) for n, words in found) for form, found in self._entries.items()
        }
        prefixes = {key(str(form)) for form in self._prefixes}
        return FormTable(
            needles, entries, prefixes, witnesses=self.witnesses, key=key, check=_check(secret, digest_size)
        )

    # ------------------------------------------------------------ storage

    def to_bytes(self) -> bytes:
        """The table for storage (a clear table's bytes hold restricted values: store only keyed ones)."""
        header = {
            "keyed": self.is_keyed,
            "digest_size": len(self._check) if self._check else 0,
            "check": self._check.hex() if self._check else None,
            "witnesses": self.witnesses,
            "needles": [
                [_KINDS[n.kind], n.owner, n.alone, n.boundary]
                + ([] if self.is_keyed else [n.witness, n.field, n.detail])
                for n in self.needles
            ],
        }
        meta = json.dumps(header, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        out = bytearray(_MAGIC)
        forms = self._entries.keys() | self._prefixes
        out += struct.pack("<II", len(meta), len(forms))
        out += meta
        for form in forms:
            prefix, entries = form in self._prefixes, self._entries.get(form, ())
            raw = form if isinstance(form, bytes) else str(form).encode("utf-8")
            out += struct.pack("<HBH", len(raw), prefix, len(entries)) + raw
            for number, words in entries:
                out += struct.pack("<IB", number, min(words, 255))
        return bytes(out)

    @classmethod
    def from_bytes(cls, data: bytes, *, secret: bytes | None = None) -> FormTable:
        """A table from ``to_bytes``; a keyed one needs its secret (ValueError if it is not the one)."""
        if data[:4] != _MAGIC:
            raise ValueError("not a form table")
        try:
            meta_length, count = struct.unpack_from("<II", data, 4)
            at = 12 + meta_length
            header = json.loads(data[12:at].decode("utf-8"))
            found: dict[Hashable, list[Entry]] = {}
            prefixes: set[Hashable] = set()
            for _ in range(count):
                length, prefix, n = struct.unpack_from("<HBH", data, at)
                raw = data[at + 5 : at + 5 + length]
                form = raw if header["keyed"] else raw.decode("utf-8")
                at += 5 + length
                if n:
                    found[form] = [struct.unpack_from("<IB", data, at + 5 * k) for k in range(n)]
                if prefix:
                    prefixes.add(form)
                at += 5 * n
            kinds = {code: kind for kind, code in _KINDS.items()}
            needles = [NeedleInfo(kinds[code], *fields) for code, *fields in header["needles"]]
        except (struct.error, UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
            raise ValueError("damaged form table") from exc
        if at != len(data):
            raise ValueError("damaged form table")
        if not header["keyed"]:
            return cls(needles, found, prefixes, witnesses=header["witnesses"])
        if secret is None:
            raise ValueError("a keyed form table needs its secret")
        digest_size = header["digest_size"]
        check = _check(secret, digest_size)
        if not hmac.compare_digest(check.hex(), header["check"] or ""):
            raise ValueError("this is not the secret the form table was keyed with")
        key = _keyed(secret, digest_size)
        return cls(needles, found, prefixes, witnesses=header["witnesses"], key=key, check=check)


def _keyed(secret: bytes, digest_size: int) -> Callable[[str], Hashable]:
    prototype = hashlib.blake2b(key=secret, digest_size=digest_size)

    def key(form: str) -> Hashable:
        h = prototype.copy()
        h.update(form.encode("utf-8"))
        return h.digest()

    return key


def _check(secret: bytes, digest_size: int) -> bytes:
    return hashlib.blake2b(_CHECK, key=secret, digest_size=digest_size).digest()
