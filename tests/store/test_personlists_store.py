"""Person lists in the case store: sealed at rest, audited row by row, and attacks on them found.

Run on SQLite and on PostgreSQL (``store_location``). The attacker of the tests that change rows can
write the database but cannot unlock the case: they change rows with plain SQL, and reading the lists
back (which needs the key) or `audit verify` (which does not) must find it.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from corroborate import services
from corroborate.errors import RecordExists, RecordNotFound, SealedFieldInvalid
from corroborate.ingest import parse_casefile
from corroborate.services import LOCAL_OWNER, Action, Secrets
from corroborate.services.cases import case_write
from corroborate.store import open_store, resolve_case, unlock_keys
from corroborate.store.personlists import add_person_list, list_person_lists, open_person_lists
from support import EVIDENCE_CASEFILE, PASSPHRASE, unavailable

# Planted values: a store holding any of them in the clear leaks them.
NAMES = ["Plantedname Ok-sun", "플랜티드옥순", "Ri Plantedchol", "리플랜티드철"]
BORN = "1931-04-15"
LIST_A = [
    {"record_id": "A-1", "name": NAMES[0], "sex": "F", "birth_year": "1931", "birth_date": BORN, "origin": "Musan"},
    {"record_id": "A-2", "name": NAMES[1], "sex": "F", "birth_year": "1931", "origin": "무산"},
]
LIST_B = [
    {"record_id": "B-1", "name": NAMES[2], "sex": "M", "age": "52", "interview_date": "2006-11-26", "origin": ""},
    {"record_id": "B-2", "name": NAMES[3], "sex": "M", "birth_year": "1954", "origin": "Hoeryong"},
    {"record_id": "B-3", "name": "", "sex": "", "birth_year": "", "origin": "Onsong"},
]


@pytest.fixture
def store(store_location: str, secrets: Secrets) -> str:
    services.import_case(store_location, parse_casefile(EVIDENCE_CASEFILE), actor=LOCAL_OWNER, secrets=secrets)
    return store_location


def _add(store: str, secrets: Secrets, lists: dict[str, list[dict[str, str]]], *, replace: bool = False) -> None:
    with case_write(store, actor=LOCAL_OWNER, action=Action.add_lists, secrets=secrets, case=None) as w:
        for name, records in lists.items():
            add_person_list(w.session, w.row, w.keys, name, records, sha256="0" * 64, added_by="local",
                            audit=w.audit, replace=replace)  # fmt: skip


def _open(store: str, names: list[str] | None = None) -> list[tuple[Any, list[dict[str, Any]]]]:
    with open_store(store) as s, s.transaction() as session:
        case = resolve_case(session, "mini")
        return open_person_lists(session, case, unlock_keys(session, case, PASSPHRASE), names=names)


def _sql(store: str, statement: str, **params: object) -> None:
    """What someone who can write the database does: change rows, no key needed."""
    with open_store(store) as s, s.transaction(write=True) as session:
        session.execute(text(statement), params)


def _problems(store: str) -> list[str]:
    return [str(p) for p in services.verify(store, actor=LOCAL_OWNER).report.problems]


def test_lists_are_read_back_as_given_and_every_row_is_audited(store: str, secrets: Secrets) -> None:
    _add(store, secrets, {"B": LIST_B, "A": LIST_A})
    opened = _open(store)
    assert [(info.name, info.records) for info, _ in opened] == [("A", 2), ("B", 3)]  # by name
    assert [records for _, records in opened] == [LIST_A, LIST_B]
    assert [info.name for info, _ in _open(store, ["B", "A"])] == ["B", "A"]
    with pytest.raises(RecordNotFound, match="no person list 'C' in case 'mini'"):
        _open(store, ["A", "C"])
    with open_store(store) as s, s.transaction() as session:
        listed = list_person_lists(session, resolve_case(session, "mini"))
        entities = session.execute(text("SELECT entity, count(*) FROM audit_log WHERE entity LIKE 'person_%' "
                                        "GROUP BY entity ORDER BY entity")).all()  # fmt: skip
    assert [(i.name, i.case, i.records, i.added_by) for i in listed] == [("A", "mini", 2, "local"),
                                                                        ("B", "mini", 3, "local")]  # fmt: skip
    assert [tuple(row) for row in entities] == [("person_list", 2), ("person_record", 5)]
    assert _problems(store) == []


def test_a_name_the_case_has_is_refused_unless_replaced(store: str, secrets: Secrets) -> None:
    _add(store, secrets, {"A": LIST_A})
    with pytest.raises(RecordExists, match="already has a person list 'A'"):
        _add(store, secrets, {"B": LIST_B, "A": LIST_B})
    assert [info.name for info, _ in _open(store)] == ["A"]  # B went with the refused transaction
    _add(store, secrets, {"A": LIST_B}, replace=True)
    assert [records for _, records in _open(store)] == [LIST_B]
    assert _problems(store) == []


def test_nothing_restricted_is_stored_in_the_clear(store: str, secrets: Secrets, tmp_path: Path) -> None:
    _add(store, secrets, {"A": LIST_A, "B": LIST_B})
    raw = _stored_bytes(store, tmp_path)
    assert b"person_records" in raw and b"A-1" in raw and len(raw) > 10_000  # the ids are plain, as documented
    for value in [*NAMES, BORN, "birth_year", "Hoeryong"]:
        assert value.encode() not in raw, f"a planted value of {len(value)} characters is stored in the clear"


def _stored_bytes(store: str, tmp_path: Path) -> bytes:
    """Every byte the store keeps: the SQLite file and its write-ahead log, or a dump of the PostgreSQL database."""
    if "://" not in store:
        return b"".join(p.read_bytes() for p in Path(store).parent.glob(Path(store).name + "*"))
    pg_dump = shutil.which("pg_dump")
    if pg_dump is None:
        unavailable("pg_dump is not installed")
    url = make_url(store)
    command = [pg_dump, "-h", url.host or "127.0.0.1", "-p", str(url.port or 5432), "-U", url.username or "postgres",
               "--no-password", url.database or ""]  # fmt: skip
    return subprocess.run(command, check=True, capture_output=True).stdout


def test_records_swapped_between_rows_do_not_open(store: str, secrets: Secrets) -> None:
    _add(store, secrets, {"A": LIST_A})
    _sql(store, "UPDATE person_records SET sealed = (SELECT sealed FROM person_records WHERE record_id = 'A-2') "
                "WHERE record_id = 'A-1'")  # fmt: skip
    with pytest.raises(SealedFieldInvalid):
        _open(store)
    assert any("mini/A/A-1" in p and "edited outside Corroborate" in p for p in _problems(store))


def test_a_record_moved_to_another_list_does_not_open(store: str, secrets: Secrets) -> None:
    _add(store, secrets, {"A": LIST_A, "B": LIST_B})
    _sql(store, "UPDATE person_records SET record_id = 'A-1', sealed = (SELECT sealed FROM person_records "
                "WHERE record_id = 'A-1') WHERE record_id = 'B-3'")  # fmt: skip
    assert [info.name for info, _ in _open(store, ["A"])] == ["A"]
    with pytest.raises(SealedFieldInvalid):
        _open(store, ["B"])


def test_an_edited_custody_record_or_a_removed_record_is_found(store: str, secrets: Secrets) -> None:
    _add(store, secrets, {"A": LIST_A, "B": LIST_B})
    _sql(store, "UPDATE person_lists SET added_by = 'someone else' WHERE name = 'A'")
    with pytest.raises(SealedFieldInvalid):  # the custody record is bound into the seal of the list's key
        _open(store, ["A"])
    _sql(store, "DELETE FROM person_records WHERE record_id = 'B-2'")
    with pytest.raises(SealedFieldInvalid):  # fewer records than its custody record says
        _open(store, ["B"])
    problems = _problems(store)
    assert any("person_list mini/A" in p and "edited outside Corroborate" in p for p in problems)
    assert any("person_record mini/B/B-2" in p and "row is missing" in p for p in problems)


def test_rotating_the_key_and_replacing_the_case_keep_the_lists(store: str, secrets: Secrets) -> None:
    _add(store, secrets, {"A": LIST_A, "B": LIST_B})
    services.rotate_key(store, actor=LOCAL_OWNER, secrets=secrets)
    with open_store(store) as s, s.transaction() as session:
        versions = session.execute(text("SELECT DISTINCT key_version FROM person_lists")).scalars().all()
        current = session.execute(text("SELECT version FROM case_keys")).scalars().all()
    assert versions == current == [2]  # re-wrapped, and the old data key is gone
    assert [records for _, records in _open(store)] == [LIST_A, LIST_B]
    services.import_case(store, parse_casefile(EVIDENCE_CASEFILE), actor=LOCAL_OWNER, secrets=secrets, replace=True)
    assert [records for _, records in _open(store)] == [LIST_A, LIST_B]
    assert _problems(store) == []
