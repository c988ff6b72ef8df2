"""Adding person lists to a case, listing them, reading them back and linking them from the store.

The lists are made up by ``simulate_lists`` (200 people, 4 lists). The store is the reference case with a
user of each role (``conftest.store``; vera the viewer is added here).
"""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import pytest
from sqlalchemy import text

from corroborate import services
from corroborate.errors import CaseLocked, DataFileInvalid, Forbidden, RecordExists, UserError, WrongPassphrase
from corroborate.services import Actor, Role, Secrets, linking, personlists
from corroborate.services.simulation import simulate_lists
from corroborate.store import open_store

PASSWORD = "a long enough password"  # every user's in the `store` of conftest.py


@pytest.fixture(scope="module")
def made_up(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("lists")
    simulate_lists(folder, people=200, lists=4, seed=3)
    return folder


def _lists(folder: Path, names: str) -> list[Path]:
    return [folder / f"list-{name}.csv" for name in names]


def _user(store: str, name: str) -> Actor:
    return services.authenticate(store, name, PASSWORD)


def _audit_counts(store: str) -> dict[str, int]:
    with open_store(store) as s, s.transaction() as session:
        rows = session.execute(text("SELECT entity, count(*) FROM audit_log GROUP BY entity")).all()
    return dict(rows)


def _count(folder: Path, name: str) -> int:
    with (folder / f"list-{name}.csv").open(encoding="utf-8", newline="") as handle:
        return sum(1 for _ in csv.DictReader(handle))


def _names(folder: Path, names: str) -> list[str]:
    found = []
    for path in _lists(folder, names):
        with path.open(encoding="utf-8", newline="") as handle:
            found += [row["name"] for row in csv.DictReader(handle) if row["name"]]
    return found


def test_a_bad_list_among_good_ones_stores_nothing(store: str, secrets: Secrets, made_up: Path, tmp_path: Path) -> None:
    olga = _user(store, "olga")
    bad = tmp_path / "list-E.csv"
    bad.write_text("record_id,name,birth_year\nE-1,Someone Planted,19x0\nE-1,Another,1970\n", encoding="utf-8")
    before = _audit_counts(store)
    with pytest.raises(DataFileInvalid) as refused:
        personlists.add_lists(store, [*_lists(made_up, "AB"), bad], actor=olga, secrets=secrets)
    assert "list-E.csv:2: birth_year" in str(refused.value) and "list-E.csv:3: record_id" in str(refused.value)
    assert "Someone" not in str(refused.value)
    assert personlists.list_lists(store, actor=olga) == [] and _audit_counts(store) == before

    added = personlists.add_lists(store, _lists(made_up, "AB"), actor=olga, secrets=secrets)
    assert [(a.name, a.added_by) for a in added] == [("A", "olga"), ("B", "olga")]
    assert [a.sha256 for a in added] == [hashlib.sha256(p.read_bytes()).hexdigest() for p in _lists(made_up, "AB")]
    with pytest.raises(RecordExists, match="already has a person list 'B'"):  # C is good, B is there already
        personlists.add_lists(store, _lists(made_up, "CB"), actor=olga, secrets=secrets)
    assert [i.name for i in personlists.list_lists(store, actor=olga)] == ["A", "B"]
    replaced = personlists.add_lists(store, _lists(made_up, "CB"), actor=olga, secrets=secrets, replace=True)
    assert [i.name for i in replaced] == ["C", "B"]
    assert [i.name for i in personlists.list_lists(store, actor=olga)] == ["A", "B", "C"]


def test_one_audit_entry_per_row_and_the_log_verifies(store: str, secrets: Secrets, made_up: Path) -> None:
    olga = _user(store, "olga")
    before = _audit_counts(store)
    added = personlists.add_lists(store, _lists(made_up, "ABCD"), actor=olga, secrets=secrets)
    after = _audit_counts(store)
    records = sum(a.records for a in added)
    assert records == sum(len(_names(made_up, n)) for n in "ABCD") > 200  # every record (all are named)
    assert after.get("person_list") == 4 and after.get("person_record") == records
    assert {k: v for k, v in after.items() if not k.startswith("person_")} == before  # nothing else written
    assert services.verify(store, actor=olga).ok


def test_only_those_who_see_identities_add_or_read_lists(store: str, secrets: Secrets, made_up: Path) -> None:
    olga = _user(store, "olga")
    services.add_user(store, "vera", PASSWORD, Role.viewer, actor=olga, secrets=secrets)
    ivan = _user(store, "ivan")
    assert [a.name for a in personlists.add_lists(store, _lists(made_up, "A"), actor=ivan, secrets=secrets)] == ["A"]
    assert [found.name for found in personlists.stored_lists(store, actor=ivan, secrets=secrets)] == ["A"]
    for name in ("ana", "ed", "vera"):
        user = _user(store, name)
        with pytest.raises(Forbidden):
            personlists.add_lists(store, _lists(made_up, "B"), actor=user, secrets=secrets)
        with pytest.raises(Forbidden):  # even with the case passphrase at hand
            personlists.stored_lists(store, actor=user, secrets=secrets)
        with pytest.raises(Forbidden):
            linking.link_stored_lists(store, made_up / "out", actor=user, secrets=secrets)
        if name == "vera":
            with pytest.raises(Forbidden):
                personlists.list_lists(store, actor=user)
        else:
            assert [(i.name, i.records) for i in personlists.list_lists(store, actor=user)] == [
                ("A", _count(made_up, "A"))
            ]
    assert [i.name for i in personlists.list_lists(store, actor=olga)] == ["A"]


def test_reading_records_needs_the_case_key(store: str, secrets: Secrets, made_up: Path, tmp_path: Path) -> None:
    olga = _user(store, "olga")
    personlists.add_lists(store, _lists(made_up, "AB"), actor=olga, secrets=secrets)
    with pytest.raises(CaseLocked):
        personlists.stored_lists(store, actor=olga, secrets=Secrets(session_dir=tmp_path / "none"))
    wrong = Secrets(passphrase=lambda case: "not the passphrase at all", session_dir=tmp_path / "none")
    with pytest.raises(WrongPassphrase):
        personlists.stored_lists(store, actor=olga, secrets=wrong)
    opened = personlists.stored_lists(store, actor=olga, secrets=secrets)
    assert [(f.name, len(f.records)) for f in opened] == [("A", _count(made_up, "A")), ("B", _count(made_up, "B"))]


def test_no_name_is_stored_in_the_clear(store: str, secrets: Secrets, made_up: Path) -> None:
    personlists.add_lists(store, _lists(made_up, "ABCD"), actor=_user(store, "olga"), secrets=secrets)
    raw = b"".join(p.read_bytes() for p in Path(store).parent.glob(Path(store).name + "*"))
    names = _names(made_up, "ABCD")
    assert any(any("\uac00" <= ch <= "\ud7a3" for ch in name) for name in names), "expected Hangul names"
    assert any(name.isascii() for name in names), "expected romanised names"
    leaked = [name for name in names if name.encode() in raw]
    assert leaked == [], f"{len(leaked)} names are stored in the clear"
    assert b"birth_year" not in raw and b"A-000001" in raw  # no record in the clear; ids are, as documented


def test_a_record_id_the_store_cannot_keep_is_refused(store: str, secrets: Secrets, tmp_path: Path) -> None:
    long = tmp_path / "list-L.csv"
    long.write_text(f"record_id,name\n{'x' * 201},Someone\n", encoding="utf-8")
    with pytest.raises(UserError, match="list L: 1 record_id"):
        personlists.add_lists(store, [long], actor=_user(store, "olga"), secrets=secrets)


@pytest.mark.slow
def test_linking_from_the_store_writes_what_linking_the_files_writes(
    store: str, secrets: Secrets, made_up: Path, tmp_path: Path
) -> None:
    olga = _user(store, "olga")
    personlists.add_lists(store, _lists(made_up, "DCBA"), actor=olga, secrets=secrets)  # linked by name: A to D
    from_files = linking.link_lists(_lists(made_up, "ABCD"), tmp_path / "files")
    from_store = linking.link_stored_lists(store, tmp_path / "store", actor=olga, secrets=secrets)
    assert from_store.lists == from_files.lists == ("A", "B", "C", "D")
    assert (from_store.records, from_store.people, from_store.on_several) == (
        from_files.records, from_files.people, from_files.on_several)  # fmt: skip
    for name in ("clusters.csv", "pairs.csv", "capture-histories.csv"):
        assert (tmp_path / "store" / name).read_bytes() == (tmp_path / "files" / name).read_bytes(), name
    two = linking.link_stored_lists(store, tmp_path / "two", actor=olga, secrets=secrets, names=["C", "A"])
    assert two.lists == ("C", "A") and two.records == sum(a.records for a in services_lists(store, olga, "AC"))
    with pytest.raises(UserError, match="name two lists or more"):
        linking.link_stored_lists(store, tmp_path / "one", actor=olga, secrets=secrets, names=["A", "A"])


def services_lists(store: str, actor: Actor, names: str) -> list[personlists.ListInfo]:
    return [i for i in personlists.list_lists(store, actor=actor) if i.name in names]
