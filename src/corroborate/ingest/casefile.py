"""Casefiles: a whole case as one YAML or JSON file, read with line numbers and written back.

Reading reports every problem at once (file, line, field path) and returns a
case only when there is none. Problem messages never quote a value from a
witness's ``restricted`` section, nor a key written there (an unknown key is
named by its position), nor the source line of a YAML syntax error. Messages
may still quote a value typed into another field; ``services`` redacts those
against every restricted value of the casefile.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, TypeAdapter, ValidationError

from corroborate.domain import (
    ID_FIELDS,
    Case,
    CaseInfo,
    Claim,
    Document,
    Excerpt,
    Interview,
    Progress,
    Proposition,
    Recommendation,
    Witness,
    case_problems,
    duplicate_ids,
    duplicate_keys,
    normalise_case,
)
from corroborate.domain.collector import paused_collector
from corroborate.errors import CasefileInvalid, Problem

from .casefilewriter import case_json_schema, dump_case, write_casefile
from .yamlfast import fast_data

__all__ = [
    "SECTIONS",
    "case_json_schema",
    "dump_case",
    "MergeFile",
    "parse_casefile",
    "parse_merge_casefile",
    "read_casefile",
    "read_casefile_text",
    "write_casefile",
]

# The list sections of a casefile, in the order they are written.
SECTIONS: dict[str, type[BaseModel]] = {
    "witnesses": Witness,
    "interviews": Interview,
    "documents": Document,
    "excerpts": Excerpt,
    "propositions": Proposition,
    "claims": Claim,
    "recommendations": Recommendation,
}
_TOP_LEVEL = {"version", "case", *SECTIONS}

Loc = tuple[str | int, ...]
Report = Callable[..., None]

# A key that looks like a field name is quoted back ("unknown field 'orign'"); any other key
# (a name, a phrase, Hangul: a restricted line that lost its indentation) is named by position.
_FIELD_LIKE = re.compile(r"[a-z][a-z0-9_]{0,40}")
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")


def _compose_with(loader_class: Any, text: str) -> tuple[yaml.Node | None, Any]:
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        return node, loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()


def _compose(text: str) -> tuple[Any, dict[Loc, int], list[tuple[Loc, int, int]]]:
    """Parse YAML (or JSON); record the 1-based line of every key and item, and keys written twice.

    libyaml composes; when it finds the text invalid, PyYAML's own parser reads
    it again for its plainer message.
    """
    try:
        node, data = _compose_with(yaml.CSafeLoader, text)
    except yaml.YAMLError:
        node, data = _compose_with(yaml.SafeLoader, text)
    twice = duplicate_keys(node)
    lines: dict[Loc, int] = {}

    def walk(n: yaml.Node, loc: Loc) -> None:
        lines.setdefault(loc, n.start_mark.line + 1)
        if isinstance(n, yaml.MappingNode):
            for key, value in n.value:
                child = (*loc, str(key.value))
                lines[child] = key.start_mark.line + 1
                walk(value, child)
        elif isinstance(n, yaml.SequenceNode):
            for i, item in enumerate(n.value):
                walk(item, (*loc, i))

    if node is not None:
        walk(node, ())
    return data, lines, twice


def _line(lines: Mapping[Loc, int], loc: Loc) -> int | None:
    for end in range(len(loc), -1, -1):
        if loc[:end] in lines:
            return lines[loc[:end]]
    return None


def _dotted(loc: Loc) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _position(container: Any, key: str | int) -> int:
    """1-based position of ``key`` among the keys of a mapping (0 when it cannot be found)."""
    if isinstance(container, Mapping):
        for n, candidate in enumerate(container, start=1):
            if str(candidate) == str(key):
                return n
    return 0


def _at(raw: Any, loc: tuple[str | int, ...]) -> Any:
    for part in loc:
        if isinstance(raw, Mapping):
            raw = next((v for k, v in raw.items() if str(k) == str(part)), None)
        elif isinstance(raw, list) and isinstance(part, int) and 0 <= part < len(raw):
            raw = raw[part]
        else:
            return None
    return raw


def _unknown_key(container: Any, loc: Loc, what: str) -> tuple[Loc, str]:
    """Where to report an unknown key and what to say; never its text unless it looks like a field name."""
    key = loc[-1]
    if "restricted" in loc[:-1] or not _FIELD_LIKE.fullmatch(str(key)):
        return loc[:-1], f"unknown key #{_position(container, key)}"
    return loc, f"unknown {what} {key!r}"


def _yaml_problem(exc: yaml.MarkedYAMLError) -> str:
    """The parser's problem without any text it quotes from the source (an alias, a tag, a token)."""

    def hide(match: re.Match[str]) -> str:
        inner = match.group()[1:-1]
        return match.group() if inner.startswith("<") or len(inner) <= 2 else "(not shown)"

    return _QUOTED.sub(hide, exc.problem or "syntax error")


def _message(error: Mapping[str, Any], loc: Loc) -> str:
    kind = error["type"]
    if kind == "missing":
        return "required field is missing"
    if "restricted" in loc:
        # Never echo a restricted value, not even inside a parser's message.
        return "invalid value (not shown: restricted field)"
    msg = str(error["msg"])
    return msg.removeprefix("Value error, ")


def _validate(model: type[BaseModel], raw: Any, loc: Loc, report: Report) -> Any:
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        for error in exc.errors(include_input=False, include_url=False):
            full = (*loc, *error["loc"])
            if error["type"] == "extra_forbidden" and error["loc"]:
                where, message = _unknown_key(_at(raw, error["loc"][:-1]), full, "field")
                report(where, message, line=full)
            else:
                report(full, _message(error, full))
        return None


_LISTS = {name: TypeAdapter(list[model]) for name, model in SECTIONS.items()}  # type: ignore[valid-type]


def _valid_list(section: str, raw_items: list[Any]) -> list[Any] | None:
    """A whole section validated in one call (a big casefile's sections are valid); None when any item is not."""
    try:
        return _LISTS[section].validate_python(raw_items)
    except ValidationError:
        return None  # each item again, to report each problem where it is


def parse_casefile(
    text: str, *, filename: str = "<casefile>", today: date | None = None, progress: Progress | None = None
) -> Case:
    """Validate casefile text; raise CasefileInvalid listing every problem.

    Dates that cannot be true are problems too (an interview after ``today``,
    by default the current day; a witness born after their interview).
    ``progress(done, total)`` follows the reading of the text (in characters).
    """
    with paused_collector():
        return _parse(text, filename=filename, today=today, partial=False, progress=progress).case


@dataclass(frozen=True)
class MergeFile:
    """A casefile read for a merge: records to add or update, ids to delete, and where each record was written."""

    case: Case
    deletions: dict[str, list[str]]
    filename: str
    text: str = field(repr=False)

    @cached_property
    def lines(self) -> Mapping[Loc, int]:
        """Where each key and item is written (read again only when a problem needs its line)."""
        return _compose(self.text)[1]

    def line(self, *loc: str | int) -> int | None:
        """The line of a record, a field of it or a section in the file (e.g. "claims", 2, "excerpt")."""
        return _line(self.lines, loc)


def parse_merge_casefile(
    text: str, *, filename: str = "<casefile>", today: date | None = None, case_id: str | None = None
) -> MergeFile:
    """Validate a casefile to merge into a stored case; raise CasefileInvalid listing every problem.

    It may hold only some records: the `case` section needs only the case's
    id, and references to records the case already holds are checked against
    the store when merging, not here. A `delete:` section lists ids to delete
    by section (e.g. `claims: [C-7]`). With ``case_id`` (the case a command
    works on) the `case` section may be left out, and must name it if given.
    """
    with paused_collector():
        return _parse(text, filename=filename, today=today, partial=True, case_id=case_id)


def _deletions(raw: Any, report: Report) -> dict[str, list[str]]:
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        report(("delete",), "must be a mapping of sections to lists of ids, e.g. `claims: [C-7]`")
        return {}
    found: dict[str, list[str]] = {}
    for section, ids in raw.items():
        if str(section) not in SECTIONS:
            where, message = _unknown_key(raw, ("delete", str(section)), "section")
            report(where, f"{message} (known: {', '.join(SECTIONS)})", line=("delete", str(section)))
        elif not isinstance(ids, list) or not all(isinstance(i, str) and i for i in ids):
            report(("delete", str(section)), "must be a list of ids")
        else:
            found[str(section)] = list(ids)
    return found


def _parse(
    text: str, *, filename: str, today: date | None, partial: bool, case_id: str | None = None,
    progress: Progress | None = None, fast: bool = True,
) -> MergeFile:  # fmt: skip
    """Read and check a casefile: first fast (in batches, no line numbers), and again with lines if it has problems."""
    problems: list[Problem] = []
    quick = fast_data(text, progress) if fast else None
    try:
        data, lines, twice = (quick, {}, []) if quick is not None else _compose(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        raise CasefileInvalid([Problem(filename, line, "", f"not valid YAML/JSON: {_yaml_problem(exc)}")]) from None
    except yaml.YAMLError:
        raise CasefileInvalid([Problem(filename, None, "", "not valid YAML/JSON")]) from None

    def report(loc: Loc, message: str, *, line: Loc | None = None) -> None:
        problems.append(Problem(filename, _line(lines, loc if line is None else line), _dotted(loc), message))

    for loc, first, second in twice:
        shown = loc if _FIELD_LIKE.fullmatch(str(loc[-1])) else loc[:-1]  # a name typed as a key is not shown
        what = f"key {loc[-1]!r}" if shown == loc else "a key"
        message = f"{what} is written twice (lines {first} and {second}): only the last would count"
        report(shown, message, line=loc)
    if not isinstance(data, dict):
        report((), "a casefile is a mapping with at least a `case` section")
        raise CasefileInvalid(problems)
    for key in data:
        if key not in _TOP_LEVEL and not (partial and key == "delete"):
            where, message = _unknown_key(data, (str(key),), "section")
            report(where, f"{message} (known: {', '.join(sorted(_TOP_LEVEL))})", line=(str(key),))
    if data.get("version", 1) != 1:
        report(("version",), "unsupported casefile version (this Corroborate reads version 1)")

    raw_info = data.get("case")
    if partial and "case" not in data and case_id is not None:
        raw_info = data["case"] = {"id": case_id}
    elif partial and case_id is not None and isinstance(raw_info, Mapping) and raw_info.get("id") != case_id:
        report(("case", "id"), f"names another case than {case_id!r}")
    if partial and isinstance(raw_info, Mapping) and "title" not in raw_info:  # the stored case keeps its own
        raw_info = {**raw_info, "title": "(merged)"}
    info = _validate(CaseInfo, raw_info, ("case",), report) if "case" in data else None
    deletions = _deletions(data.get("delete"), report) if partial else {}
    if "case" not in data:
        report(("case",), "required section is missing")
    sections: dict[str, list[Any]] = {}
    unreadable_ids: set[str] = set()
    for name, model in SECTIONS.items():
        raw_items = data.get(name) or []
        if not isinstance(raw_items, list):
            report((name,), "must be a list")
            continue
        sections[name] = []
        id_field = ID_FIELDS[name]
        raw_ids = [raw.get(id_field) if isinstance(raw, dict) else None for raw in raw_items]
        for problem in duplicate_ids(name, id_field, [str(v) if v is not None else None for v in raw_ids]):
            report(problem.path, problem.message)
        valid = _valid_list(name, raw_items)
        if valid is not None:
            sections[name] = list(enumerate(valid))
            continue
        for i, raw in enumerate(raw_items):
            item = _validate(model, raw, (name, i), report)
            if item is not None:
                sections[name].append((i, item))
            elif isinstance(raw, dict):
                unreadable_ids.update(str(raw[k]) for k in ("id", "key") if k in raw)

    whole = Case(
        case=info or CaseInfo(id="unnamed", title="unnamed"),
        **{name: [item for _, item in items] for name, items in sections.items()},
    )
    for problem in case_problems(whole, check_duplicates=False, today=today or date.today()):
        if problem.missing is not None and (partial or problem.missing in unreadable_ids):
            continue  # the referenced item has problems of its own, or (merging) may be in the store
        section, position, *rest = problem.path
        assert isinstance(section, str) and isinstance(position, int)
        original = sections[section][position][0]
        report((section, original, *rest), problem.message)

    for section, ids in deletions.items():
        written = {str(getattr(item, ID_FIELDS[section])) for _, item in sections.get(section, [])}
        for both in sorted(written & set(ids)):
            report(("delete", section), f"{both!r} is both written and deleted in this file")
    if problems and quick is not None:  # read it again, carefully, to say where each problem is
        return _parse(text, filename=filename, today=today, partial=partial, case_id=case_id,
                      fast=False)  # fmt: skip
    if problems:
        problems.sort(key=lambda p: (p.line is None, p.line or 0))
        raise CasefileInvalid(problems)
    if not partial:
        return MergeFile(normalise_case(whole), {}, filename, text)
    return MergeFile(whole, deletions, filename, text)


def read_casefile_text(path: str | Path) -> str:
    """The text of a casefile; CasefileInvalid (one problem, no content quoted) when it cannot be read."""
    file = Path(path)
    try:
        return file.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise CasefileInvalid([Problem(str(path), None, "", "file not found")]) from None
    except IsADirectoryError:
        raise CasefileInvalid([Problem(str(path), None, "", "a folder, not a casefile")]) from None
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise CasefileInvalid([Problem(str(path), None, "", f"cannot read file: {reason}")]) from None
    except UnicodeDecodeError as exc:
        message = f"not UTF-8 text (byte {exc.start + 1} is not); save the file as UTF-8"
        raise CasefileInvalid([Problem(str(path), None, "", message)]) from None


def read_casefile(path: str | Path, *, progress: Progress | None = None) -> Case:
    """Read and validate a casefile; raise CasefileInvalid listing every problem."""
    return parse_casefile(read_casefile_text(path), filename=str(path), progress=progress)
