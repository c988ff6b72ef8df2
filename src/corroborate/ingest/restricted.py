"""The restricted values of a casefile, read from its raw text whether or not it is valid.

Messages about a casefile are redacted against these values, so they must be
found even in a file that does not validate or is not even YAML. The reading
errs on the side of finding too much: every string (and every unknown key)
under any ``restricted`` key at any depth, restricted fields written at the
wrong level of a witness, and every value on the lines indented under a
``restricted:`` line. It never raises, and what it returns must never be
printed or logged.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import yaml

from corroborate.domain import RestrictedIdentity, Witness

__all__ = ["RestrictedValues", "restricted_values"]

_FIELDS = frozenset(RestrictedIdentity.model_fields) - {"invented"}
_SINGLE = ("name", "name_hangul", "birth_date", "current_location")
# Restricted fields a witness has no field of its own for: written one level too high, still restricted.
_MISPLACED = _FIELDS - frozenset(Witness.model_fields)
_RESTRICTED_LINE = re.compile(r"^(?P<indent>[ \t]*)(?:-[ \t]+)?(?P<q>['\"]?)restricted(?P=q)[ \t]*:(?P<rest>.*)$")
_COMMENT = re.compile(r"(?:^|[ \t])#.*$")
_NOT_VALUES = frozenset({"", "|", ">", "|-", ">-", "|+", ">+", "~", "null", "true", "false", "[]", "{}"})

Found = list[tuple[str | None, str]]  # (restricted field, or None when unknown; value)


@dataclass(frozen=True)
class RestrictedValues:
    """Restricted values by witness (a stand-in label when the pseudonym is unreadable)."""

    identities: dict[str, RestrictedIdentity]
    values: tuple[str, ...]  # every value found, as written


def _text(value: Any) -> str | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (str, int, float)):
        text = str(value).strip()
        return text if text.lower() not in _NOT_VALUES else None
    return None


def _collect(node: Any, field: str | None, found: Found) -> None:
    """Every scalar under a restricted section, and every key that is not a restricted field."""
    if isinstance(node, Mapping):
        for key, value in node.items():
            name = _text(key)
            if name == "invented":
                continue
            if name is not None and name not in _FIELDS:
                found.append((None, name))
            _collect(value, field or (name if name in _FIELDS else None), found)
    elif isinstance(node, list):
        for item in node:
            _collect(item, field, found)
    else:
        text = _text(node)
        if text is not None:
            found.append((field, text))


def _walk(node: Any, found: Found) -> None:
    """Restricted sections anywhere outside the witnesses list."""
    if isinstance(node, Mapping):
        for key, value in node.items():
            if _text(key) == "restricted":
                _collect(value, None, found)
            else:
                _walk(value, found)
    elif isinstance(node, list):
        for item in node:
            _walk(item, found)


def _from_data(data: Any) -> dict[str, Found]:
    by_witness: dict[str, Found] = {}
    if not isinstance(data, Mapping):
        return by_witness
    witnesses = data.get("witnesses")
    for n, witness in enumerate(witnesses if isinstance(witnesses, list) else []):
        if not isinstance(witness, Mapping):
            continue
        label = witness.get("id") if isinstance(witness.get("id"), str) else f"witnesses[{n}]"
        found = by_witness.setdefault(str(label), [])
        for part in (witness, witness.get("descriptor")):
            if not isinstance(part, Mapping):
                continue
            for key, value in part.items():
                name = _text(key)
                if name == "restricted":
                    _collect(value, None, found)
                elif name in _MISPLACED:
                    _collect(value, name, found)
    rest: Found = []
    _walk({k: v for k, v in data.items() if k != "witnesses"}, rest)
    if rest:
        by_witness.setdefault("restricted", []).extend(rest)
    return by_witness


def _parse(text: str) -> Any:
    try:
        return yaml.safe_load(text)
    except (yaml.YAMLError, ValueError, TypeError, RecursionError):
        return None


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" \t"))


def _pairs(body: str, field: str | None = None) -> Iterator[tuple[str | None, str]]:
    """(field, value) pairs of one line of YAML-ish text; a key that is no restricted field is a value too."""
    body = body.strip()
    while body.startswith(("- ", "-\t")):
        body = body[2:].strip()
    if body[:1] in ("[", "{"):
        for part in re.split(r"[,\[\]{}]", body):
            yield from _pairs(part, field)
        return
    key, sep, value = body.partition(":")
    key = key.strip().strip("'\"")
    if sep and key and (not value or value[0].isspace()):  # not the colon of a URL or a time
        if key == "invented":
            return
        if key in _FIELDS:
            field = key
        else:
            yield None, key
        body = value.strip()
        if body[:1] in ("[", "{"):
            yield from _pairs(body, field)
            return
    cleaned = _text(body.strip("'\""))
    if cleaned is not None:
        yield field, cleaned


def _from_lines(text: str) -> Found:
    """Values on the lines under every `restricted:` line, by indentation alone (YAML or not)."""
    found: Found = []
    lines = [line.expandtabs(8) for line in text.splitlines()]
    for n, line in enumerate(lines):
        match = _RESTRICTED_LINE.match(line)
        if match is None:
            continue
        found.extend(_pairs(_COMMENT.sub("", match.group("rest"))))
        base = len(match.group("indent"))
        field, field_indent = None, base
        for following in lines[n + 1 :]:
            body = _COMMENT.sub("", following)
            if not body.strip():
                continue
            indent = _indent(body)
            if indent <= base:
                break
            if indent <= field_indent:
                field = None  # a new key: the list under the last one has ended
            pairs = list(_pairs(body, field if body.strip().startswith("-") else None))
            found.extend(pairs)
            key = body.strip().split(":", 1)[0].strip()
            if key in _FIELDS and body.rstrip().endswith(":"):
                field, field_indent = key, indent
    return found


def _identity(found: Found) -> RestrictedIdentity:
    """A lenient identity for the leak scanner: known fields in place, anything else as alias and note."""
    fields: dict[str, Any] = {"aliases": [], "contacts": []}
    notes: list[str] = []
    for field, value in found:
        if field in ("aliases", "contacts"):
            fields[field].append(value)
        elif field in _SINGLE and field not in fields:
            fields[field] = value
        elif field == "notes":
            notes.append(value)
        else:
            fields["aliases"].append(value)
            notes.append(value)
    if notes:
        fields["notes"] = "\n".join(notes)
    return RestrictedIdentity.model_construct(**fields)


def restricted_values(text: str) -> RestrictedValues:
    """Every restricted value a casefile's text holds, found however broken the text is."""
    by_witness = _from_data(_parse(text))
    lines = _from_lines(text)
    if lines:
        by_witness.setdefault("restricted lines", []).extend(lines)
    identities = {label: _identity(found) for label, found in by_witness.items() if found}
    values = tuple(dict.fromkeys(value for found in by_witness.values() for _, value in found))
    return RestrictedValues(identities, values)
