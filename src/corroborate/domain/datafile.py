"""Data files (law books, thesauri, gazetteers, standards of proof, citation styles, outlines): YAML read
into a pydantic model.

One place for the rule every such file follows: a file that cannot be read,
is not UTF-8 or is not YAML is one clear error (naming the line, never
quoting it); a file that does not fit its model lists every problem with its
field path. Both are ``DataFileInvalid``. Files shipped with Corroborate are
read the same way (``shipped_yaml``).
"""

from __future__ import annotations

import functools
from importlib import resources
from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from corroborate.errors import DataFileInvalid, Problem

__all__ = ["duplicate_keys", "read_data_file", "read_yaml", "shipped_yaml", "validate_data"]

M = TypeVar("M", bound=BaseModel)


def validate_data(model: type[M], data: object, *, origin: str) -> M:
    """``data`` as ``model``; DataFileInvalid listing every problem (``origin: field.path: message``)."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems = [
            Problem(origin, None, ".".join(str(p) for p in e["loc"]), e["msg"])
            for e in exc.errors(include_input=False, include_url=False)
        ]
    summary = f"{origin} has {len(problems)} problem(s): " + "; ".join(f"{p.path or '(top)'}: {p.message}"
                                                                      for p in problems)  # fmt: skip
    raise DataFileInvalid(origin, problems, summary=summary)


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


def read_yaml(path: str | Path, *, what: str) -> object:
    """The data of a YAML file; ``what`` names it in errors ("law book", "thesaurus")."""
    file = Path(path)

    def invalid(message: str, line: int | None = None) -> DataFileInvalid:
        return DataFileInvalid(what, [Problem(str(file), line, "", message)], summary=message)

    try:
        return _load(file.read_bytes().decode("utf-8"))
    except OSError as exc:
        raise invalid(f"cannot read {what} {file}: {exc.strerror or type(exc).__name__}") from None
    except UnicodeDecodeError as exc:
        raise invalid(f"{what} {file} is not UTF-8 text (byte {exc.start + 1} is not)") from None
    except yaml.MarkedYAMLError as exc:
        # The problem and the line, not the parser's excerpt of the source.
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        where = f", line {line}" if line is not None else ""
        raise invalid(f"{what} {file} is not valid YAML{where}: {exc.problem or 'syntax error'}", line) from None
    except yaml.YAMLError:
        raise invalid(f"{what} {file} is not valid YAML") from None
    except ValueError as exc:
        raise invalid(f"{what} {file}: {exc}") from None


@functools.cache
def shipped_yaml(package: str, name: str) -> object:
    """The data of a YAML file shipped inside a Corroborate package (read once), checked like any other."""
    resource = resources.files(package).joinpath(name)
    try:
        return _load(resource.read_text(encoding="utf-8"))
    except (yaml.YAMLError, ValueError) as exc:
        raise DataFileInvalid(name, [Problem(f"{package}/{name}", None, "", str(exc))]) from None


def read_data_file(model: type[M], path: str | Path, *, what: str) -> M:
    """Read a YAML file as ``model``; ``what`` names it in errors ("outline", "citation style")."""
    return validate_data(model, read_yaml(path, what=what), origin=f"{what} {Path(path)}")
