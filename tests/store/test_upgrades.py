"""Stores written by earlier versions (``stores/``) upgrade to today's schema with nothing lost, their audit
log still verifies, and they take new writes."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from sqlalchemy import text

from corroborate import services
from corroborate.services import LOCAL_OWNER, Listed, Secrets, records
from corroborate.store import create_store, head_revision, open_store

STORES = Path(__file__).parent / "stores"
PASSPHRASE = "a passphrase for an old store"  # as README.md there says


@pytest.fixture(params=sorted(p.name for p in STORES.glob("*.db.gz")))
def old_store(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    path = tmp_path / request.param.removesuffix(".gz")
    path.write_bytes(gzip.decompress((STORES / request.param).read_bytes()))
    return str(path)


def _rows(location: str) -> dict[str, list[tuple[object, ...]]]:
    with open_store(location) as store, store.engine.connect() as connection:
        return {
            table: [tuple(r) for r in connection.execute(text(f"SELECT ref FROM {table} ORDER BY pk"))]
            for table in ("witnesses", "interviews", "documents", "excerpts", "claims")
        }


def test_an_old_store_upgrades_and_its_log_still_verifies(old_store: str) -> None:
    with create_store(old_store) as store:
        assert store.revision() == head_revision()
    before = _rows(old_store)
    assert before["claims"] and before["witnesses"]
    verified = services.verify(old_store, actor=LOCAL_OWNER)
    assert verified.report.ok, [str(p) for p in verified.report.problems][:5]
    # what a listing needs of the new columns was filled from the old rows
    assert len(services.interviews(old_store, actor=LOCAL_OWNER, listed=Listed(start="2006", end="2006"))) == 2


def test_an_upgraded_store_takes_new_writes_and_still_verifies(old_store: str) -> None:
    with create_store(old_store):
        pass
    secrets = Secrets(passphrase=lambda case: PASSPHRASE)
    identities = services.identities(old_store, actor=LOCAL_OWNER, secrets=secrets)
    assert list(identities) == ["W-002"]  # the old case key still opens the old identity (W-001 has none)
    first = str(_rows(old_store)["claims"][0][0])
    records.edit_record(old_store, "claim", first, {"note": "checked after the upgrade"}, actor=LOCAL_OWNER,
                        secrets=secrets)  # fmt: skip
    assert records.get_record(old_store, "claim", first, actor=LOCAL_OWNER).item.note == "checked after the upgrade"
    assert services.verify(old_store, actor=LOCAL_OWNER).report.ok


def test_a_row_changed_behind_an_upgraded_store_is_still_caught(old_store: str) -> None:
    with create_store(old_store) as store, store.engine.begin() as connection:
        connection.execute(
            text("UPDATE propositions SET kind = 'pattern' WHERE pk = (SELECT min(pk) FROM propositions)")
        )
        connection.execute(text("UPDATE claims SET mode = 'witnessed' WHERE pk = (SELECT min(pk) FROM claims)"))
    problems = [str(p) for p in services.verify(old_store, actor=LOCAL_OWNER).report.problems]
    assert len(problems) == 2 and all("edited outside Corroborate" in p for p in problems), problems
