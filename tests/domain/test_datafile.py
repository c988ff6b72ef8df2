"""Data files (outlines, standards, styles): a key written twice is an error, not a silent loss."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import BaseModel

from corroborate.domain import read_data_file
from corroborate.errors import UserError


class Thing(BaseModel):
    title: str
    k: int = 1


def test_a_key_written_twice_is_refused_with_its_lines(tmp_path: Path) -> None:
    path = tmp_path / "thing.yaml"
    path.write_text("title: first\nk: 2\ntitle: second\n", encoding="utf-8")
    with pytest.raises(UserError, match="title on lines 1 and 3"):
        read_data_file(Thing, path, what="thing")
    path.write_text("title: only\nk: 2\n", encoding="utf-8")
    assert read_data_file(Thing, path, what="thing") == Thing(title="only", k=2)
