"""User mistakes at the command line: each ends in one plain `error:` line with the documented exit code
(2 for a mistake the user can fix, 3 when the database fails), and a failed command leaves no file behind."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest
import typer.core
import typer.main
from typer.testing import CliRunner

from corroborate import __version__
from corroborate.cli import app
from support import cli_commands

runner = CliRunner(env={"COLUMNS": "120"})
ROOT = Path(__file__).resolve().parents[2]
OUTLINE = ROOT / "examples" / "border-crossers-2007" / "briefing.yaml"


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def one_error(result: tuple[int, str, str], code: int, *fragments: str) -> str:
    """The error line of a failed command, checked: one `error:` line, no traceback, the exit code."""
    exit_code, out, err = result
    assert exit_code == code, (exit_code, out, err)
    assert "Traceback" not in out + err
    errors = [line for line in err.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and err.rstrip().splitlines()[-1] == errors[0], err
    for fragment in fragments:
        assert fragment in errors[0], errors[0]
    return errors[0]


@pytest.fixture(scope="module")
def reference_store(tmp_path_factory: pytest.TempPathFactory, reference_case_path: Path) -> Path:
    store = tmp_path_factory.mktemp("store") / "case.db"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CORROBORATE_PASSPHRASE", "correct horse battery staple")
        mp.setenv("CORROBORATE_ARGON2_MEMORY_KIB", "8192")
        mp.setenv("CORROBORATE_ARGON2_TIME_COST", "1")
        assert run("import", str(reference_case_path), "--store", str(store))[0] == 0
    return store


# ---------------------------------------------------------------- not a store


def _not_stores(tmp_path: Path, reference_case_path: Path, store: Path) -> dict[str, Path]:
    text = tmp_path / "notes.txt"
    text.write_text("interview notes\n", encoding="utf-8")
    casefile = tmp_path / "case.yaml"
    casefile.write_bytes(reference_case_path.read_bytes())
    empty = tmp_path / "empty.db"
    empty.touch()
    foreign = tmp_path / "other.sqlite"
    with sqlite3.connect(foreign) as conn:
        conn.execute("CREATE TABLE contacts (name TEXT)")
    backup = tmp_path / "store.backup"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CORROBORATE_BACKUP_PASSPHRASE", "a backup passphrase")
        assert run("backup", str(store), str(backup))[0] == 0
    return {"a text file": text, "a casefile": casefile, "a 0-byte file": empty, "another program's database": foreign,
            "a backup file": backup}  # fmt: skip


@pytest.mark.parametrize("command", ["summary", "import", "init", "audit verify"])
def test_a_file_that_is_not_a_store_is_refused_and_left_as_it_is(
    tmp_path: Path, reference_case_path: Path, reference_store: Path, command: str
) -> None:
    for what, path in _not_stores(tmp_path, reference_case_path, reference_store).items():
        before = path.read_bytes()
        args = {"import": ["import", str(reference_case_path), "--store", str(path)]}.get(
            command, [*command.split(), str(path)]
        )
        line = one_error(run(*args), 2, "not a Corroborate store")
        assert str(path) in line, what
        assert path.read_bytes() == before, f"{what} was modified by {command}"
        assert not path.with_name(path.name + "-wal").exists() and not path.with_name(path.name + "-shm").exists()


def test_a_backup_or_casefile_given_as_a_store_says_what_it_is(
    tmp_path: Path, reference_case_path: Path, reference_store: Path
) -> None:
    files = _not_stores(tmp_path, reference_case_path, reference_store)
    assert "corroborate restore" in one_error(run("summary", str(files["a backup file"])), 2)
    assert "corroborate import" in one_error(run("summary", str(files["a casefile"])), 2)
    assert "empty file" in one_error(run("summary", str(files["a 0-byte file"])), 2)


# ------------------------------------------------------------------- outputs


@pytest.mark.parametrize("command", [["schema"], ["export", "{store}"], ["export", "{store}", "--public"]])
def test_out_onto_an_existing_file_needs_force(tmp_path: Path, reference_store: Path, command: list[str]) -> None:
    target = tmp_path / "existing.yaml"
    target.write_text("keep me\n", encoding="utf-8")
    args = [a.replace("{store}", str(reference_store)) for a in command]
    one_error(run(*args, "--out", str(target)), 2, str(target), "--force")
    assert target.read_text(encoding="utf-8") == "keep me\n"
    code, _, err = run(*args, "--out", str(target), "--force")
    assert code == 0, err
    assert target.read_text(encoding="utf-8") != "keep me\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["existing.yaml"]


@pytest.mark.parametrize("command", [["schema"], ["export", "{store}", "--public"]])
def test_out_where_nothing_can_be_written_leaves_nothing(
    tmp_path: Path, reference_store: Path, command: list[str]
) -> None:
    a_file = tmp_path / "file"
    a_file.write_text("x", encoding="utf-8")
    args = [a.replace("{store}", str(reference_store)) for a in command]
    for target in (tmp_path / "no-such-folder" / "out.yaml", a_file / "out.yaml", tmp_path):
        one_error(run(*args, "--out", str(target)), 2, "cannot write", str(target))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]


def test_publish_into_a_folder_that_cannot_be_made_is_one_error(tmp_path: Path, reference_store: Path) -> None:
    a_file = tmp_path / "file"
    a_file.write_text("x", encoding="utf-8")
    one_error(run("publish", str(reference_store), str(OUTLINE), "--out", str(a_file / "out"), "--format", "html"), 2,
              str(a_file))  # fmt: skip


# -------------------------------------------------------------- the database


def test_a_database_error_is_exit_code_3(tmp_path: Path, reference_store: Path) -> None:
    damaged = tmp_path / "damaged.db"
    data = bytearray(reference_store.read_bytes())
    with sqlite3.connect(reference_store) as conn:
        root, size = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'cases'").fetchone()[0], 4096
    data[(root - 1) * size : root * size] = b"\xab" * size  # the `cases` table's page, garbled
    damaged.write_bytes(bytes(data))
    for args in (["summary"], ["cases"], ["audit", "verify"]):
        one_error(run(*args[:1], *args[1:], str(damaged)), 3, "database error", "malformed")


def test_an_empty_store_says_it_holds_no_case(tmp_path: Path) -> None:
    store = str(tmp_path / "s.db")
    assert run("init", store)[0] == 0
    for command in ("summary", "witnesses", "interviews", "excerpts", "claims", "assess", "timeline"):
        line = one_error(run(command, store), 2, "no case yet")
        assert "(any)" not in line


# ------------------------------------------------------------ files and text


def test_non_utf8_files_are_one_error_line(
    tmp_path: Path, reference_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    latin1 = tmp_path / "latin1.yaml"
    latin1.write_bytes("case:\n  id: x\n  title: café\n".encode("latin-1"))
    one_error(run("validate", str(latin1)), 2, "problem")
    assert "not UTF-8" in run("validate", str(latin1))[2]
    one_error(run("import", str(latin1), "--store", str(tmp_path / "s.db")), 2)
    one_error(run("assess", str(reference_store), "--standard", str(latin1)), 2, "not UTF-8")
    one_error(run("check-disclosure", str(reference_store), str(latin1)), 2, "not UTF-8")
    one_error(run("code", str(reference_store), "X-n01-leniency-decree", "--thesaurus", str(latin1)), 2, "UTF-8")
    monkeypatch.delenv("CORROBORATE_PASSPHRASE")
    monkeypatch.setenv("CORROBORATE_KEY_FILE", str(latin1))
    one_error(run("identities", str(reference_store)), 2, "CORROBORATE_KEY_FILE", "UTF-8")
    assert not (tmp_path / "s.db").exists()


def test_yaml_errors_in_an_outline_do_not_print_the_source(tmp_path: Path, reference_store: Path) -> None:
    outline = tmp_path / "outline.yaml"
    outline.write_text("title: [Briefing\n  secret: Ri Chol-min\n", encoding="utf-8")
    line = one_error(run("check-disclosure", str(reference_store), str(outline)), 2, "not valid YAML", "line 2")
    assert "Ri Chol-min" not in line


# --------------------------------------------------------------- passphrases


@pytest.mark.parametrize("command", ["import", "import-report"])
def test_an_import_without_a_passphrase_creates_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, reference_case_path: Path, shared_dir: Path, command: str
) -> None:
    monkeypatch.delenv("CORROBORATE_PASSPHRASE")
    source = (
        reference_case_path if command == "import" else shared_dir / "seeds/hrw-2007-north-korea-border-crossers.txt"
    )
    store = tmp_path / "new" / "s.db"
    line = one_error(run(command, str(source), "--store", str(store)), 2, "CORROBORATE_PASSPHRASE", "set")
    assert "is locked" not in line
    assert not store.exists() and not store.parent.exists()


def test_import_help_says_when_a_passphrase_is_needed() -> None:
    code, out, _ = run("import", "--help")
    assert code == 0
    for fragment in ("passphrase", "CORROBORATE_PASSPHRASE", "CORROBORATE_KEY_FILE", "prompt"):
        assert fragment in out, fragment


# ----------------------------------------------------------- the command line


def commands() -> dict[str, typer.core.TyperCommand]:
    return cli_commands()


FORMATTED = sorted(name for name, c in commands().items() if any("--format" in p.opts for p in c.params))


def test_every_listing_has_a_format() -> None:
    assert {"summary", "witnesses", "interviews", "excerpts", "claims", "assess", "timeline", "law", "identities",
            "audit log", "parse-report", "publish"} <= set(FORMATTED)  # fmt: skip


@pytest.mark.parametrize("name", FORMATTED)
def test_an_unknown_format_is_refused(name: str) -> None:
    command = commands()[name]
    positional = ["x"] * sum(1 for p in command.params if isinstance(p, typer.core.TyperArgument))
    required = [a for p in command.params if isinstance(p, typer.core.TyperOption) and p.required
                for a in (p.opts[0], "x")]  # fmt: skip
    code, out, err = run(*name.split(), *positional, *required, "--format", "xml")
    one_error((code, out, err), 2, "--format", "xml")
    assert out == ""


@pytest.mark.parametrize("name", sorted(commands()))
def test_help_shows_real_types_and_h_works(name: str) -> None:
    code, out, _ = run(*name.split(), "--help")
    assert code == 0
    assert run(*name.split(), "-h")[1] == out
    assert "<bool>" not in out
    assert not re.search(r"^\s+--\S+ <(str|path)>", out, re.M), out  # an option names what it takes
    for param in commands()[name].params:
        if isinstance(param, typer.core.TyperOption) and param.is_flag and param.opts[0] != "--help":
            assert f"{param.opts[0]} " in out and f"{param.opts[0]} <" not in out, param.opts
        elif isinstance(param, typer.core.TyperOption) and param.default not in (None, False) and not param.multiple:
            assert "[default:" in out, (name, param.opts)


def test_version_and_short_help() -> None:
    code, out, _ = run("--version")
    assert code == 0 and out.strip() == f"corroborate {__version__}"
    code, out, _ = run("-h")
    assert code == 0 and "Commands:" in out and "--version" in out


def test_a_mistake_on_the_command_line_is_one_error_line() -> None:
    one_error(run("summary", "x.db", "--colour", "red"), 2, "--colour", "summary --help")
    one_error(run("import", "case.yaml"), 2, "--store")
    one_error(run("no-such-command"), 2, "no-such-command")


@pytest.mark.parametrize("group", [[], ["user"], ["audit"]])
def test_a_group_run_alone_shows_its_help(group: list[str]) -> None:
    code, _, err = run(*group)
    assert code == 2 and err.startswith("Usage: corroborate") and "Commands:" in err
    assert "error:" not in err


# ---------------------------------------------------------------- Ctrl-C


def _big_casefile(path: Path, claims: int) -> None:
    """A valid casefile of many claims, written fast (no YAML library involved)."""
    lines = ["case: {id: big, title: A big case}", "witnesses:"]
    lines += [f"  - {{id: W-{i:04d}, descriptor: {{gender: female, age: 30, origin: Musan}}}}" for i in range(100)]
    lines.append("interviews:")
    lines += [f"  - {{id: I-{i}, witness: W-{i % 100:04d}, date: 2006-05, country: CN}}" for i in range(500)]
    lines += ["propositions:", "  - {key: policy.p, statement: Returnees are punished.}", "excerpts:"]
    lines += [f"  - {{id: E-{i}, source: I-{i % 500}, mode: hearsay, text: 'Returnees are punished, heard {i}.'}}"
              for i in range(claims)]  # fmt: skip
    lines.append("claims:")
    lines += [f"  - {{id: C-{i}, excerpt: E-{i}, proposition: policy.p}}" for i in range(claims)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.mark.parametrize("wait", [0.3, 3.0], ids=["while-loading", "while-importing"])
def test_ctrl_c_stops_an_import_cleanly_and_writes_nothing(tmp_path: Path, wait: float) -> None:
    import os
    import signal
    import subprocess
    import sys
    import time

    casefile, store = tmp_path / "big.yaml", tmp_path / "big.db"
    _big_casefile(casefile, 40_000)
    env = {**os.environ, "CORROBORATE_PASSPHRASE": "correct horse battery staple"}
    command = [sys.executable, "-m", "corroborate", "import", str(casefile), "--store", str(store)]
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(wait)  # 0.3 s: still loading the commands (a slow laptop takes seconds); 3 s: importing
    assert process.poll() is None, "the import ended before it could be interrupted: make the casefile bigger"
    started = time.monotonic()
    process.send_signal(signal.SIGINT)
    _out, err = process.communicate(timeout=60)
    assert time.monotonic() - started < 5, "Ctrl-C was not honoured at once"
    assert process.returncode == 130 and "interrupted: nothing was written" in err and "Traceback" not in err, err
    if store.exists():  # interrupted while writing: the transaction was rolled back
        code, out, _ = run("cases", str(store))
        assert code == 0 and out == ""
