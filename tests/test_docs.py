"""Docs are tested: every CLI command and option, and every casefile field, is documented."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import typer.core
import typer.main
from pydantic import BaseModel

from corroborate.domain import (
    AgeBand,
    AttributeSpec,
    CaseInfo,
    Claim,
    Document,
    Excerpt,
    Interview,
    Proposition,
    PublicDescriptor,
    Recommendation,
    RestrictedIdentity,
    StatusChange,
    Witness,
)
from corroborate.domain import Case as CaseModel
from support import cli_commands

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"

# Heading in docs/casefile.md -> the model it documents.
CASEFILE_SECTIONS: dict[str, type[BaseModel]] = {
    "Top level": CaseModel,
    "case": CaseInfo,
    "witnesses": Witness,
    "descriptor": PublicDescriptor,
    "age_band": AgeBand,
    "restricted": RestrictedIdentity,
    "interviews": Interview,
    "documents": Document,
    "excerpts": Excerpt,
    "propositions": Proposition,
    "attributes": AttributeSpec,
    "claims": Claim,
    "recommendations": Recommendation,
    "follow_up": StatusChange,
}


def section(text: str, heading: str) -> str:
    """The body under a markdown heading (any level) up to the next heading."""
    match = re.search(rf"^#+ `?{re.escape(heading)}`?\s*$(.*?)(?=^#+ |\Z)", text, re.M | re.S)
    assert match, f"no heading {heading!r}"
    return match.group(1)


@pytest.mark.parametrize("heading", list(CASEFILE_SECTIONS))
def test_every_casefile_field_is_documented(heading: str) -> None:
    body = section((DOCS / "casefile.md").read_text(encoding="utf-8"), heading)
    missing = [name for name in CASEFILE_SECTIONS[heading].model_fields if f"`{name}`" not in body]
    assert missing == [], f"docs/casefile.md, section {heading}: undocumented fields {missing}"


@pytest.mark.parametrize("name", sorted(cli_commands()))
def test_every_cli_command_and_option_is_documented(name: str) -> None:
    body = section((DOCS / "cli.md").read_text(encoding="utf-8"), f"corroborate {name}")
    for param in cli_commands()[name].params:
        if isinstance(param, typer.core.TyperOption):
            assert any(opt in body for opt in param.opts), f"{name}: option {param.opts} undocumented"
        else:
            shown = str(param.metavar or param.name).upper()  # as the usage line names it
            assert shown in body, f"{name}: argument {shown} undocumented"


def test_readme_starts_with_the_two_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    head = readme[:1500]
    assert "make demo" in head and "make test" in head


def test_every_setting_is_documented() -> None:
    from corroborate.settings import Settings

    text = (DOCS / "settings.md").read_text(encoding="utf-8")
    missing = [name for name in Settings.model_fields if f"`CORROBORATE_{name.upper()}`" not in text]
    assert missing == []


def test_the_readme_pictures_of_the_workbench_are_there() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in ("dashboard", "proposition"):
        assert f"](docs/images/{name}.png)" in readme
        picture = ROOT / "docs" / "images" / f"{name}.png"
        assert picture.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", f"{picture}: not a PNG (make screenshots)"
