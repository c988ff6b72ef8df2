"""Data files (standards of proof, citation styles, outlines): YAML read into a pydantic model.

One place for the rule every such file follows: a file that cannot be read,
is not UTF-8 or is not YAML is one clear error (naming the line, never
quoting it); a file that does not fit its model lists every problem with its
field path.
"""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from corroborate.errors import UserError

__all__ = ["duplicate_keys", "read_data_file", "validate_data"]

M = TypeVar("M", bound=BaseModel)


def validate_data(model: type[M], data: object, *, origin: str) -> M:
    """``data`` as ``model``; UserError listing every problem (``origin: field.path: message``)."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems = [
            f"{'.'.join(str(p) for p in e['loc']) or '(top)'}: {e['msg']}"
            for e in exc.errors(include_input=False, include_url=False)
        ]
        raise UserError(f"{origin} has {len(problems)} problem(s): " + "; ".join(problems)) from None


KeyPath = tuple[str | int, ...]


def duplicate_keys(node: yaml.Node | None, path: KeyPath = ()) -> list[tuple[KeyPath, int, int]]:
    """Every key written twice in one mapping, as (path of the key, first line, second line).

    YAML parsers keep the last and drop the first without a word; a careful
    reader would want to know.
    """
    found: list[tuple[KeyPath, int, int]] = []
    if isinstance(node, yaml.MappingNode):
        first: dict[str, int] = {}
        for key, value in node.value:
            name = str(key.value)
            line = key.start_mark.line + 1
            if name in first:
                found.append(((*path, name), first[name], line))
            else:
                first[name] = line
            found += duplicate_keys(value, (*path, name))
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            found += duplicate_keys(item, (*path, i))
    return found


def _load(text: str) -> object:
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        twice = duplicate_keys(node)
        if twice:
            where = "; ".join(f"{'.'.join(map(str, p))} on lines {a} and {b}" for p, a, b in twice)
            raise ValueError(f"a key is written twice, and only the last would count: {where}")
        return loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()


def read_data_file(model: type[M], path: str | Path, *, what: str) -> M:
    """Read a YAML file as ``model``; ``what`` names it in errors ("outline", "citation style")."""
    file = Path(path)
    try:
        data = _load(file.read_bytes().decode("utf-8"))
    except OSError as exc:
        raise UserError(f"cannot read {what} {file}: {exc.strerror or type(exc).__name__}") from None
    except UnicodeDecodeError as exc:
        raise UserError(f"{what} {file} is not UTF-8 text (byte {exc.start + 1} is not)") from None
    except yaml.MarkedYAMLError as exc:
        # The problem and the line, not the parser's excerpt of the source.
        mark = exc.problem_mark or exc.context_mark
        line = f", line {mark.line + 1}" if mark is not None else ""
        raise UserError(f"{what} {file} is not valid YAML{line}: {exc.problem or 'syntax error'}") from None
    except yaml.YAMLError:
        raise UserError(f"{what} {file} is not valid YAML") from None
    except ValueError as exc:
        raise UserError(f"{what} {file}: {exc}") from None
    return validate_data(model, data, origin=f"{what} {file}")
