"""The plainest block YAML, read line by line in Python: what a big casefile is nearly all made of.

A generated or exported casefile is runs of items like ``- id: E-7`` /
``  text: 'quoted'`` / ``  attributes:`` with nested keys: one key or item a
line, values plain, quoted on one line, or a short flow collection. Read here
line by line, such a batch costs a third of what libyaml's node tree costs
from Python. Anything else — block scalars (``|``, ``>``), values over several
lines, anchors, tags, complex or quoted keys, a tab, a key written twice — is
refused (``None``) and the batch goes to libyaml whole, so what this returns
is always what ``yaml.safe_load`` gives: plain scalars are resolved and built
by PyYAML's own resolvers and constructors.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

__all__ = ["UNPLAIN", "block_items"]

# What a text read here may not hold anywhere: what PyYAML's reader refuses (it says where), the line breaks
# of YAML 1.1 other than "\n" (NEL, LS, PS: Python's lines are cut elsewhere) and a byte-order mark.
UNPLAIN = re.compile("[^\x09\x0a\x0d\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")

# One line: its indentation, a sequence dash, a key and what follows it (trailing spaces left out).
_LINE = re.compile(r"^( *)(- +)?(?:([A-Za-z_][A-Za-z0-9_]*):(?: +|$))?((?:[^\n]*[^ \n])?) *$", re.MULTILINE)
_SINGLE = re.compile(r"'([^']*(?:''[^']*)*)'(?: +#.*)?")
_DOUBLE = re.compile(r'"([^"\\]*)"(?: +#.*)?')
_PLAIN_END = re.compile(r" #|: |:$")
_STR = "tag:yaml.org,2002:str"
_RESOLVERS = yaml.SafeLoader.yaml_implicit_resolvers
_TYPED_STARTS = frozenset(k for k in _RESOLVERS if k)  # first characters of the scalars YAML may read as non-strings
_BUILT = {f"tag:yaml.org,2002:{t}" for t in ("int", "float", "bool", "null", "timestamp")}
_CONSTRUCTOR = yaml.constructor.SafeConstructor()
_PLAIN_STARTS = frozenset("-?:")  # indicators that may start a plain scalar when a non-space follows
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")


class _Irregular(Exception):
    """The text is not of the plain shape read here: libyaml reads it."""


class _Reader:
    def __init__(self, lines: list[tuple[str, str, str, str]], load: Any) -> None:
        self.lines, self.at, self.load = lines, 0, load
        self.typed: dict[str, Any] = {}
        self.keys: set[str] = set()  # keys seen to be strings

    def sequence(self, indent: int) -> list[Any]:
        """The items of a block sequence whose dashes are at ``indent``."""
        items: list[Any] = []
        lines, end = self.lines, len(self.lines)
        while self.at < end:
            spaces, dash, key, value = lines[self.at]
            column = len(spaces)
            if column < indent or (column == indent and not dash):
                break  # the sequence ends (a key after an indentless sequence, or a dedent)
            if column > indent or not dash:
                raise _Irregular
            if key:
                items.append(self.mapping(column + len(dash)))
                continue
            self.at += 1
            items.append(self.scalar(value))
            if self.at < end and len(lines[self.at][0]) > indent:
                raise _Irregular  # a scalar continued on the next lines
        return items

    def mapping(self, indent: int) -> dict[str, Any]:
        """A block mapping whose keys are at ``indent``, from the current line (which may start with a dash)."""
        found: dict[str, Any] = {}
        lines, end, keys = self.lines, len(self.lines), self.keys
        first = True
        while self.at < end:
            spaces, dash, key, value = lines[self.at]
            if first:
                first = False
            elif len(spaces) != indent or dash or not key:
                if len(spaces) < indent:
                    break
                raise _Irregular
            if key in found:
                raise _Irregular  # a key written twice: libyaml refuses it, the careful reader says where
            if key not in keys:
                if key[0] in _TYPED_STARTS and self.tag(key) != _STR:
                    raise _Irregular  # a key that is not a string (yes:, on:)
                keys.add(key)
            self.at += 1
            if not value or value[0] == "#":
                found[key] = self.nested(indent)
                continue
            found[key] = self.scalar(value)
            if self.at < end and len(lines[self.at][0]) > indent:
                raise _Irregular  # a scalar continued on the next lines
        return found

    def nested(self, indent: int) -> Any:
        """The value of a key written alone on its line at ``indent``: a block below it, or null."""
        if self.at >= len(self.lines):
            return None
        spaces, dash, key, _value = self.lines[self.at]
        column = len(spaces)
        if dash and column >= indent:
            return self.sequence(column)
        if column > indent:
            if not key:
                raise _Irregular
            return self.mapping(column)
        return None

    def scalar(self, value: str) -> Any:
        """A value written on the rest of a line."""
        if not value:
            raise _Irregular  # a dash alone: its item is below it, or null
        first = value[0]
        if first in _INDICATORS:
            if first == "'":
                quoted = _SINGLE.fullmatch(value)
                if quoted is None:
                    raise _Irregular
                return quoted.group(1).replace("''", "'")
            if first == '"':
                quoted = _DOUBLE.fullmatch(value)
                if quoted is None:
                    raise _Irregular
                return quoted.group(1)
            if first in "[{":
                try:
                    return self.load(value)
                except Exception:  # noqa: BLE001 - whatever libyaml makes of it alone, it reads it in its place
                    raise _Irregular from None
            if first not in _PLAIN_STARTS or len(value) < 2 or value[1] == " ":
                raise _Irregular
        stop = _PLAIN_END.search(value)
        if stop is not None:
            if stop.group() != " #":
                raise _Irregular  # ": " inside a plain scalar is not YAML
            value = value[: stop.start()].rstrip(" ")
            if _PLAIN_END.search(value) is not None:
                raise _Irregular
        if first not in _TYPED_STARTS:
            return value
        if value in self.typed:
            return self.typed[value]
        tag = self.tag(value)
        if tag == _STR:
            built: Any = value
        elif tag in _BUILT:
            try:
                built = _CONSTRUCTOR.yaml_constructors[tag](_CONSTRUCTOR, yaml.ScalarNode(tag, value))
            except Exception:  # noqa: BLE001 - a date that cannot be: libyaml's reading fails the same way
                raise _Irregular from None
        else:
            raise _Irregular  # a merge key, "=", or another tag PyYAML would treat apart
        self.typed[value] = built
        return built

    @staticmethod
    def tag(value: str) -> str:
        for tag, pattern in _RESOLVERS.get(value[0], []):
            if pattern.match(value):
                return str(tag)
        return _STR


def block_items(lines: list[str], load: Any) -> list[Any] | None:
    """The items of a batch of block-sequence lines (the last ending in a newline), or None when irregular.

    ``load`` reads a one-line flow collection (``{type: date}``) as libyaml would.
    """
    text = "".join(lines)
    if not text.endswith("\n") or "\t" in text or "\r" in text:
        return None
    meaningful = [line for line in _LINE.findall(text) if line[1] or line[2] or line[3][:1] not in ("", "#")]
    if not meaningful:
        return None  # not a sequence at all (safe_load gives None)
    reader = _Reader(meaningful, load)
    try:
        items = reader.sequence(len(meaningful[0][0]))
    except (_Irregular, RecursionError):
        return None
    return items if reader.at == len(meaningful) else None
