"""Encrypted backup and restore of a case store on SQLite and PostgreSQL, also while the store is written."""

from __future__ import annotations

import dataclasses
import json
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect

from corroborate.domain import Case
from corroborate.errors import BackupInvalid, Forbidden, RestoreTargetNotEmpty
from corroborate.ingest import read_casefile
from corroborate.services import (
    LOCAL_OWNER,
    Actor,
    Role,
    Secrets,
    case_ids,
    export_case,
    import_case,
    summary,
)
from corroborate.services.backups import backup, content_digest, restore
from corroborate.store import backup as store_backup
from corroborate.store import backupformat, head_revision
from corroborate.store.backup import read_backup_info, restore_backup
from support import drop_postgres, fresh_postgres

PASSPHRASE = "correct horse battery staple"
SECRETS = Secrets(passphrase=lambda _case: "the passphrase of the case")


@pytest.fixture(scope="module")
def reference_case(reference_case_path: Path) -> Case:
    return read_casefile(reference_case_path)


@dataclasses.dataclass(frozen=True)
class SqliteBackups:
    location: str
    backup: Path  # 1 MiB chunks: the whole store fits in one
    small_chunks: Path  # 4 KiB chunks, to alter a file chunk by chunk


@pytest.fixture(scope="module")
def sqlite_backups(reference_case: Case, tmp_path_factory: pytest.TempPathFactory) -> Iterator[SqliteBackups]:
    """One SQLite store with the reference case and two backups of it, shared by tests that only read them."""
    root = tmp_path_factory.mktemp("sqlite-backups")
    with pytest.MonkeyPatch.context() as patch:
        location = str(root / "case.db")
        import_case(location, reference_case, actor=LOCAL_OWNER, secrets=SECRETS)
        backup(location, root / "store.backup", actor=LOCAL_OWNER, passphrase=PASSPHRASE)
        patch.setattr(backupformat, "CHUNK_BYTES", 4096)
        backup(location, root / "small-chunks.backup", actor=LOCAL_OWNER, passphrase=PASSPHRASE)
    yield SqliteBackups(location, root / "store.backup", root / "small-chunks.backup")


@pytest.fixture
def postgres_target(postgres_server: str) -> Iterator[str]:
    url = fresh_postgres(postgres_server)
    try:
        yield url
    finally:
        drop_postgres(postgres_server, url)


def _copy(case: Case, ref: str) -> Case:
    return case.model_copy(update={"case": case.case.model_copy(update={"id": ref})})


def _tables(location: str) -> set[str]:
    engine = create_engine(location)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def _nothing_at(location: str) -> bool:
    if "://" in location:
        return _tables(location) == set()
    return not Path(location).exists()


@pytest.fixture
def backed_up(store_location: str, reference_case: Case, tmp_path: Path) -> tuple[Path, str]:
    """A store holding the reference case, and a backup of it."""
    import_case(store_location, reference_case, actor=LOCAL_OWNER, secrets=SECRETS)
    out = tmp_path / "backups" / "store.backup"
    backup(store_location, out, actor=LOCAL_OWNER, passphrase=PASSPHRASE)
    return out, store_location


def test_round_trip_restores_the_same_content(
    store_location: str, restore_location: str, reference_case: Case, tmp_path: Path
) -> None:
    import_case(store_location, reference_case, actor=LOCAL_OWNER, secrets=SECRETS)
    out = tmp_path / "store.backup"
    calls: list[tuple[int, int]] = []
    info = backup(store_location, out, actor=LOCAL_OWNER, passphrase=PASSPHRASE, progress=lambda *a: calls.append(a))

    assert info.kind == ("logical" if "://" in store_location else "sqlite")
    assert info.revision == head_revision()
    assert info.digest == content_digest(store_location, actor=LOCAL_OWNER)
    assert read_backup_info(out) == info
    assert calls and calls[-1][0] == calls[-1][1]
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)

    result = restore(out, restore_location, passphrase=PASSPHRASE)
    assert result.audit.ok, result.audit.problems
    assert result.info == info
    assert result.digest == info.digest == content_digest(restore_location, actor=LOCAL_OWNER)
    restored = export_case(restore_location, actor=LOCAL_OWNER, secrets=SECRETS)
    assert restored == export_case(store_location, actor=LOCAL_OWNER, secrets=SECRETS)
    assert restored == reference_case
    # The restored store takes new writes (on PostgreSQL its id sequences were moved past the restored ids).
    import_case(restore_location, _copy(reference_case, "after-restore"), actor=LOCAL_OWNER, secrets=SECRETS)
    assert case_ids(restore_location, actor=LOCAL_OWNER) == ["border-crossers-2007", "after-restore"]


def test_backup_while_the_store_is_being_written(
    store_location: str, restore_location: str, reference_case: Case, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    import_case(store_location, reference_case, actor=LOCAL_OWNER, secrets=SECRETS)
    monkeypatch.setattr(store_backup, "_PAGES_PER_STEP", 4)  # copy SQLite pages in many steps
    imported: list[str] = []
    committed = threading.Condition()
    stop = threading.Event()
    failures: list[BaseException] = []

    def keep_importing() -> None:
        try:
            n = 0
            while not stop.is_set():
                n += 1
                import_case(store_location, _copy(reference_case, f"copy-{n}"), actor=LOCAL_OWNER, secrets=SECRETS)
                with committed:
                    imported.append(f"copy-{n}")
                    committed.notify_all()
        except BaseException as exc:  # reported by the main thread
            failures.append(exc)
            with committed:
                committed.notify_all()

    def wait_for(count: int) -> None:
        with committed:
            assert committed.wait_for(lambda: len(imported) >= count or failures, timeout=30)
        assert not failures, failures

    writer = threading.Thread(target=keep_importing)
    writer.start()
    try:
        wait_for(1)
        paused = False

        def pause_once(_done: int, _total: int) -> None:
            # Mid-backup, let the writer commit at least one more case before going on.
            nonlocal paused
            if not paused:
                paused = True
                wait_for(len(imported) + 1)

        info = backup(store_location, tmp_path / "live.backup", actor=LOCAL_OWNER, passphrase=PASSPHRASE,
                      progress=pause_once)  # fmt: skip
        assert paused
        wait_for(len(imported) + 1)  # and keep writing after it
    finally:
        stop.set()
        writer.join(timeout=60)
    assert not failures, failures

    result = restore(tmp_path / "live.backup", restore_location, passphrase=PASSPHRASE)
    assert result.audit.ok, result.audit.problems
    assert result.digest == info.digest
    restored = case_ids(restore_location, actor=LOCAL_OWNER)
    live = case_ids(store_location, actor=LOCAL_OWNER)
    sequence = ["border-crossers-2007", *imported]
    assert live == sequence
    assert 2 <= len(restored) < len(live)
    assert restored == sequence[: len(restored)]  # a prefix: every case before the snapshot, none after
    expected = summary(store_location, actor=LOCAL_OWNER, case="border-crossers-2007")
    for ref in restored:
        counts = summary(restore_location, actor=LOCAL_OWNER, case=ref)
        assert counts == dataclasses.replace(expected, case=ref)


def test_wrong_passphrase_is_refused_and_nothing_is_created(backed_up: tuple[Path, str], restore_location: str) -> None:
    out, _ = backed_up
    with pytest.raises(BackupInvalid, match="wrong passphrase") as caught:
        restore(out, restore_location, passphrase="not the passphrase")
    assert "not the passphrase" not in str(caught.value)
    assert PASSPHRASE not in str(caught.value)
    assert _nothing_at(restore_location)


def _flip(data: bytes, at: int) -> bytes:
    return data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1 :]


def _blocks(data: bytes) -> tuple[bytes, list[bytes]]:
    """The header line and the sealed chunks of a backup written with 4 KiB chunks."""
    end = data.index(b"\n") + 1
    size = 4096 + 16
    return data[:end], [data[i : i + size] for i in range(end, len(data), size)]


@pytest.mark.parametrize(
    ("tamper", "reason"),
    [
        (lambda h, b: h + _flip(b"".join(b), 100), "altered"),
        (lambda h, b: h + b"".join(b)[:-5], "truncated"),
        (lambda h, b: h + b"".join(b[:-1]), "truncated"),
        (lambda h, b: h + b"".join(b) + b[0], "appended"),
        (lambda h, b: h + b"".join([b[1], b[0], *b[2:]]), "reordered"),
        (lambda h, b: h.replace(b'"created":"', b'"created":"1') + b"".join(b), "altered"),
        (lambda h, b: h, "truncated"),
    ],
    ids=[
        "flipped-byte",
        "cut-mid-chunk",
        "cut-at-chunk",
        "appended-chunk",
        "reordered",
        "header-edited",
        "no-body",
    ],
)
def test_altered_files_are_refused(
    sqlite_backups: SqliteBackups, tmp_path: Path, tamper: Callable[[bytes, list[bytes]], bytes], reason: str
) -> None:
    header, blocks = _blocks(sqlite_backups.small_chunks.read_bytes())
    assert len(blocks) > 3
    out = tmp_path / "store.backup"
    out.write_bytes(tamper(header, blocks))
    target = tmp_path / "restored.db"
    with pytest.raises(BackupInvalid, match=reason):
        restore_backup(out, str(target), PASSPHRASE)
    assert [p.name for p in tmp_path.iterdir()] == ["store.backup"]  # no target, no temporary file


@pytest.mark.postgres
def test_a_failing_restore_leaves_postgres_empty(
    postgres_target: str, sqlite_backups: SqliteBackups, tmp_path: Path
) -> None:
    out = tmp_path / "store.backup"
    # In the last chunk: found only after every row before it was copied.
    out.write_bytes(_flip(sqlite_backups.small_chunks.read_bytes(), -100))
    with pytest.raises(BackupInvalid, match="altered"):
        restore(out, postgres_target, passphrase=PASSPHRASE)
    assert _tables(postgres_target) == set()  # schema and rows were one transaction


def test_files_that_are_no_backup_are_refused(tmp_path: Path) -> None:
    foreign = tmp_path / "notes.txt"
    foreign.write_text("just some notes\n", encoding="utf-8")
    binary = tmp_path / "random.bin"
    binary.write_bytes(bytes(range(256)) * 10)
    for path in (foreign, binary):
        with pytest.raises(BackupInvalid, match="not a Corroborate backup"):
            read_backup_info(path)
        with pytest.raises(BackupInvalid, match="not a Corroborate backup"):
            restore_backup(path, str(tmp_path / "x.db"), PASSPHRASE)
    with pytest.raises(BackupInvalid, match="does not exist"):
        restore_backup(tmp_path / "missing.backup", str(tmp_path / "x.db"), PASSPHRASE)
    assert not (tmp_path / "x.db").exists()


def test_a_backup_of_another_schema_revision_is_refused(sqlite_backups: SqliteBackups, tmp_path: Path) -> None:
    out = tmp_path / "store.backup"
    data = sqlite_backups.backup.read_bytes()
    end = data.index(b"\n")
    header = json.loads(data[:end])
    header["revision"] = "0001"
    out.write_bytes(json.dumps(header, separators=(",", ":")).encode() + data[end:])
    with pytest.raises(BackupInvalid, match=f"revision 0001; this version needs revision {head_revision()}"):
        restore_backup(out, str(tmp_path / "x.db"), PASSPHRASE)


def test_restoring_over_an_existing_store_is_refused(backed_up: tuple[Path, str]) -> None:
    out, location = backed_up
    before = content_digest(location, actor=LOCAL_OWNER)
    with pytest.raises(RestoreTargetNotEmpty):
        restore(out, location, passphrase=PASSPHRASE)
    assert content_digest(location, actor=LOCAL_OWNER) == before


def test_the_backup_holds_no_restricted_value_in_plaintext(backed_up: tuple[Path, str], reference_case: Case) -> None:
    out, _ = backed_up
    data = out.read_bytes()
    values = [v for w in reference_case.witnesses if w.restricted is not None for v in w.restricted.values()]
    assert any(not v.isascii() for v in values)  # Hangul names are among them
    assert [v for v in values if v.encode("utf-8") in data] == []
    # and no temporary snapshot or partial file was left beside it
    assert [p.name for p in out.parent.iterdir()] == [out.name]


@pytest.mark.postgres
def test_sqlite_backup_restores_into_postgres(
    postgres_target: str, sqlite_backups: SqliteBackups, reference_case: Case
) -> None:
    info = read_backup_info(sqlite_backups.backup)
    assert info.kind == "sqlite"
    calls: list[tuple[int, int]] = []
    result = restore(sqlite_backups.backup, postgres_target, passphrase=PASSPHRASE,
                     progress=lambda *a: calls.append(a))  # fmt: skip
    assert result.audit.ok, result.audit.problems
    assert result.digest == info.digest
    assert calls[-1][0] == calls[-1][1] and [d for d, _ in calls] == sorted(d for d, _ in calls)
    assert export_case(postgres_target, actor=LOCAL_OWNER, secrets=SECRETS) == reference_case
    import_case(postgres_target, _copy(reference_case, "after-restore"), actor=LOCAL_OWNER, secrets=SECRETS)


@pytest.mark.postgres
def test_postgres_backup_restores_into_sqlite(postgres_target: str, reference_case: Case, tmp_path: Path) -> None:
    import_case(postgres_target, reference_case, actor=LOCAL_OWNER, secrets=SECRETS)
    info = backup(postgres_target, tmp_path / "store.backup", actor=LOCAL_OWNER, passphrase=PASSPHRASE)
    assert info.kind == "logical"
    target = tmp_path / "restored.db"
    result = restore(tmp_path / "store.backup", str(target), passphrase=PASSPHRASE)
    assert result.audit.ok, result.audit.problems
    assert result.digest == info.digest
    assert export_case(str(target), actor=LOCAL_OWNER, secrets=SECRETS) == reference_case
    assert sorted(p.name for p in tmp_path.iterdir()) == ["restored.db", "store.backup"]


def test_only_owners_back_up(sqlite_backups: SqliteBackups, tmp_path: Path) -> None:
    location = sqlite_backups.location
    analyst = Actor("ana", {None: Role.analyst})
    with pytest.raises(Forbidden):
        backup(location, tmp_path / "other.backup", actor=analyst, passphrase=PASSPHRASE)
    assert not (tmp_path / "other.backup").exists()
    assert content_digest(location, actor=analyst)  # verifying content is open to analysts
    with pytest.raises(Forbidden):
        content_digest(location, actor=Actor("vic", {None: Role.viewer}))
