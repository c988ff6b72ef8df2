"""Killing real CLI processes at chosen points, for the crash-safety tests (test_crash.py).

Nearly all of a CLI process's wall time is interpreter start-up and (for an
import) casefile validation, which write nothing; the write transactions are
a few per cent of it. Delays counted from the start of the process would
almost never land in the interesting part. So ``run_process`` watches the
store from outside -- whether a write transaction is open (SQLite: ``BEGIN
IMMEDIATE`` fails while another connection holds the write lock; PostgreSQL:
another backend has a transaction id) and whether a commit happened (the
newest audit entry changed) -- and kills relative to what it sees: after the
process start, the write lock first seen, or the first commit seen.
``Windows`` says how long each of those phases lasts, from a measured
uncontended run. Nothing here ever leaves a process running.
"""

from __future__ import annotations

import dataclasses
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Protocol

from sqlalchemy import create_engine, text

__all__ = [
    "KillPoint",
    "Measure",
    "Replay",
    "Run",
    "Windows",
    "cli",
    "in_lanes",
    "kill_plan",
    "run_process",
]

POLL = 0.0005  # seconds between looks at the store while a process runs
KILL_WAIT = 60.0  # no process in these tests should live longer than this
LAST_ENTRY = "SELECT coalesce(max(seq), 0) FROM audit_log"


# --- Watching a store from outside -------------------------------------------------------------


class WriteProbe(Protocol):
    def held(self) -> bool:
        """True while another connection has an open write transaction."""

    def commits(self) -> int:
        """The newest audit entry's number: every committed write adds entries, so a change means a commit."""

    def settle(self) -> None:
        """Wait until the server has dropped every connection of a killed process."""

    def close(self) -> None: ...


class SqliteProbe:
    """In WAL mode only one connection can write: BEGIN IMMEDIATE fails at once while another writes."""

    def __init__(self, location: str) -> None:
        self._conn = sqlite3.connect(location, timeout=0, isolation_level=None)

    def held(self) -> bool:
        try:
            self._conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc):
                raise
            return True
        self._conn.execute("ROLLBACK")
        return False

    def commits(self) -> int:
        # A plain read: in WAL mode it neither waits for nor blocks the writer.
        return int(self._conn.execute(LAST_ENTRY).fetchone()[0])

    def settle(self) -> None:
        pass  # no server: once the process is reaped nothing of it remains

    def close(self) -> None:
        self._conn.close()


class PostgresProbe:
    """PostgreSQL gives a backend a transaction id at its first write and drops it at commit or abort."""

    def __init__(self, location: str) -> None:
        self._engine = create_engine(location, isolation_level="AUTOCOMMIT")
        self._conn = self._engine.connect()

    def _others(self, condition: str) -> int:
        query = "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        return int(self._conn.execute(text(f"{query} {condition}")).scalar_one())

    def held(self) -> bool:
        return self._others("AND backend_xid IS NOT NULL") > 0

    def commits(self) -> int:
        return int(self._conn.execute(text(LAST_ENTRY)).scalar_one())

    def settle(self) -> None:
        # A COMMIT already sent by the killed client may still be applied: check only afterwards.
        deadline = time.monotonic() + 10
        while self._others("") > 0:
            assert time.monotonic() < deadline, "the server kept a killed client's connection for 10 s"
            time.sleep(0.01)

    def close(self) -> None:
        self._conn.close()
        self._engine.dispose()


def probe_for(location: str) -> WriteProbe:
    return PostgresProbe(location) if "://" in location else SqliteProbe(location)


# --- Running and killing a process ---------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class KillPoint:
    """Kill ``delay`` seconds after ``anchor`` -- the process ``start``, the write ``lock`` first seen,
    or the first ``commit`` seen -- which is ``share`` of the way through that anchor's window."""

    anchor: str
    share: float
    delay: float = 0.0

    def __str__(self) -> str:
        return f"{self.anchor}+{self.delay * 1000:.0f}ms ({self.share:.0%})"


@dataclasses.dataclass
class Run:
    """What one process did: when (seconds from its start) the write lock was first seen, a commit was
    first and last seen, and it ended; ``phase`` is where it was when the kill was sent."""

    name: str
    point: KillPoint | None
    returncode: int
    phase: str
    seen: float | None
    committed: float | None
    last: float | None
    ended: float
    stderr: str
    outcome: str = "?"
    checked: float = 0.0

    def __str__(self) -> str:
        return f"{self.name}: {self.point or 'no kill'}, {self.phase} -> {self.outcome} ({self.checked:.1f}s checks)"


def cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "corroborate", *args]


def run_process(name: str, command: list[str], location: str, point: KillPoint | None) -> Run:
    """Start a real CLI process, watch the store, SIGKILL it at ``point`` (None: let it finish)."""
    env = dict(os.environ)  # carries the passphrase from conftest's autouse fixture
    probe = probe_for(location)
    try:
        entries = probe.commits()
        start = time.monotonic()
        deadline = start + point.delay if point is not None and point.anchor == "start" else None
        seen = committed = last = None
        held = False
        proc = subprocess.Popen(
            command, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        try:
            while proc.poll() is None and (deadline is None or time.monotonic() < deadline):
                assert time.monotonic() - start < KILL_WAIT, f"{name} still running after {KILL_WAIT:.0f} s"
                held, newest = probe.held(), probe.commits()
                now = time.monotonic()
                if held and seen is None:
                    seen = now
                    if point is not None and point.anchor == "lock":
                        deadline = now + point.delay
                if newest != entries:
                    entries, last = newest, now
                    if committed is None:
                        committed = now
                        if point is not None and point.anchor == "commit":
                            deadline = now + point.delay
                time.sleep(POLL)
            if proc.poll() is not None:
                phase = "exited"
            elif held:
                phase = "transaction"
            elif committed is not None:
                phase = "committed"
            else:
                phase = "start-up" if seen is None else "between transactions"
            if point is not None:
                proc.send_signal(signal.SIGKILL)
            _, stderr = proc.communicate(timeout=KILL_WAIT)
            ended = time.monotonic()
        finally:
            if proc.poll() is None:  # never leave a process behind, whatever went wrong
                proc.kill()
                proc.communicate()
        probe.settle()
    finally:
        # Closed before the checks, so that they open the store cold (SQLite recovers the WAL).
        probe.close()
    since = {k: None if v is None else v - start for k, v in (("seen", seen), ("committed", committed), ("last", last))}
    return Run(name, point, proc.returncode, phase, **since, ended=ended - start, stderr=stderr.strip())


def spread(rng: random.Random, n: int) -> list[float]:
    """n shares covering [0, 1] evenly: one in each of n equal slices, at a random place in it."""
    return [(k + rng.random()) / n for k in range(n)]


def kill_plan(rng: random.Random, counts: dict[str, int]) -> list[KillPoint]:
    """So many kills after each anchor, spread evenly over its window; shuffled."""
    points = [KillPoint(anchor, share) for anchor, n in counts.items() for share in spread(rng, n)]
    rng.shuffle(points)
    return points


Measure = Callable[[Run], dict[str, float | None]]


class Windows:
    """How far after each anchor the kills spread, measured on an uncontended run. ``saw`` shrinks a
    window to the shortest any later run shows, so that a measurement slowed by a busy machine cannot
    push every kill past the commit."""

    def __init__(self, first: Run, measure: Measure) -> None:
        assert first.returncode == 0, f"the uncontended run failed: {first.stderr}"
        found = measure(first)
        assert all(found.values()), f"the write phases were not all seen: {first} {found}"
        self.windows = {anchor: float(length or 0) for anchor, length in found.items()}
        self._measure, self._lock = measure, threading.Lock()

    def saw(self, run: Run) -> None:
        with self._lock:
            for anchor, length in self._measure(run).items():
                if length:
                    self.windows[anchor] = min(self.windows[anchor], length)

    def place(self, point: KillPoint) -> KillPoint:
        with self._lock:
            return dataclasses.replace(point, delay=point.share * self.windows[point.anchor])

    def __str__(self) -> str:
        return ", ".join(f"{anchor} {length * 1000:.0f}ms" for anchor, length in self.windows.items())


class Replay:
    """Every run so far, so that any failure names its seed and kill point; shared by the lanes."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self.runs: list[Run] = []
        self.failed = threading.Event()
        self._lock = threading.Lock()

    def check(self, run: Run, checker: Callable[[], str]) -> None:
        with self._lock:
            self.runs.append(run)
        try:
            assert run.returncode in (0, -signal.SIGKILL), f"failed on its own ({run.returncode}): {run.stderr}"
            started = time.monotonic()
            run.outcome = checker()
            run.checked = time.monotonic() - started
        except Exception as exc:
            self.failed.set()
            run.outcome = "FAILED"
            raise AssertionError(f"after {run}:\n{exc}\n{self}") from exc

    def killed(self) -> list[Run]:
        return [r for r in self.runs if r.point is not None]

    def __str__(self) -> str:
        lines = [f"seed {self.seed} (set CORROBORATE_CRASH_SEED to replay):"]
        return "\n".join(lines + [f"  {r}" for r in sorted(self.runs, key=lambda r: r.name)])


def in_lanes(work: Callable[[int], None], lanes: int, *, stop: threading.Event) -> None:
    """Run ``work(lane)`` for each lane at once: a lane is its own store, so two processes run side by side
    (most of a process's life is start-up, which a second core overlaps). ``stop`` tells the lanes to end
    early when one fails or the run is interrupted."""

    def guarded(lane: int) -> None:
        try:
            work(lane)
        except BaseException:
            stop.set()
            raise

    with ThreadPoolExecutor(lanes) as pool:
        futures = [pool.submit(guarded, lane) for lane in range(lanes)]
        try:
            for future in futures:
                future.result()
        except BaseException:
            stop.set()
            raise
