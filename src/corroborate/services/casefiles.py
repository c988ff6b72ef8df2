"""Casefiles as the user meets them: read with every message redacted, outputs written whole or not at all.

A casefile's problem messages may quote what was typed into a field; each
one is redacted against every restricted value the casefile holds, read from
its raw text so that a broken casefile's messages are redacted too. An error
raised while a service holds a case's identities is redacted against those
(``redact_error``). Also here, so that the edges need nothing below
``services``: the casefile schema, and the place and country vocabulary
casefiles are written in.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import os
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from corroborate.domain import Case, Gazetteer, Place, Progress
from corroborate.domain import country_name as _country_name
from corroborate.errors import CasefileInvalid, CorroborateError, OutputExists, OutputFailed, Problem
from corroborate.ingest import case_json_schema, parse_casefile, read_casefile_text, restricted_values
from corroborate.publish import Redactor

__all__ = [
    "csv_text",
    "case_redactor",
    "check_output",
    "casefile_redactor",
    "casefile_schema",
    "country_name",
    "lookup_place",
    "read_casefile",
    "redact_error",
    "write_output",
    "write_output_bytes",
]

E = TypeVar("E", bound=CorroborateError)


def casefile_redactor(text: str) -> Redactor:
    """A redactor for every restricted value in a casefile's text, valid or not."""
    found = restricted_values(text)
    return Redactor(found.identities, values=found.values)


def case_redactor(case: Case) -> Redactor:
    """A redactor for every restricted value of a loaded case."""
    return Redactor({w.id: w.restricted for w in case.witnesses if w.restricted is not None})


def _redacted(value: Any, redactor: Redactor) -> Any:
    if isinstance(value, str):
        return redactor.redact(value)
    if isinstance(value, Problem):
        return dataclasses.replace(value, path=redactor.redact(value.path), message=redactor.redact(value.message))
    if isinstance(value, (list, tuple)):
        return type(value)(_redacted(v, redactor) for v in value)
    return value


def redact_error(error: E, redactor: Redactor) -> E:
    """The same error, its message and every text it carries redacted; no link to the original."""
    clone = type(error).__new__(type(error))
    clone.__dict__.update({name: _redacted(value, redactor) for name, value in vars(error).items()})
    clone.args = tuple(_redacted(arg, redactor) for arg in error.args)
    return clone


def read_casefile(path: str | Path, *, progress: Progress | None = None) -> Case:
    """Read and validate a casefile; CasefileInvalid lists every problem, restricted values redacted.

    ``progress(done, total)`` follows the reading (in characters of the text).
    """
    text = read_casefile_text(path)
    try:
        return parse_casefile(text, filename=str(path), progress=progress)
    except CasefileInvalid as exc:
        failure = exc
    # Raised outside the handler, so the redacted error keeps no reference to the original.
    error = redact_error(failure, casefile_redactor(text))
    del failure
    raise error


def casefile_schema() -> dict[str, Any]:
    """The JSON Schema of the casefile format."""
    return case_json_schema()


def lookup_place(name: str) -> Place:
    """A place of North Korea by any spelling the gazetteer knows; UnknownPlace with suggestions if none."""
    return Gazetteer.default().lookup(name)


def country_name(code: str) -> str:
    """The common English name of a country given by its ISO 3166 alpha-2 code."""
    return _country_name(code)


def check_output(path: str | Path, *, force: bool = False) -> Path:
    """The file ``path`` names, if it may be written: not a folder, and not there already unless ``force``."""
    target = Path(path).expanduser()
    if target.is_dir():
        raise OutputFailed(str(path), "it is a folder")
    if target.exists() and not force:
        raise OutputExists(str(path))
    return target


def write_output(path: str | Path, text: str, *, force: bool = False) -> Path:
    """Write a text file (UTF-8) whole or not at all; an existing file only with ``force`` (``write_output_bytes``)."""
    return write_output_bytes(path, text.encode("utf-8"), force=force)


def write_output_bytes(path: str | Path, data: bytes, *, force: bool = False) -> Path:
    """Write a file whole or not at all; an existing file only with ``force``.

    The file is written beside its target and moved into place, so a failure
    (no such folder, no permission, disk full) leaves nothing behind. It is
    readable by its owner only: an export may hold restricted identities.
    """
    target = check_output(path, force=force)
    temporary: Path | None = None
    try:
        handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent)
        temporary = Path(name)
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, target)
        temporary = None
    except OSError as exc:
        raise OutputFailed(str(path), exc.strerror or type(exc).__name__) from None
    finally:
        if temporary is not None:
            temporary.unlink(missing_ok=True)
    return target


def csv_text(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """A CSV file's text: the header, then the rows (``\\n`` line ends), as outputs write them."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()
