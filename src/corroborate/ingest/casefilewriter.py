"""Casefiles written: a case as the block YAML people read and edit, and the JSON Schema of the format.

Block style, one key a line, multi-line texts as literal blocks, empty values
left out: the shape ``blockyaml`` reads fastest when the file comes back.
``public`` leaves out every witness's restricted section.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from corroborate.domain import Case

__all__ = ["case_json_schema", "dump_case", "write_casefile"]


def _prune(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _prune(v) for k, v in value.items() if v is not None and v != [] and v != {}}
    if isinstance(value, list):
        return [_prune(v) for v in value]
    return value


class _Dumper(yaml.SafeDumper):
    pass


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def dump_case(case: Case, *, public: bool = False) -> str:
    """The casefile text of a case; ``public`` leaves out every restricted section."""
    data = case.model_dump(mode="json", exclude_none=True)
    if public:
        for witness in data["witnesses"]:
            witness.pop("restricted", None)
    for proposition in data["propositions"]:
        if proposition.get("kind") == "event":  # the default, as casefiles are written by hand
            del proposition["kind"]
    return yaml.dump(_prune(data), Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)


def write_casefile(case: Case, path: str | Path, *, public: bool = False) -> None:
    """Write a case as a YAML casefile."""
    Path(path).write_text(dump_case(case, public=public), encoding="utf-8")


def case_json_schema() -> dict[str, Any]:
    """JSON Schema of the casefile format, generated from the domain models."""
    schema = Case.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Corroborate casefile"
    return schema
