"""`corroborate simulate`: the files it says it wrote are there; a second run refuses to overwrite them."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from corroborate.cli import app

runner = CliRunner(env={"COLUMNS": "240"})


def test_simulate_writes_the_lists_and_says_so(tmp_path: Path) -> None:
    folder = tmp_path / "made-up"
    result = runner.invoke(app, ["simulate", str(folder), "--people", "400", "--lists", "3", "--seed", "2"])
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("400 people made up; the 3 lists hold ") and lines[0].endswith(f"written to {folder}:")
    assert [line.strip() for line in lines[1:]] == ["list-A.csv", "list-B.csv", "list-C.csv", "truth.csv",
                                                   "capture-histories.csv"]  # fmt: skip
    assert sorted(p.name for p in folder.iterdir()) == sorted(line.strip() for line in lines[1:])
    again = runner.invoke(app, ["simulate", str(folder), "--people", "400"])
    assert again.exit_code == 2 and "already exists; give --force" in again.stderr


def test_link_says_how_many_people_the_lists_hold(tmp_path: Path) -> None:
    assert runner.invoke(app, ["simulate", str(tmp_path / "lists"), "--people", "600", "--lists", "3"]).exit_code == 0
    lists = [str(tmp_path / "lists" / f"list-{name}.csv") for name in "ABC"]
    result = runner.invoke(app, ["link", *lists, "--out", str(tmp_path / "linked")])
    assert result.exit_code == 0, result.stderr
    first, *files = result.stdout.splitlines()
    assert " records of lists A, B, C are " in first and "on more than one list" in first
    assert [f.strip() for f in files] == ["clusters.csv", "pairs.csv", "capture-histories.csv"]
    broken = tmp_path / "list-D.csv"
    broken.write_text("name\nSomeone\n", encoding="utf-8")
    refused = runner.invoke(app, ["link", lists[0], str(broken), "--out", str(tmp_path / "again")])
    assert refused.exit_code == 2 and "list-D.csv:1: record_id" in refused.stderr and "Someone" not in refused.stderr


def test_commands_start_without_loading_splink() -> None:
    """Splink, DuckDB and pyarrow load only to link: every other command starts faster, and Ctrl-C while a
    command starts never lands inside their native modules (which turned it into another error)."""
    import subprocess
    import sys

    probe = "import sys, corroborate.cli.commands; print(sorted({m.split('.')[0] for m in sys.modules} & " \
            "{'splink', 'duckdb', 'pyarrow'}))"  # fmt: skip
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "[]"
