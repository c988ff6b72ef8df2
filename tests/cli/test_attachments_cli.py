"""`attach`, `attachment get` and `attachment list` as a user meets them."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from corroborate.cli import app
from corroborate.store import open_store
from support import EVIDENCE_CASEFILE

runner = CliRunner(env={"COLUMNS": "240"})


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def store(tmp_path: Path) -> str:
    (tmp_path / "mini.yaml").write_text(EVIDENCE_CASEFILE, encoding="utf-8")
    location = str(tmp_path / "store.db")
    code, _, err = run("import", str(tmp_path / "mini.yaml"), "--store", location)
    assert code == 0, err
    return location


@pytest.fixture
def photo(tmp_path: Path) -> tuple[Path, bytes]:
    data = os.urandom(5000)
    (tmp_path / "photo.jpg").write_bytes(data)
    return tmp_path / "photo.jpg", data


def test_attach_list_and_get(store: str, photo: tuple[Path, bytes], tmp_path: Path) -> None:
    path, data = photo
    digest = hashlib.sha256(data).hexdigest()
    code, out, err = run("attach", store, "I-001", str(path), "--note", "taken at the border")
    assert code == 0, err
    assert out.strip() == f"attached A-001 to interview I-001 of case mini: 5000 bytes, image/jpeg, SHA-256 {digest}"
    code, out, err = run("attach", store, "D-001", str(path), "--media-type", "image/png", "--case", "mini")
    assert code == 0 and "attached A-002 to document D-001" in out and "image/png" in out, err

    code, out, _ = run("attachment", "list", store)
    assert code == 0 and "A-001" in out and "photo.jpg" in out and "taken at the border" in out and "by local" in out
    code, out, _ = run("attachment", "list", store, "--source", "D-001", "--format", "json")
    listed = json.loads(out)
    assert code == 0 and [a["ref"] for a in listed] == ["A-002"] and listed[0]["sha256"] == digest

    target = tmp_path / "back.jpg"
    code, out, err = run("attachment", "get", store, "A-001", "--out", str(target))
    assert code == 0, err
    assert target.read_bytes() == data
    assert out.strip() == f"wrote {target}: A-001, 5000 bytes, SHA-256 {digest} verified"
    code, _, err = run("attachment", "get", store, "A-001", "--out", str(target))
    assert code == 2 and err.startswith("error:") and "--force" in err
    code, _, err = run("attachment", "get", store, "A-002", "--out", str(target), "--force")
    assert code == 0, err
    code, out, _ = run("audit", "verify", store)
    assert code == 0 and "audit log intact" in out


def test_mistakes_are_one_line_each(store: str, photo: tuple[Path, bytes], tmp_path: Path) -> None:
    path, _ = photo
    code, _, err = run("attach", store, "I-404", str(path))
    assert code == 2 and err.strip() == "error: no interview or document 'I-404' in case 'mini'"
    code, _, err = run("attach", store, "I-001", str(tmp_path / "nothing.jpg"))
    assert code == 2 and err.startswith("error: cannot read") and len(err.strip().splitlines()) == 1
    code, _, err = run("attachment", "get", store, "A-009", "--out", str(tmp_path / "x"))
    assert code == 2 and "no attachment 'A-009' in case 'mini'" in err
    code, _, err = run("attachment", "get", store, "A-001")
    assert code == 2 and "--out" in err


def test_a_damaged_attachment_is_refused_and_leaves_no_file(
    store: str, photo: tuple[Path, bytes], tmp_path: Path
) -> None:
    path, _ = photo
    assert run("attach", store, "I-001", str(path))[0] == 0
    with open_store(store) as s, s.transaction(write=True) as session:
        session.execute(text("UPDATE attachment_chunks SET sealed = substr(sealed, 1, 100)"))
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    code, out, err = run("attachment", "get", store, "A-001", "--out", str(out_dir / "photo.jpg"))
    assert code == 3 and out == ""
    assert err.startswith("error: attachment A-001 of case 'mini' is damaged: part 1 of 1 failed authentication")
    assert list(out_dir.iterdir()) == []
    code, out, err = run("audit", "verify", store)
    assert code == 1 and "mini/A-001" in out + err
