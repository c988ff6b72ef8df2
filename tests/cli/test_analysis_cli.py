"""`corroborate code`: suggestions shown for one excerpt, one accepted, a mistyped excerpt named with close ones."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from corroborate.cli import app

runner = CliRunner(env={"COLUMNS": "240"})


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_code_shows_suggestions_then_codes_the_one_accepted(tmp_path: Path, reference_case_path: Path) -> None:
    store = str(tmp_path / "s.db")
    assert run("import", str(reference_case_path), "--store", store)[0] == 0
    code, out, err = run("code", store, "X-n01-leniency-decree")
    assert code == 0, err
    assert out.startswith("X-n01-leniency-decree: A decree of Kim Jong Il")
    first = next(line for line in out.splitlines() if line.startswith("│ 1 "))
    assert "policy.crossers.lenient_before_2004" in first and "effective=2000-02-16" in first
    code, out, err = run("code", store, "X-n01-leniency-decree", "--accept", "1", "--stance", "contradicts")
    assert code == 0, err
    coded = "X-n01-leniency-decree contradicts policy.crossers.lenient_before_2004"
    assert out.strip() == f"coded C-X-n01-leniency-decree-1: {coded} (effective=2000-02-16; sentence_months=3..5)"
    code, out, _ = run("claims", store, "--proposition", "policy.crossers.lenient_before_2004", "--stance",
                       "contradicts", "--format", "json")  # fmt: skip
    assert code == 0 and "C-X-n01-leniency-decree-1" in out


def test_code_names_close_excerpts_when_one_is_mistyped(tmp_path: Path, reference_case_path: Path) -> None:
    store = str(tmp_path / "s.db")
    assert run("import", str(reference_case_path), "--store", store)[0] == 0
    code, _, err = run("code", store, "n01-LENIENCY")
    assert code == 2
    assert err.strip() == ("error: no excerpt 'n01-LENIENCY' in case 'border-crossers-2007'; "
                           "did you mean X-n01-leniency-decree?")  # fmt: skip
