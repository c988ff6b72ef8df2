"""`record show|add|edit|delete`, `uncode` and `import --merge` at the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from corroborate.cli import app

runner = CliRunner(env={"COLUMNS": "120"})
CASE = "border-crossers-2007"


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def store(tmp_path: Path, reference_case_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("CORROBORATE_PASSPHRASE", "correct horse battery staple")
    location = str(tmp_path / "case.db")
    assert run("import", str(reference_case_path), "--store", location)[0] == 0
    return location


def test_show_edit_and_a_stale_version(store: str) -> None:
    code, out, _ = run("record", "show", store, "witness", "W-002")
    assert code == 0 and out.startswith("# witness W-002, version 1\n") and "origin: Samsu" in out
    code, out, _ = run("record", "edit", store, "witness", "W-002", "--set", "descriptor.origin=Hoeryong",
                       "--set", "descriptor.age=33")  # fmt: skip
    assert (code, out) == (0, "changed witness W-002 (version 2)\n")
    code, out, _ = run("record", "show", store, "witness", "W-002", "--format", "json")
    shown = json.loads(out)
    assert shown["version"] == 2 and shown["record"]["descriptor"]["origin"] == "Hoeryong"
    assert "origin_as_written" not in shown["record"]["descriptor"]
    code, _, err = run("record", "edit", store, "witness", "W-002", "--set", "descriptor.age=34", "--version", "1")
    assert code == 2 and "was changed (now version 2) by local at" in err and "nothing was written" in err
    code, _, err = run("record", "edit", store, "witness", "W-002", "--set", "restricted.name=Someone")
    assert code == 2 and "set-identity" in err and "Someone" not in err
    code, _, err = run("record", "edit", store, "witness", "W-002")
    assert code == 2 and "nothing to change" in err


def test_delete_refuses_what_is_cited_and_uncode_removes_a_claim(store: str) -> None:
    code, _, err = run("record", "delete", store, "excerpt", "X-n01-leniency-decree")
    assert code == 2 and "is in use (claim: C-n01-decree)" in err
    assert run("uncode", store, "C-n01-decree") == (0, "deleted claim C-n01-decree\n", "")
    assert run("record", "delete", store, "excerpt", "X-n01-leniency-decree")[:2] == (
        0, "deleted excerpt X-n01-leniency-decree\n")  # fmt: skip
    code, _, err = run("record", "show", store, "claim", "C-n01-decree")
    assert code == 2 and "no claim 'C-n01-decree'" in err and "(deleted by local at" in err
    assert run("audit", "verify", store)[0] == 0


def test_add_and_merge(store: str, tmp_path: Path) -> None:
    added = tmp_path / "interview.yaml"
    added.write_text(
        "interviews:\n  - {id: I-100, witness: W-002, date: 2006-12-01, country: CN}\n"
        "excerpts:\n  - {id: X-100, source: I-100, mode: experienced, text: She was held three months.}\n"
        "claims:\n  - {id: C-100, excerpt: X-100, proposition: policy.crossers.imprisoned}\n"
        "  - {id: C-101, excerpt: X-nowhere, proposition: policy.crossers.imprisoned}\n",
        encoding="utf-8",
    )
    code, _, err = run("record", "add", store, str(added))
    assert code == 2 and f"{added}:7: claims[1]: excerpt: no excerpt 'X-nowhere'" in err
    assert "nothing was added" in err
    fixed = added.read_text(encoding="utf-8").replace(
        "X-nowhere, proposition: policy.crossers.imprisoned",
        "X-100, proposition: policy.crossers.imprisoned, stance: contradicts",
    )
    added.write_text(fixed, encoding="utf-8")
    code, out, _ = run("record", "add", store, str(added))
    assert code == 0 and out.splitlines() == [
        "added interview I-100 (version 1)", "added excerpt X-100 (version 1)",
        "added claim C-100 (version 1)", "added claim C-101 (version 1)"]  # fmt: skip
    merge = tmp_path / "merge.yaml"
    merge.write_text(
        f"case: {{id: {CASE}}}\n"
        "excerpts:\n  - {id: X-100, source: I-100, mode: experienced, text: She was held for three months.}\n"
        "delete:\n  claims: [C-101]\n",
        encoding="utf-8",
    )
    code, _, err = run("import", str(merge), "--store", store, "--merge", "--replace")
    assert code == 2 and "not both" in err
    code, out, _ = run("import", str(merge), "--store", store, "--merge")
    assert (code, out) == (0, f"merged into case {CASE}: changed 1 excerpt; deleted 1 claim\n")
    code, _, err = run("import", str(merge), "--store", store, "--merge")  # again: that claim is gone
    assert code == 2 and "delete.claims: no claim 'C-101' to delete" in err
    assert run("audit", "verify", store)[0] == 0
