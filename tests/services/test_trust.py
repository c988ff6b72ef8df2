"""The user's trust file: pinned keys and the head seen, one entry per store however its location is written."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from corroborate.errors import UserError
from corroborate.services import TrustFile
from corroborate.services.trust import store_key


def test_pins_and_heads_are_kept_per_store(tmp_path: Path) -> None:
    trust = TrustFile(tmp_path / "conf" / "trust.json")
    assert trust.pinned("a.db") == {} and trust.seen("a.db") is None
    trust.pin("a.db", {"case-1": b"\x01" * 32})
    trust.see("a.db", 17, "ab" * 32)
    assert trust.pinned("a.db") == {"case-1": b"\x01" * 32}
    assert trust.seen("a.db") == (17, "ab" * 32)
    assert trust.pinned("b.db") == {} and trust.seen("b.db") is None
    assert stat.S_IMODE(os.stat(trust.path).st_mode) == 0o600
    assert trust.forget("a.db") and not trust.forget("a.db")
    assert trust.pinned("a.db") == {}


def test_one_store_has_one_name_however_it_is_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert store_key("case.db") == store_key(str(tmp_path / "case.db")) == store_key("./sub/../case.db")
    url = "postgresql+psycopg://alice:secret@db.example/cases"
    assert "secret" not in store_key(url)
    assert store_key(url) == store_key("postgresql+psycopg://alice:other@db.example/cases")


def test_a_damaged_trust_file_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "trust.json"
    path.write_text("[1, 2]", encoding="utf-8")
    with pytest.raises(UserError, match="not one Corroborate wrote"):
        TrustFile(path).pinned("a.db")
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(UserError, match="cannot read the trust file"):
        TrustFile(path).seen("a.db")
