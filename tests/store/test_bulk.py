"""Bulk inserts store what SQLAlchemy's own inserts store (JSON, booleans, nulls), on every backend."""

from __future__ import annotations

import gc
from typing import Any

import pytest
from sqlalchemy import select

from corroborate.domain.collector import paused_collector
from corroborate.store import bulk, create_store
from corroborate.store.bulk import insert_rows, insert_values
from corroborate.store.schema import CaseRow, PropositionRow

_ATTRIBUTES: list[Any] = [
    {"years": {"type": "range"}, "b": [1, 2.5, None, True], "청진": 'Ch\'ŏngjin "quoted"'},
    {},
    {"z": 1, "a": 2},
]


def _rows(case_pk: int, start: int) -> list[dict[str, Any]]:
    return [
        {
            "case_pk": case_pk,
            "key": f"p.{start + i}",
            "position": start + i,
            "statement": f"S {i} ’",
            "kind": "event" if i % 2 else "pattern",
            "attributes": attributes,
        }  # fmt: skip
        for i, attributes in enumerate(_ATTRIBUTES * 5)
    ]


def test_rows_are_stored_as_sqlalchemy_stores_them(store_location: str) -> None:
    with create_store(store_location) as store, store.transaction(write=True) as session:
        case = CaseRow(ref="c", title="T", language="en")
        session.add(case)
        session.flush()
        table = PropositionRow.__table__
        session.execute(table.insert(), _rows(case.pk, 0))
        ticks: list[int] = []
        insert_rows(session, table, _rows(case.pk, 1000), tick=ticks.append)
        assert sum(ticks) == len(_ATTRIBUTES) * 5
        stored = session.execute(select(table).order_by(table.c.pk)).all()
        raw = session.connection().exec_driver_sql("SELECT attributes, kind, row_version FROM propositions").all()
    by_core, bulk = stored[:15], stored[15:]
    assert [(r.key, r.position) for r in bulk] == [(f"p.{1000 + i}", 1000 + i) for i in range(15)]
    for a, b in zip(by_core, bulk, strict=True):
        assert (a.statement, a.kind, a.attributes, a.row_version) == (b.statement, b.kind, b.attributes, b.row_version)
    assert raw[:15] == raw[15:]  # the same JSON text, byte for byte


def test_many_rows_go_in_several_statements(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bulk, "_ROOMY_FROM", 100)  # a roomier page cache for the insert, and back after
    with create_store(str(tmp_path / "case.db")) as store, store.transaction(write=True) as session:
        case = CaseRow(ref="c", title="T", language="en")
        session.add(case)
        session.flush()
        names = ["case_pk", "key", "position", "statement", "attributes"]
        rows = [(case.pk, f"p.{i}", i, "s", {"i": i}) for i in range(1234)]
        insert_values(session, PropositionRow.__table__, names, rows)
        assert session.scalar(select(PropositionRow.attributes).where(PropositionRow.key == "p.1233")) == {"i": 1233}
        assert session.connection().exec_driver_sql("PRAGMA cache_size").one()[0] == -2000  # as it was


@pytest.mark.parametrize("enabled", [True, False])
def test_the_collector_is_paused_and_restored(enabled: bool) -> None:
    (gc.enable if enabled else gc.disable)()
    try:
        with paused_collector():
            assert not gc.isenabled()
        assert gc.isenabled() is enabled
        with pytest.raises(KeyboardInterrupt), paused_collector():
            raise KeyboardInterrupt
        assert gc.isenabled() is enabled
    finally:
        gc.enable()
