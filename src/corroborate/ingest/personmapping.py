"""Which column of an organisation's person list gives which field: a small YAML mapping file per list.

A mapping names its data file (a CSV or an XLSX workbook, relative to the mapping), the list's name, the
sheet and header row, how the file writes dates, the source column of each field, the values the list uses
for sex, and the other columns kept as free attributes. It is checked as a whole: every problem is listed,
with the mapping's line. A data file given without a mapping is read with the default columns (each field
from the column of its own name). Problems name keys and the mapping's own text, never a list's cell.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from corroborate.domain import read_yaml
from corroborate.errors import DataFileInvalid, Problem

__all__ = [
    "DATE_FIELDS",
    "DEFAULT_SEX_VALUES",
    "FIELDS",
    "NAME_FIELDS",
    "ListMapping",
    "default_mapping",
    "iso_date",
    "list_name",
    "read_mapping",
    "sex_key",
]

# Every record handed on has these keys ("" where the list does not say), plus its list's attributes.
FIELDS = ("record_id", "name", "family_name", "given_name", "hangul_name", "sex", "birth_year", "age",
          "interview_date", "origin", "crossing", "arrest", "repatriation")  # fmt: skip
NAME_FIELDS = ("name", "family_name", "given_name", "hangul_name")
DATE_FIELDS = ("interview_date", "crossing", "arrest", "repatriation")
MAPPING_SUFFIXES = (".yaml", ".yml")
XLSX_SUFFIXES = (".xlsx", ".xlsm")
# How lists write sex when their mapping gives no ``sex_values``; matched by ``sex_key``.
DEFAULT_SEX_VALUES = {"m": "M", "male": "M", "man": "M", "남": "M", "남자": "M", "남성": "M",
                      "f": "F", "female": "F", "woman": "F", "여": "F", "여자": "F", "여성": "F"}  # fmt: skip


def sex_key(written: str) -> str:
    """A sex value as looked up in a map: width-folded, trimmed, in lower case ("Male " and "male" are one)."""
    return unicodedata.normalize("NFKC", written).strip().casefold()


# ISO 8601 at any precision; a time after a whole date is dropped (a workbook's date cell may carry one).
_ISO_DATE = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?)?)?")
_YEARS = range(1850, 2101)


def iso_date(text: str, *, date_format: str | None = None) -> str | None:
    """A date as a list writes it, in ISO 8601 at the precision written (2008-03-01, 2008-03 or 2008), from
    ISO or from ``date_format`` (a strptime format); None when it is neither, or its year is before 1850."""
    text = text.strip()
    if date_format:
        try:
            when = datetime.strptime(text, date_format).date()
        except ValueError:
            pass
        else:
            return when.isoformat() if when.year in _YEARS else None
    found = _ISO_DATE.fullmatch(text)
    if found is None or int(found.group(1)) not in _YEARS:
        return None
    year, month, day = found.groups()
    try:
        if day:
            return date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return None
    if month:
        return f"{year}-{int(month):02d}" if 1 <= int(month) <= 12 else None
    return year


def _ages_at(value: object) -> object:
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if isinstance(value, str):
        found = iso_date(value)
        if found is None:
            raise ValueError("not a date (2008-03-01, 2008-03 or 2008)")
        return found
    return value


def _text_key(value: object) -> object:
    # YAML reads `1: M` and a column called 2019 as numbers; a mapping means the text.
    return str(value) if isinstance(value, int | float) and not isinstance(value, bool) else value


def _column(value: object) -> object:
    value = _text_key(value)
    if isinstance(value, str):
        value = unicodedata.normalize("NFC", value).strip()
        if not value:
            raise ValueError("an empty column name")
    return value


Column = Annotated[str, BeforeValidator(_column)]


class _Columns(BaseModel):
    """The source column of each field (a column's name as its header writes it)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    record_id: Column
    name: Column | None = None
    family_name: Column | None = None
    given_name: Column | None = None
    hangul_name: Column | None = None
    sex: Column | None = None
    birth_year: Column | None = None
    age: Column | None = None
    interview_date: Column | None = None
    origin: Column | None = None
    crossing: Column | None = None
    arrest: Column | None = None
    repatriation: Column | None = None


def _sex_values(value: object) -> object:
    if isinstance(value, Mapping):
        return {_text_key(k): v for k, v in value.items()}
    return value


class _MappingFile(BaseModel):
    """The YAML as written (see docs/linkage.md, "Person lists: columns, mapping, spreadsheets")."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=False)

    list_name: Annotated[str | None, Field(alias="list", min_length=1, max_length=100,
                                           pattern=r"^[^\x00-\x1f]*\S[^\x00-\x1f]*$")] = None  # fmt: skip
    file: Annotated[str, Field(min_length=1)]
    sheet: Column | None = None
    header_row: Annotated[int, Field(ge=1)] = 1
    delimiter: Annotated[str, Field(min_length=1, max_length=1)] = ","
    date_format: Annotated[str, Field(min_length=2)] | None = None
    columns: _Columns
    ages_at: Annotated[str | None, BeforeValidator(_ages_at)] = None
    sex_values: Annotated[dict[str, Literal["M", "F"] | None], BeforeValidator(_sex_values)] | None = None
    attributes: list[Column] = []


@dataclass(frozen=True)
class ListMapping:
    """How to read one list: from which file and sheet, which column gives which field (``columns``: field
    to header; None for a data file given alone, read by the default columns), how dates are written and
    the sex values (written, as ``sex_key`` makes it, to "M", "F" or "" for unknown)."""

    list_name: str
    data: Path
    source: Path | None = None  # the mapping file, when there is one
    sheet: str | None = None
    header_row: int = 1
    delimiter: str = ","
    date_format: str | None = None
    columns: dict[str, str] | None = None
    ages_at: str | None = None
    sex_values: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_SEX_VALUES))
    attributes: tuple[str, ...] = ()
    lines: dict[tuple[str | int, ...], int] = field(default_factory=dict)

    @property
    def is_xlsx(self) -> bool:
        """Whether the data file is a workbook (by its name's ending)."""
        return self.data.suffix.lower() in XLSX_SUFFIXES

    def line(self, *loc: str | int) -> int | None:
        """The mapping's line of a key (or of the nearest key above it); None without a mapping."""
        while loc:
            if loc in self.lines:
                return self.lines[loc]
            loc = loc[:-1]
        return None

    def problem(self, message: str, *loc: str | int) -> Problem:
        """A problem of the mapping file, at the line of ``loc``."""
        return Problem(str(self.source or self.data), self.line(*loc), ".".join(map(str, loc)), message)


def list_name(path: Path) -> str:
    """A list's name from a file's name: the stem without a leading ``list-`` (``list-A.csv`` is list A)."""
    stem = path.stem
    return stem[len("list-") :] if stem.startswith("list-") and len(stem) > len("list-") else stem


def default_mapping(path: Path) -> ListMapping:
    """How a CSV or XLSX given without a mapping is read: each field from the column of its own name."""
    return ListMapping(list_name(path), path)


def _key_lines(node: yaml.Node | None, path: tuple[str | int, ...] = ()) -> dict[tuple[str | int, ...], int]:
    found: dict[tuple[str | int, ...], int] = {}
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            here = (*path, str(key.value))
            found[here] = key.start_mark.line + 1
            found.update(_key_lines(value, here))
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            found[(*path, i)] = item.start_mark.line + 1
            found.update(_key_lines(item, (*path, i)))
    return found


def _message(error: Any) -> str:
    if error["type"] == "extra_forbidden":
        known = _Columns.model_fields if error["loc"][:1] == ("columns",) else _MappingFile.model_fields
        return "unknown key; the keys are " + ", ".join(info.alias or key for key, info in known.items())
    if error["type"] == "missing":
        return "missing; it is required"
    return str(error["msg"])


def _date_format_works(text: str) -> bool:
    sample = datetime(2001, 11, 23)
    try:
        return datetime.strptime(sample.strftime(text), text).date() == sample.date()
    except ValueError:
        return False


def _check(raw: _MappingFile, mapping: ListMapping) -> list[Problem]:
    """What pydantic cannot see field by field: fields that go together, and the data file's kind."""
    found: list[Problem] = []
    columns = raw.columns
    suffix = Path(raw.file).suffix.lower()
    if suffix == ".xls":
        found.append(mapping.problem("an old Excel file (.xls) cannot be read: save it as .xlsx or CSV", "file"))
    elif suffix in MAPPING_SUFFIXES:
        found.append(mapping.problem("the data file is a CSV or an XLSX workbook, not another mapping", "file"))
    if raw.sheet is not None and suffix not in XLSX_SUFFIXES:
        found.append(mapping.problem("a sheet is only chosen in an XLSX workbook", "sheet"))
    if "delimiter" in raw.model_fields_set and suffix in XLSX_SUFFIXES:
        found.append(mapping.problem("a delimiter is only for a CSV file", "delimiter"))
    if raw.date_format is not None and not _date_format_works(raw.date_format):
        found.append(mapping.problem("not a date format that writes and reads back a whole date (e.g. %d/%m/%Y)",
                                     "date_format"))  # fmt: skip
    if not any(getattr(columns, name) for name in NAME_FIELDS):
        found.append(mapping.problem("no name column: map name, or family_name and given_name, or hangul_name",
                                     "columns"))  # fmt: skip
    if columns.name and (columns.family_name or columns.given_name):
        found.append(mapping.problem("map either name or family_name and given_name, not both", "columns", "name"))
    if columns.age and not columns.interview_date and raw.ages_at is None:
        found.append(mapping.problem("an age needs the date it was given at: map columns.interview_date or set "
                                     "ages_at", "columns", "age"))  # fmt: skip
    if raw.ages_at is not None and columns.interview_date:
        found.append(mapping.problem("set ages_at or map columns.interview_date, not both", "ages_at"))
    if raw.ages_at is not None and not columns.age:
        found.append(mapping.problem("ages_at is the date of the ages, but no age column is mapped", "ages_at"))
    if raw.sex_values is not None and not columns.sex:
        found.append(mapping.problem("sex_values, but no sex column is mapped", "sex_values"))
    keys: dict[str, str] = {}
    for written in raw.sex_values or {}:
        key = sex_key(written)
        if not key:
            found.append(mapping.problem("an empty sex value (an empty cell is already unknown)", "sex_values"))
        elif key in keys:
            found.append(mapping.problem(f"{written!r} and {keys[key]!r} are one value (case and width are ignored)",
                                         "sex_values", written))  # fmt: skip
        keys[key] = written
    mapped = {column: name for name, column in columns.model_dump(exclude_none=True).items()}
    seen: set[str] = set()
    for i, column in enumerate(raw.attributes):
        if column in seen:
            found.append(mapping.problem("this attribute is listed twice", "attributes", i))
        elif column in mapped:
            found.append(mapping.problem(f"this column is mapped to {mapped[column]} already", "attributes", i))
        elif column in FIELDS:
            found.append(mapping.problem("an attribute may not be called like a field; map it under columns",
                                         "attributes", i))  # fmt: skip
        seen.add(column)
    return found


def read_mapping(path: Path, problems: list[Problem]) -> ListMapping | None:
    """The mapping file at ``path``; None, with its problems added to ``problems``, when it has any."""
    try:
        data = read_yaml(path, what="person list mapping")
    except DataFileInvalid as exc:
        problems.extend(exc.problems)
        return None
    try:
        lines = _key_lines(yaml.compose(path.read_text(encoding="utf-8")))
    except (OSError, yaml.YAMLError):  # read a moment ago; lines are only a help
        lines = {}
    blank = ListMapping(list_name(path), path, source=path, lines=lines)
    if not isinstance(data, Mapping):
        problems.append(blank.problem("a mapping file is a YAML mapping of keys (file, columns, ...)"))
        return None
    try:
        raw = _MappingFile.model_validate(data)
    except ValidationError as exc:
        problems.extend(blank.problem(_message(e), *e["loc"])
                        for e in exc.errors(include_input=False, include_url=False))  # fmt: skip
        return None
    mapping = ListMapping(
        raw.list_name.strip() if raw.list_name else list_name(path),
        path.parent / Path(raw.file).expanduser(),
        source=path,
        sheet=raw.sheet,
        header_row=raw.header_row,
        delimiter=raw.delimiter,
        date_format=raw.date_format,
        columns=raw.columns.model_dump(exclude_none=True),
        ages_at=raw.ages_at,
        sex_values={sex_key(k): v or "" for k, v in raw.sex_values.items()} if raw.sex_values is not None
        else dict(DEFAULT_SEX_VALUES),
        attributes=tuple(raw.attributes),
        lines=lines,
    )  # fmt: skip
    found = _check(raw, mapping)
    problems.extend(found)
    return None if found else mapping
