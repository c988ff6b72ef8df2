"""Reading a big casefile fast and in little memory: section by section, a batch of items at a time, in C.

A casefile as people and Corroborate write it is block YAML: top-level keys
at the start of a line, each list section a run of `- ` items. Such a text is
cut at item boundaries and each batch is read by libyaml (PyYAML's C parser),
so no tree of the whole document is ever held, progress is reported as the
bytes are read, and Ctrl-C is honoured between batches. JSON goes to the
standard library's parser. Anything else — flow style at the top, document
markers, anchors used across items, a key written twice — is left to the
careful reader (``None``), which reports every problem with its line.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import yaml

from corroborate.domain import Progress

from .blockyaml import UNPLAIN as _UNPLAIN
from .blockyaml import block_items

__all__ = ["fast_data"]

_BATCH = 4000  # lines per batch: big enough to amortise the parser, small enough to stay light
_TOP_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*:(\s|$)")
_ITEM = re.compile(r"( *)- ")


class _Twice(Exception):
    """A key is written twice in one mapping."""


_STR, _MAP, _SEQ = "tag:yaml.org,2002:str", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"
_MERGE = "tag:yaml.org,2002:merge"
# First characters of the plain scalars YAML reads as something other than a string (numbers, true/no, ~, dates).
_TYPED = frozenset(k for k in yaml.SafeLoader.yaml_implicit_resolvers if k)


class _Loader(yaml.CSafeLoader):
    """libyaml's parser with a lean build of the data, refusing keys written twice (the careful reader says where).

    Strings, mappings and lists, which are nearly all of a casefile, are built
    here; every other node (numbers, booleans, dates, merge keys, tags) goes to
    PyYAML's safe constructor, so the data is what ``yaml.safe_load`` gives.
    """

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        # A quoted scalar, or a plain one whose first character starts no implicit type, is a string.
        if kind is yaml.ScalarNode and ((not implicit[0] and implicit[1]) or (value and value[0] not in _TYPED)):
            return _STR
        return super().resolve(kind, value, implicit)  # type: ignore[no-untyped-call]

    def construct_document(self, node: yaml.Node) -> Any:
        return self._build(node)

    def _build(self, node: yaml.Node) -> Any:
        tag = node.tag
        if tag == _STR:
            return node.value
        if tag == _MAP and not any(k.tag == _MERGE for k, _v in node.value):
            built: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                key = self._build(key_node)
                if key in built:
                    raise _Twice
                built[key] = self._build(value_node)
            return built
        if tag == _SEQ:
            return [self._build(item) for item in node.value]
        return self.construct_object(node, deep=True)


def _load(text: str) -> Any:
    loader = _Loader(text)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


def _json(text: str) -> Any:
    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        found = dict(items)
        if len(found) != len(items):
            raise _Twice
        return found

    return json.loads(text, object_pairs_hook=pairs)


def _blocks(lines: list[str]) -> list[tuple[int, int]] | None:
    """(first, end) line ranges of the top-level keys; None when the text is not plain block YAML."""
    first = next((n for n, line in enumerate(lines) if line.strip() and not line.startswith("#")), None)
    if first is None or lines[first][0].isspace():
        return None  # nothing, or something indented before the first key
    starts = []
    for n in [n for n, line in enumerate(lines) if not line[0].isspace() and line[0] != "#"]:  # at the margin
        line = lines[n]
        if line.startswith(("---", "...", "%")):
            return None
        if not line.startswith("- "):
            if not _TOP_KEY.match(line):
                return None
            starts.append(n)
    return [(s, e) for s, e in zip(starts, [*starts[1:], len(lines)], strict=True)]


def _items(lines: list[str], first: int, end: int) -> list[tuple[int, int]] | None:
    """Batches of whole `- ` items of a list section (lines first+1..end), dedented; None when irregular."""
    body = [n for n in range(first + 1, end) if lines[n].strip() and not lines[n].lstrip().startswith("#")]
    if not body:
        return []
    match = _ITEM.match(lines[body[0]])
    if match is None:
        return None
    indent = match.group(1)
    batches, start = [], body[0]
    for n in body:
        line = lines[n]
        if not line.startswith(indent):
            return None
        if line.startswith(indent + "- ") and n - start >= _BATCH:
            batches.append((start, n))
            start = n
    batches.append((start, end))
    return batches


def _cuts(lines: list[str], first: int, end: int) -> list[tuple[int, int]] | None:
    """Batches of about ``_BATCH`` lines of a list section, each starting at an item; found without reading
    every line (``block_items`` checks them). None when the section does not start with an item."""
    start = next((n for n in range(first + 1, end) if lines[n].strip() and not lines[n].lstrip().startswith("#")), end)
    if start == end:
        return None
    match = _ITEM.match(lines[start])
    if match is None:
        return None
    dash = match.group(1) + "- "
    batches = []
    cut = start + _BATCH
    while cut < end:
        while cut < end and not lines[cut].startswith(dash):
            cut += 1
        batches.append((start, cut))
        start, cut = cut, cut + _BATCH
    if start < end:
        batches.append((start, end))
    return batches


def _quick_items(
    lines: list[str], first: int, end: int, cuts: list[tuple[int, int]], advance: Callable[[int], None]
) -> list[Any] | None:
    """The items of a list section, each batch read by ``block_items`` or, when it refuses one, by libyaml.

    A batch ``block_items`` reads is a block sequence at the section's indentation; when it refuses one,
    the section must be regular (``_items``, whose cuts are the same) for libyaml to read that batch
    alone, else None: the section is read whole, as before.
    """
    items: list[Any] = []
    checked = False
    for start, stop in cuts:
        chunk = lines[start:stop]
        part = block_items(chunk, _load)
        if part is None:
            if not checked and _items(lines, first, end) != cuts:
                return None
            checked = True
            part = _library_items(lines, [(start, stop)], lambda _n: None)
        items += part
        advance(sum(map(len, chunk)))
    return items


def _library_items(lines: list[str], batches: list[tuple[int, int]], advance: Callable[[int], None]) -> list[Any]:
    """The items of a list section read by libyaml, a batch at a time."""
    items: list[Any] = []
    for start, stop in batches:
        chunk = lines[start:stop]
        indent = len(chunk[0]) - len(chunk[0].lstrip(" "))
        part = _load("".join(line[indent:] if line.startswith(" " * indent) else line for line in chunk))
        if not isinstance(part, list):
            raise ValueError("not a list")
        items += part
        advance(sum(map(len, chunk)))
    return items


def fast_data(text: str, progress: Progress | None = None) -> Any | None:
    """The data of a casefile text, read in batches; None when it must be read whole (the careful reader)."""
    total = len(text)
    report = progress or (lambda _done, _total: None)
    report(0, total)
    done = shown = 0

    def advance(characters: int) -> None:
        nonlocal done, shown
        done += characters
        if done > shown:  # a section read again by libyaml does not go back
            shown = done
            report(done, total)

    try:
        if text.lstrip().startswith(("{", "[")):
            parsed = _json(text)
            report(total, total)
            return parsed
        lines = text.splitlines(keepends=True)
        blocks = _blocks(lines)
        if blocks is None:
            return None
        data: dict[str, Any] = {}
        plain = _UNPLAIN.search(text) is None  # line breaks only "\n", nothing the reader refuses
        for first, end in blocks:
            header = lines[first]
            key = header.split(":", 1)[0]
            if key in data:
                return None
            rest = header.split(":", 1)[1].strip()
            listed = not rest or rest.startswith("#")
            cuts = _cuts(lines, first, end) if listed and plain else None
            before = done
            items = _quick_items(lines, first, end, cuts, advance) if cuts else None
            if items is not None:
                advance(sum(map(len, lines[first : cuts[0][0] if cuts else end])))
                data[key] = items
                continue
            done = before
            batches = _items(lines, first, end) if listed else None
            if batches is None:  # a scalar or a mapping section (case, version, delete): read as it is
                data.update(_load("".join(lines[first:end])) or {})
                advance(sum(map(len, lines[first:end])))
                continue
            data[key] = _library_items(lines, batches, advance) if batches else None
            advance(sum(map(len, lines[first : batches[0][0] if batches else end])))
        report(total, total)
        return data
    except (yaml.YAMLError, _Twice, ValueError, TypeError):
        return None
