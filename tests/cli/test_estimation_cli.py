"""`corroborate estimate`: every shared table gives an estimate or a warning, never a traceback; the JSON has the
issue's fields; a broken file is one line per problem."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from corroborate.cli import app
from corroborate.services import estimation
from support import SHARED

runner = CliRunner(env={"COLUMNS": "200"})
TABLES = sorted(p.name for p in (SHARED / "data" / "mse").glob("*.csv")) if SHARED.is_dir() else []
FIELDS = {"method", "observed", "estimate", "lower", "upper", "interval", "models", "warnings"}


@pytest.mark.parametrize("name", TABLES)
def test_every_shared_table_gives_an_estimate_or_a_warning(shared_dir: Path, name: str) -> None:
    path = shared_dir / "data" / "mse" / name
    result = runner.invoke(app, ["estimate", str(path), "--method", "loglinear", "--format", "json",
                                 "--resamples", "40"])  # fmt: skip
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)
    assert FIELDS <= set(found) and found["method"] == "loglinear" and found["observed"] > 0
    assert found["estimate"] is not None or found["warnings"]
    if found["estimate"] is not None:
        assert found["estimate"] >= found["observed"] and found["interval"] == "95% profile likelihood"
        assert all({"terms", "aic", "estimate", "lower", "upper"} <= set(m) for m in found["models"])
    table = runner.invoke(app, ["estimate", str(path), "--resamples", "0", "--interval", "lognormal"])
    assert table.exit_code == 0 and "Traceback" not in table.output
    assert f"{found['observed']:,} people seen" in table.stdout


def test_the_table_shows_the_estimate_the_models_and_the_warnings(shared_dir: Path) -> None:
    path = shared_dir / "data" / "mse" / "uk_2013_5lists_UKdat_5.csv"
    result = runner.invoke(app, ["estimate", str(path), "--interval", "lognormal", "--resamples", "0"])
    assert result.exit_code == 0, result.output
    assert "11,313" in result.stdout and "9,884" in result.stdout and "13,027" in result.stdout
    assert "main effects + LA:NG, LA:PFNCA, NG:GO, NG:GP, PFNCA:GP, GO:GP" in result.stdout
    assert "warning (loglinear): Lists LA and GP have no one in common" in result.stdout
    assert "chosen" in result.stdout and "model-averaged over" in result.stdout


def test_threshold_and_method_all(shared_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(estimation, "METHODS", {"loglinear": estimation.METHODS["loglinear"]})
    path = shared_dir / "data" / "mse" / "us_western_site_5lists.csv"
    strict = runner.invoke(app, ["estimate", str(path), "--format", "json", "--resamples", "0"])
    loose = runner.invoke(app, ["estimate", str(path), "--method", "all", "--format", "json", "--resamples", "0",
                                "--threshold", "0.05"])  # fmt: skip
    assert strict.exit_code == 0 and loose.exit_code == 0, loose.output
    one, (also,) = json.loads(strict.stdout), json.loads(loose.stdout)
    assert one["terms"] == ["A:E"] and round(one["estimate"]) == 2483
    assert also["threshold"] == 0.05 and len(also["terms"]) > len(one["terms"])


def test_strata_from_the_command_line(tmp_path: Path) -> None:
    path = tmp_path / "by-year.csv"
    lines = ["A,B,C,count,year"] + [f"{p},{c},{y}" for y in ("2005", "2006") for p, c in
                                    (("1,0,0", 90), ("0,1,0", 70), ("0,0,1", 60), ("1,1,0", 20), ("1,0,1", 15),
                                     ("0,1,1", 12), ("1,1,1", 5))]  # fmt: skip
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["estimate", str(path), "--strata", "year", "--format", "json", "--resamples", "0"])
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)
    assert [e.get("stratum") for e in found] == [None, "2005", "2006"]
    assert found[1]["estimate"] == pytest.approx(found[2]["estimate"])
    shown = runner.invoke(app, ["estimate", str(path), "--strata", "year", "--resamples", "0"])
    assert "2005" in shown.stdout and "2006" in shown.stdout


def test_a_broken_file_is_one_line_per_problem(tmp_path: Path) -> None:
    path = tmp_path / "broken.csv"
    path.write_text("A,B,C,count\n1,0,0,7\n1,5,0,3\n0,0,0,1\n", encoding="utf-8")
    result = runner.invoke(app, ["estimate", str(path)])
    assert result.exit_code == 2
    assert "broken.csv:3: B: must be 0 or 1" in result.stderr and "broken.csv:4: (top): the row is on no list" in (
        result.stderr
    )
    assert "Traceback" not in result.output


def test_an_unknown_method_is_a_usage_error(shared_dir: Path) -> None:
    result = runner.invoke(app, ["estimate", str(shared_dir / "data" / "mse" / "artificial_3lists.csv"),
                                 "--method", "petersen"])  # fmt: skip
    assert result.exit_code == 2 and result.stderr.startswith("error: ")


def test_the_sampler_runs_longer_when_asked(shared_dir: Path) -> None:
    path = shared_dir / "data" / "mse" / "artificial_3lists.csv"
    result = runner.invoke(app, ["estimate", str(path), "--method", "lcmcr", "--format", "json", "--samples", "200",
                                 "--thin", "2"])  # fmt: skip
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)
    assert (found["samples"], found["thinning"], found["iterations"]) == (200, 2, 400)
    refused = runner.invoke(app, ["estimate", str(path), "--method", "lcmcr", "--samples", "0"])
    assert refused.exit_code == 2 and "--samples" in refused.stderr
