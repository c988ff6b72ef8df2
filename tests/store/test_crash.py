"""Crash safety: real `corroborate import` and `rotate-key` processes killed with SIGKILL.

After every kill the store must open, its audit log must verify, and it must
hold all of the killed import or none of it (a rotation: every identity still
readable, with the passphrase). Where each process is killed is drawn from a
seeded ``random.Random``, aimed at the write transactions by watching the
store from outside (see crash_helpers.py); every assertion message carries
the seed and the table of runs, so a failure can be replayed
(``CORROBORATE_CRASH_SEED`` overrides the seed). To keep the time down, two
stores take kills side by side (two lanes, one thread each).
"""

from __future__ import annotations

import dataclasses
import logging
import os
import random
from collections import Counter
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pytest
from crash_helpers import KillPoint, Replay, Run, Windows, cli, in_lanes, kill_plan, run_process
from sqlalchemy import func, select

from corroborate import services
from corroborate.domain import Case, RestrictedIdentity
from corroborate.ingest import read_casefile
from corroborate.services import LOCAL_OWNER, Secrets
from corroborate.store import CaseCounts, open_store
from corroborate.store.schema import Base, CaseKeyRow, WitnessIdentityRow
from support import REFERENCE_CASE
from support import drop_postgres as _drop_postgres
from support import fresh_postgres as _fresh_postgres

pytestmark = pytest.mark.slow


@pytest.fixture(autouse=True)
def keys_at_the_floor(monkeypatch: pytest.MonkeyPatch) -> None:
    """The CLI processes killed here have the real Argon2id floor, so stores made in this process
    for them get keys at the cheapest cost that floor accepts (not the suite's cheaper one)."""
    from corroborate.store import crypto

    policy = crypto.Argon2Policy(new_keys=crypto.Argon2Cost(9216, 4), minimums=crypto.OWASP_ARGON2ID_MINIMUMS)
    monkeypatch.setattr(crypto, "argon2_policy", policy)


log = logging.getLogger(__name__)

SEED = int(os.environ.get("CORROBORATE_CRASH_SEED", "20070305"))
REFERENCE_ID = "border-crossers-2007"


# --- Where to kill -------------------------------------------------------------------------------


def import_windows(run: Run) -> dict[str, float | None]:
    """Start-up; the write transaction and a bit more; its commit to the exit."""
    lock = None if run.seen is None or run.committed is None else 1.2 * (run.committed - run.seen)
    commit = None if run.committed is None or run.returncode != 0 else run.ended - run.committed
    return {"start": run.seen, "lock": lock, "commit": commit}


def rotation_windows(run: Run) -> dict[str, float | None]:
    """Start-up; the first transaction (the new key); its commit to the last commit (re-encrypt, retire)."""
    lock = None if run.seen is None or run.committed is None else run.committed - run.seen
    commit = None if run.committed is None or run.last is None else 1.2 * (run.last - run.committed)
    return {"start": run.seen, "lock": lock, "commit": commit}


# --- Imports -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def reference() -> Case:
    return read_casefile(REFERENCE_CASE)


def with_id(case: Case, ref: str) -> Case:
    return case.model_copy(update={"case": case.case.model_copy(update={"id": ref})})


def casefile_for(folder: Path, ref: str) -> Path:
    """A copy of the reference casefile under another case id."""
    original = REFERENCE_CASE.read_text(encoding="utf-8")
    line = f"\n  id: {REFERENCE_ID}\n"
    assert original.count(line) == 1
    path = folder / f"{ref}.yaml"
    path.write_text(original.replace(line, f"\n  id: {ref}\n"), encoding="utf-8")
    return path


def table_sizes(location: str) -> dict[str, int]:
    """Rows in every table of the store (opening it the way every command does)."""
    with open_store(location) as store, store.engine.connect() as conn:
        return {
            t.name: conn.execute(select(func.count()).select_from(t)).scalar_one() for t in Base.metadata.sorted_tables
        }


def assert_verifies(location: str) -> None:
    report = services.verify(location, actor=LOCAL_OWNER)
    assert report.ok, "audit verify: " + "; ".join(str(p) for p in report.problems[:5])


@dataclasses.dataclass
class Store:
    """A store under test and what it holds: its cases and the rows of every table."""

    location: str
    cases: set[str] = dataclasses.field(default_factory=set)
    sizes: dict[str, int] = dataclasses.field(default_factory=dict)


@dataclasses.dataclass(frozen=True)
class Expected:
    """What one whole import adds: rows per table, the case's counts and the case itself."""

    delta: dict[str, int]
    counts: CaseCounts
    case: Case
    secrets: Secrets


def import_outcome(store: Store, ref: str, expected: Expected) -> str:
    """Check the store after a killed import of case ``ref``; return "all" or "none"."""
    sizes = table_sizes(store.location)
    assert_verifies(store.location)
    cases = set(services.case_ids(store.location, actor=LOCAL_OWNER))
    if ref not in cases:
        assert cases == store.cases
        assert sizes == store.sizes, "rows were left behind by an import that did not happen"
        return "none"
    assert cases == store.cases | {ref}
    assert sizes == {name: n + expected.delta[name] for name, n in store.sizes.items()}, "a partial import"
    counts = services.summary(store.location, actor=LOCAL_OWNER, case=ref)
    assert counts.witnesses == 12
    assert dataclasses.replace(counts, case=REFERENCE_ID) == expected.counts
    exported = services.export_case(store.location, actor=LOCAL_OWNER, secrets=expected.secrets, case=ref)
    assert with_id(exported, REFERENCE_ID) == expected.case
    store.cases, store.sizes = cases, sizes
    return "all"


def crash_imports(locations: list[str], folder: Path, *, runs: int, reference: Case, secrets: Secrets) -> Replay:
    """Import the reference case into each store (the first time measured), then kill ``runs`` imports of copies."""
    replay = Replay(SEED)
    stores = [Store(location) for location in locations]
    for store in stores:
        services.init_store(store.location)
        store.sizes = table_sizes(store.location)
    empty = dict(stores[0].sizes)
    command = cli("import", str(REFERENCE_CASE), "--store", stores[0].location)
    first = run_process(REFERENCE_ID, command, stores[0].location, None)
    windows = Windows(first, import_windows)
    sizes = table_sizes(stores[0].location)
    delta = {name: n - empty[name] for name, n in sizes.items()}
    expected = Expected(delta, services.summary(stores[0].location, actor=LOCAL_OWNER), reference, secrets)
    assert expected.counts.witnesses == 12
    replay.check(first, partial(import_outcome, stores[0], REFERENCE_ID, expected))
    assert first.outcome == "all"
    for store in stores[1:]:
        services.import_case(store.location, reference, actor=LOCAL_OWNER, secrets=secrets)
        store.cases, store.sizes = {REFERENCE_ID}, dict(sizes)
    log.info("uncontended import: %s", windows)
    quiet = max(1, runs // 5)
    plan = kill_plan(random.Random(SEED), {"start": quiet, "commit": quiet, "lock": runs - 2 * quiet})
    points = list(enumerate(plan))

    def lane(i: int) -> None:
        store = stores[i]
        for n, point in points[i :: len(stores)]:
            if replay.failed.is_set():
                return
            ref = f"run-{n:02d}"
            command = cli("import", str(casefile_for(folder, ref)), "--store", store.location)
            run = run_process(ref, command, store.location, windows.place(point))
            windows.saw(run)
            replay.check(run, partial(import_outcome, store, ref, expected))

    in_lanes(lane, len(stores), stop=replay.failed)
    killed = replay.killed()
    outcomes = Counter(r.outcome for r in killed)
    phases = Counter(r.phase for r in killed)
    log.info("%d killed imports: outcomes %s, phases %s\n%s", runs, dict(outcomes), dict(phases), replay)
    assert outcomes["all"] >= 1 and outcomes["none"] >= 1, f"both outcomes are needed\n{replay}"
    assert phases["transaction"] >= runs // 4, f"too few kills landed inside the write transaction\n{replay}"
    return replay


def test_sigkilled_imports_are_all_or_nothing(tmp_path: Path, reference: Case, secrets: Secrets) -> None:
    locations = [str(tmp_path / f"case-{lane}.db") for lane in range(2)]
    crash_imports(locations, tmp_path, runs=20, reference=reference, secrets=secrets)


@pytest.fixture
def postgres_locations(postgres_server: str) -> Iterator[list[str]]:
    """Two fresh databases on the test server, one per lane."""
    urls: list[str] = []
    try:
        urls += [_fresh_postgres(postgres_server), _fresh_postgres(postgres_server)]
        yield urls
    finally:
        for url in urls:
            _drop_postgres(postgres_server, url)


@pytest.mark.postgres
def test_sigkilled_imports_are_all_or_nothing_on_postgres(
    postgres_locations: list[str], tmp_path: Path, reference: Case, secrets: Secrets
) -> None:
    crash_imports(postgres_locations, tmp_path, runs=5, reference=reference, secrets=secrets)


# --- Key rotation --------------------------------------------------------------------------------


def key_state(location: str) -> tuple[list[tuple[int, str]], list[int]]:
    """(version, state) of every case key, and the key version of every sealed identity."""
    with open_store(location) as store, store.transaction() as session:
        query = select(CaseKeyRow.version, CaseKeyRow.state).order_by(CaseKeyRow.version)
        keys = [(version, state) for version, state in session.execute(query)]
        versions = list(session.scalars(select(WitnessIdentityRow.key_version)))
    return keys, versions


def rotation_outcome(location: str, originals: dict[str, RestrictedIdentity], secrets: Secrets) -> str:
    """Check the store after a killed rotation; say how far the rotation had got."""
    assert_verifies(location)
    assert services.identities(location, actor=LOCAL_OWNER, secrets=secrets) == originals
    keys, versions = key_state(location)
    states = [state for _, state in keys]
    assert states in (["current"], ["current", "next"]), f"key states {keys}"
    assert set(versions) <= {v for v, _ in keys}, f"identities sealed under a key that is gone: {keys} {versions}"
    if "next" not in states:
        return f"settled v{keys[0][0]}"
    return "midway (rows under both keys)" if len(set(versions)) > 1 else "midway"


def test_sigkilled_key_rotation_leaves_every_identity_readable(
    tmp_path: Path, reference: Case, secrets: Secrets
) -> None:
    locations = [str(tmp_path / f"case-{lane}.db") for lane in range(2)]
    for location in locations:
        services.import_case(location, reference, actor=LOCAL_OWNER, secrets=secrets)
    originals = {w.id: w.restricted for w in reference.witnesses if w.restricted is not None}
    assert len(originals) > 1
    assert services.identities(locations[0], actor=LOCAL_OWNER, secrets=secrets) == originals
    replay = Replay(SEED)

    def rotate(name: str, location: str, point: KillPoint | None) -> Run:
        run = run_process(name, cli("rotate-key", location, "--batch", "1"), location, point)
        replay.check(run, partial(rotation_outcome, location, originals, secrets))
        return run

    # A rotation is a first transaction (the new key), one per identity, and a last one (retire the old key).
    first = rotate("calibration", locations[0], None)
    # Not adjusted by later runs: a rotation resumed after a kill is shorter than a whole one.
    windows = Windows(first, rotation_windows)
    assert first.outcome == "settled v2"
    log.info("uncontended rotation: %s", windows)
    points = list(enumerate(kill_plan(random.Random(SEED), {"start": 2, "lock": 2, "commit": 6})))

    def lane(i: int) -> None:
        for n, point in points[i :: len(locations)]:
            if replay.failed.is_set():
                return
            rotate(f"rotation-{n:02d}", locations[i], windows.place(point))
        # Then once more, to the end: the rotation carries on and retires every old key.
        last = rotate(f"rotation-{i}-to-the-end", locations[i], None)
        assert last.returncode == 0 and last.outcome.startswith("settled"), str(replay)
        keys, versions = key_state(locations[i])
        assert len(keys) == 1 and keys[0][1] == "current", f"exactly one current key must remain: {keys}\n{replay}"
        assert set(versions) == {keys[0][0]}, f"identities not under the current key: {versions}\n{replay}"

    in_lanes(lane, len(locations), stop=replay.failed)
    killed = Counter(r.outcome.split(" (")[0] if r.outcome.startswith("midway") else "settled" for r in replay.killed())
    log.info("%d killed rotations: %s\n%s", len(points), dict(killed), replay)
    assert killed["midway"] >= 1, f"no kill landed in the middle of a rotation\n{replay}"
