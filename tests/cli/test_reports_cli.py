"""`parse-report` and `import-report` as a user meets them (registered on a fresh app until wired into the CLI)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import typer
import typer.core
import typer.main
from typer.testing import CliRunner

from corroborate import services
from corroborate.cli.reports import register
from corroborate.ingest import read_casefile
from corroborate.services import LOCAL_OWNER

ROOT = Path(__file__).resolve().parents[2]
runner = CliRunner(env={"COLUMNS": "240"})


def make_app() -> typer.Typer:
    app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)

    @app.callback()
    def main() -> None:
        """Test app."""

    register(app)
    return app


APP = make_app()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(APP, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def paper(shared_dir: Path) -> Path:
    return shared_dir / "seeds" / "hrw-2007-north-korea-border-crossers.txt"


def test_parse_report_json(paper: Path) -> None:
    code, out, err = run("parse-report", str(paper), "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    assert len(data["notes"]) == 33 and len(data["markers"]) == 33 and len(data["witnesses"]) == 12
    assert any("16 interviewed, 11 cited" in c["message"] for c in data["checks"])
    assert "warning: note 6: no citation recognised" in err


def test_parse_report_table_prints_checks_and_warnings(paper: Path) -> None:
    code, out, err = run("parse-report", str(paper))
    assert code == 0, err
    assert "North Korea: Harsher Policies against Border-Crossers" in out
    assert "16 interviewed, 11 cited" in out and "interview_dates" in out
    assert "W-012" in out and "Saebyol" in out
    assert "warning: note 6" in err and "warning" not in out


def test_parse_report_of_a_missing_file(tmp_path: Path) -> None:
    code, _, err = run("parse-report", str(tmp_path / "missing.txt"))
    assert code == 2
    assert "cannot read report: file not found" in err and err.strip().splitlines()[-1].startswith("error:")


def test_import_report_as_a_new_case(tmp_path: Path, paper: Path) -> None:
    store = str(tmp_path / "s.db")
    code, out, err = run("import-report", str(paper), "--store", store, "--id", "paper", "--title", "The paper")
    assert code == 0, err
    assert "imported as case paper: 12 witnesses, 12 interviews, 15 documents, 33 excerpts" in out
    assert "16 interviewed, 11 cited" in out
    counts = services.summary(store, actor=LOCAL_OWNER)
    assert (counts.case, counts.title, counts.witnesses) == ("paper", "The paper", 12)


def test_import_report_into_an_existing_case(tmp_path: Path, paper: Path, reference_case_path: Path) -> None:
    store = str(tmp_path / "s.db")
    assert runner.invoke(typer_main_app(), ["import", str(reference_case_path), "--store", store]).exit_code == 0
    code, out, err = run("import-report", str(paper), "--store", store, "--case", "border-crossers-2007")
    assert code == 0, err
    assert "added to case border-crossers-2007: 0 witnesses, 0 interviews" in out
    assert "already in the case, not added again: 12 witnesses, 12 interviews" in out
    assert services.summary(store, actor=LOCAL_OWNER).witnesses == 12  # matched, never doubled
    for witness in read_casefile(reference_case_path).witnesses:
        for value in witness.restricted.values() if witness.restricted else []:
            assert value not in out + err


def test_new_case_options_are_refused_with_case(tmp_path: Path, paper: Path) -> None:
    code, _, err = run("import-report", str(paper), "--store", str(tmp_path / "s.db"), "--case", "x", "--id", "y")
    assert code == 2 and "--id and --title name a new case" in err


def typer_main_app() -> typer.Typer:
    from corroborate.cli import app

    return app


def section(text: str, heading: str) -> str:
    match = re.search(rf"^#+ `?{re.escape(heading)}`?\s*$(.*?)(?=^#+ |\Z)", text, re.M | re.S)
    assert match, f"no heading {heading!r}"
    return match.group(1)


@pytest.mark.parametrize("name", ["parse-report", "import-report"])
def test_the_commands_are_documented(name: str) -> None:
    """The same check tests/test_docs.py makes for every command of the wired CLI."""
    body = section((ROOT / "docs" / "cli.md").read_text(encoding="utf-8"), f"corroborate {name}")
    root = typer.main.get_command(APP)
    assert isinstance(root, typer.core.TyperGroup)
    for param in root.commands[name].params:
        if isinstance(param, typer.core.TyperOption):
            assert any(opt in body for opt in param.opts), f"{name}: option {param.opts} undocumented"
        else:
            assert str(param.name).upper() in body, f"{name}: argument {param.name} undocumented"
