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

__all__ = ["read_data_file", "validate_data"]

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


def read_data_file(model: type[M], path: str | Path, *, what: str) -> M:
    """Read a YAML file as ``model``; ``what`` names it in errors ("outline", "citation style")."""
    file = Path(path)
    try:
        data = yaml.safe_load(file.read_bytes().decode("utf-8"))
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
    return validate_data(model, data, origin=f"{what} {file}")
