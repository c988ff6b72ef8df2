"""`corroborate lists add`, `lists show` and `lists link` as a user meets them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from corroborate.cli import app
from support import EVIDENCE_CASEFILE

runner = CliRunner(env={"COLUMNS": "240"})
PASSWORD = "a long enough password"


def run(*args: str, **env: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), env=env or None)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def made_up(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("lists")
    code, _, err = run("simulate", str(folder), "--people", "200", "--lists", "3")
    assert code == 0, err
    return folder


@pytest.fixture
def store(tmp_path: Path) -> str:
    (tmp_path / "mini.yaml").write_text(EVIDENCE_CASEFILE, encoding="utf-8")
    location = str(tmp_path / "store.db")
    code, _, err = run("import", str(tmp_path / "mini.yaml"), "--store", location)
    assert code == 0, err
    return location


def test_add_show_refuse_and_replace(store: str, made_up: Path, tmp_path: Path) -> None:
    a, b, c = (str(made_up / f"list-{name}.csv") for name in "ABC")
    code, out, err = run("lists", "add", store, a, b)
    assert code == 0, err
    lines = out.strip().splitlines()
    assert [line.split(":")[0] for line in lines] == ["added list A to case mini", "added list B to case mini"]
    assert all(" records, SHA-256 " in line for line in lines)

    broken = tmp_path / "list-D.csv"
    broken.write_text("record_id,name\nD-1,Somebody Planted\nD-1,Somebody Else\n", encoding="utf-8")
    code, _, err = run("lists", "add", store, c, str(broken))
    assert code == 2 and "list-D.csv:3: record_id" in err and "Somebody" not in err
    code, _, err = run("lists", "add", store, c, a)
    assert code == 2 and err.strip() == "error: case 'mini' already has a person list 'A'; nothing was written"

    code, out, _ = run("lists", "show", store, "--format", "json")
    shown = json.loads(out)
    assert code == 0 and [(s["name"], s["added_by"]) for s in shown] == [("A", "local"), ("B", "local")]  # no C
    code, out, err = run("lists", "add", store, c, a, "--replace", "--case", "mini")
    assert code == 0 and "added list C" in out and "added list A" in out, err
    code, out, _ = run("lists", "show", store)
    assert code == 0 and all(f" {name} " in out for name in "ABC") and "by local" in out
    code, out, _ = run("audit", "verify", store)
    assert code == 0 and "audit log intact" in out


def test_an_analyst_sees_the_lists_but_cannot_add_or_link_them(store: str, made_up: Path, tmp_path: Path) -> None:
    code, _, err = run("user", "add", store, "olga", "--role", "owner", CORROBORATE_NEW_PASSWORD=PASSWORD)
    assert code == 0, err
    olga = {"CORROBORATE_USER": "olga", "CORROBORATE_PASSWORD": PASSWORD}
    code, _, err = run("user", "add", store, "ana", "--role", "analyst", CORROBORATE_NEW_PASSWORD=PASSWORD, **olga)
    assert code == 0, err
    ana = {"CORROBORATE_USER": "ana", "CORROBORATE_PASSWORD": PASSWORD}
    a = str(made_up / "list-A.csv")
    code, _, err = run("lists", "add", store, a, **ana)
    assert code == 2 and err.strip() == "error: ana (analyst) may not add lists on case 'mini'"
    assert run("lists", "add", store, a, **olga)[0] == 0
    code, out, _ = run("lists", "show", store, **ana)
    assert code == 0 and " A " in out and "by olga" in out
    code, _, err = run("lists", "link", store, "--out", str(tmp_path / "out"), **ana)
    assert code == 2 and "may not read lists" in err and not (tmp_path / "out").exists()


@pytest.mark.slow
def test_link_the_lists_of_a_case(store: str, made_up: Path, tmp_path: Path) -> None:
    assert run("lists", "add", store, *(str(made_up / f"list-{name}.csv") for name in "CAB"))[0] == 0
    code, out, err = run("lists", "link", store, "--out", str(tmp_path / "linked"), "--no-charts")
    assert code == 0, err
    first, *files = out.splitlines()
    assert " records of lists A, B, C are " in first and "on more than one list" in first
    assert [f.strip() for f in files][:3] == ["clusters.csv", "pairs.csv", "capture-histories.csv"]
    assert sorted(p.name for p in (tmp_path / "linked").iterdir()) == sorted(f.strip() for f in files)
    header = (tmp_path / "linked" / "capture-histories.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header.split(",") == ["A", "B", "C", "count"]
    code, _, err = run("lists", "link", store, "--out", str(tmp_path / "linked"), "--list", "A", "--list", "Z",
                       "--no-charts")  # fmt: skip
    assert code == 2 and "--force" in err
    code, _, err = run("lists", "link", store, "--out", str(tmp_path / "again"), "--list", "A", "--list", "Z")
    assert code == 2 and "no person list 'Z' in case 'mini'" in err
    code, out, err = run("lists", "link", store, "--out", str(tmp_path / "two"), "--list", "B", "--list", "A",
                         "--no-charts")  # fmt: skip
    assert code == 0 and " records of lists B, A are " in out, err
