"""`corroborate encode` and `corroborate link-encoded`: a key made and never shown, lists encoded, encodings
linked into the files `link` writes; a misuse said in one line."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from corroborate.cli import app

runner = CliRunner(env={"COLUMNS": "240"})


def test_encode_then_link_encoded(tmp_path: Path) -> None:
    assert runner.invoke(app, ["simulate", str(tmp_path / "lists"), "--people", "400", "--lists", "3"]).exit_code == 0
    key = tmp_path / "shared.key"
    made = runner.invoke(app, ["encode", "--new-key", str(key)])
    assert made.exit_code == 0, made.stderr
    secret = key.read_text(encoding="ascii").strip()
    assert f"a new key is in {key}, readable by you only" in made.stdout and secret not in made.stdout + made.stderr
    files = []
    for name in "ABC":
        files.append(str(tmp_path / f"encoded-{name}.csv"))
        result = runner.invoke(app, ["encode", str(tmp_path / "lists" / f"list-{name}.csv"), "--key-file", str(key),
                                     "--out", files[-1]])  # fmt: skip
        assert result.exit_code == 0, result.stderr
        assert f"records of list {name} encoded into {files[-1]}" in result.stdout
    linked = runner.invoke(app, ["link-encoded", *files, "--out", str(tmp_path / "linked"), "--threshold", "0.92"])
    assert linked.exit_code == 0, linked.stderr
    first, *written = linked.stdout.splitlines()
    assert " records of lists A, B, C are " in first and "on more than one list" in first
    assert [f.strip() for f in written] == ["clusters.csv", "pairs.csv", "capture-histories.csv"]
    again = runner.invoke(app, ["encode", "--new-key", str(key)])
    assert again.exit_code == 2 and "never replaced" in again.stderr and secret not in again.stderr


def test_encode_needs_a_list_a_key_and_an_output_or_only_new_key(tmp_path: Path) -> None:
    partial = runner.invoke(app, ["encode", str(tmp_path / "list-A.csv"), "--out", str(tmp_path / "x.csv")])
    assert partial.exit_code == 2 and "--key-file KEYFILE" in partial.stderr
    mixed = runner.invoke(app, ["encode", str(tmp_path / "list-A.csv"), "--new-key", str(tmp_path / "k")])
    assert mixed.exit_code == 2 and "--new-key makes a key and nothing else" in mixed.stderr
    assert not (tmp_path / "k").exists()
    one = runner.invoke(app, ["link-encoded", str(tmp_path / "a.csv"), "--out", str(tmp_path / "out")])
    assert one.exit_code == 2 and "two encoding files or more" in one.stderr
