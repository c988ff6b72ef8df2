"""Benchmark: a live case store at reference scale, read and written through the services the CLI calls.

Generates the case of ``assess_scale.py`` (20,000 witnesses, 100,000 interviews,
2,000 documents, 1,000,000 excerpts with generated text in English and Korean,
1,000,000 claims, 500 propositions) and writes it through the project's own
import (``services.import_case``: one transaction, every row audited and the
log signed, so ``corroborate audit verify`` can check the store). Then
measures, median of several runs each, in one process:

(a) one proposition assessed from the store (``corroborate assess STORE --proposition KEY``),
(b) the whole case assessed from the store, loading included (``corroborate assess STORE``),
(c) a filtered, paged claim listing (``corroborate claims STORE --proposition KEY --stance supports``
    with ``--limit 50`` and an offset near the end of its claims; and ``--stance supports`` alone at
    an offset half-way through the case),
(d) searches (``corroborate search``): a place in Hangul, a place in Latin letters, a common word,
(e) adding one claim (``corroborate code``), signed through an unlock session.

For (a) and (b) loading and assessing are also timed apart. Each figure is the median wall-clock
time, with the median CPU time of the process beside it (on a machine shared with other work the
wall clock grows, the CPU time much less). Usage:
    .venv/bin/python benchmarks/live_store.py [--scale 0.1] [--runs 5] [--slow-runs 3]
        [--reuse /tmp/bench/live.db] [--postgres postgresql+psycopg://127.0.0.1:5432/test]
``--reuse`` keeps the store (a SQLite path, or with ``--postgres`` a database name on that server) and
generates it only when it does not exist yet; without it the store is made in a temporary place and removed.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from assess_scale import ORIGINS, generate

from corroborate import services
from corroborate.analysis import SourceIndex, assess_claims
from corroborate.domain import Claim
from corroborate.services import LOCAL_OWNER, Action, Listed, Secrets, analysis
from corroborate.services.cases import actor_case
from corroborate.services.search import search
from corroborate.services.unlocking import case_keys, start_session
from corroborate.store import case_counts, open_store, proposition_keys, resolve_case
from corroborate.store.evidence import (
    AssessmentSources,
    ClaimTuple,
    assessment_sources,
    cited_sources,
    claim_tuples,
    proposition_pk,
)

PASSPHRASE = "benchmark passphrase: tundra lantern oboe quarry"  # a generated store holds nothing secret
CASE = "bench"
_HANGUL = {"Chongjin": "청진", "Hoeryong": "회령", "Musan": "무산", "Hyesan": "혜산", "Onsong": "온성"}
_SENTENCES = [
    "We were taken to the {facility} in {place} and held for {n} months.",
    "The security agents said anyone caught crossing the border would go to prison for {n} years.",
    "At a meeting in {place} they announced the new punishment for crossing into China.",
    "{hangul}에서 온 사람들이 교화소에 갔다.",
    "There was not enough food; we ate corn porridge twice a day.",
    "Guards beat the women who had been sent back from China.",
    "I heard from my neighbour that people from {place} were sent to a labour camp.",
    "국경 경비대가 밤에 강을 지켰다.",
    "We crossed the Tumen river at night in {month}.",
    "My sister was repatriated and questioned by the police in {place}.",
    "The inminban leader read the decree aloud; nobody asked questions.",
    "After {n} weeks in the holding centre they let us go home to {place}.",
    "{hangul} 보위부 구류장에서 {n}개월 동안 있었다.",
    "Traders paid the border guards so that they could cross and come back.",
    "In {month} the rules changed and the sentences became longer.",
]
_MONTHS = ["January", "March", "May", "July", "September", "November"]


def excerpt_texts(count: int, seed: int = 11) -> list[str]:
    """``count`` generated excerpt texts of one to three sentences, places in several spellings and scripts."""
    rnd = random.Random(seed)
    texts = []
    for _ in range(count):
        sentences = []
        for _ in range(rnd.choice((1, 1, 2, 2, 3))):
            place = rnd.choice(ORIGINS)
            sentences.append(rnd.choice(_SENTENCES).format(
                place=place, hangul=_HANGUL.get(place, "청진"), n=rnd.randint(1, 12), month=rnd.choice(_MONTHS),
                facility=rnd.choice(["kyohwaso", "jipkyolso", "labour training camp", "detention centre"]),
            ))  # fmt: skip
        texts.append(" ".join(sentences))
    return texts


def median_of(runs: int, step: Callable[[], object], label: str) -> float:
    """Run ``step`` ``runs`` times; print each wall-clock time, the median, and the median CPU time of this
    process (which other programs on the machine inflate less); return the median wall-clock time (s)."""
    times, cpu = [], []
    for _ in range(runs):
        gc.collect()
        started, used = time.perf_counter(), time.process_time()
        step()
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - used)
    ms = ", ".join(f"{t * 1000:.0f}" if t >= 1 else f"{t * 1000:.1f}" for t in times)
    print(
        f"{label}: median of {runs}: {_ms(statistics.median(times))} (cpu {_ms(statistics.median(cpu))}; runs: {ms} ms)"
    )
    return statistics.median(times)


def _ms(seconds: float) -> str:
    return f"{seconds:.2f} s" if seconds >= 1 else f"{seconds * 1000:.1f} ms"


@contextmanager
def postgres_database(server: str, name: str | None) -> Iterator[tuple[str, bool]]:
    """A database on the server: ``name`` (kept, made if missing) or a new one (dropped). Yields (url, existed)."""
    from sqlalchemy import create_engine, text

    engine = create_engine(server, isolation_level="AUTOCOMMIT")
    chosen = name or f"corroborate_bench_{uuid.uuid4().hex[:12]}"
    with engine.connect() as conn:
        existed = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": chosen}).first()
        if not existed:
            conn.execute(text(f'CREATE DATABASE "{chosen}"'))
    try:
        yield server.rsplit("/", 1)[0] + f"/{chosen}", existed is not None
    finally:
        if name is None:
            with engine.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{chosen}" WITH (FORCE)'))
        engine.dispose()


@contextmanager
def store_location(args: argparse.Namespace) -> Iterator[tuple[str, bool]]:
    """Where the store is, and whether it already holds the generated case."""
    if args.postgres:
        with postgres_database(args.postgres, args.reuse) as found:
            yield found
        return
    if args.reuse:
        path = Path(args.reuse)
        path.parent.mkdir(parents=True, exist_ok=True)
        yield str(path), path.exists()
        return
    with tempfile.TemporaryDirectory(prefix="corroborate-bench-") as tmp:
        yield str(Path(tmp) / "live.db"), False


def analyse(location: str) -> None:
    """PostgreSQL: table statistics, as autovacuum keeps them on a server (a store just made has none yet)."""
    with open_store(location) as store, store.engine.connect() as conn:
        conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("ANALYZE")


def build(location: str, args: argparse.Namespace, secrets: Secrets) -> None:
    """Generate the case and import it; print how long each took."""
    n = {k: max(1, round(v * args.scale)) for k, v in
         {"witnesses": 20_000, "interviews": 100_000, "claims": 1_000_000, "propositions": 500}.items()}  # fmt: skip
    started = time.perf_counter()
    case = generate(n["witnesses"], n["interviews"], n["claims"], min(500, n["propositions"]),
                    texts=excerpt_texts(min(n["claims"], 49_999)))  # fmt: skip
    made = time.perf_counter() - started
    print(f"generated {n['witnesses']:,} witnesses, {n['interviews']:,} interviews, {len(case.documents):,} "
          f"documents, {len(case.excerpts):,} excerpts, {n['claims']:,} claims, {len(case.propositions)} "
          f"propositions (assess_scale.generate, domain objects) in {made:.1f} s")  # fmt: skip
    started = time.perf_counter()
    result = services.import_case(location, case, actor=LOCAL_OWNER, secrets=secrets)
    print(f"imported {result.rows:,} rows with services.import_case (one transaction, an audit entry per row, "
          f"signed) in {time.perf_counter() - started:.1f} s")  # fmt: skip


def _rows(location: str, key: str | None) -> tuple[AssessmentSources, list[ClaimTuple]]:
    """What ``analysis.assess`` reads for a case (or one proposition), read the way it reads it: with the
    cyclic garbage collector paused, as the assessment that takes the rows pauses it."""
    with open_store(location) as store, store.transaction() as session, _gc_paused():
        case = resolve_case(session, CASE).pk
        if key is None:
            return assessment_sources(session, case), list(claim_tuples(session, case))
        pk = proposition_pk(session, case, key)
        assert pk is not None
        claims = list(claim_tuples(session, case, pk))
        return cited_sources(session, pk, claims), claims


@contextmanager
def _gc_paused() -> Iterator[None]:
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _assess_rows(sources: AssessmentSources, claims: list[ClaimTuple]) -> None:
    index = SourceIndex()
    index.add_facts(sources.witness_facts(), sources.documents, sources.interviews, witness=sources.witness)
    assess_claims(sources.propositions, index, claims)


def _assess_apart(location: str, runs: int) -> None:
    """(b) assessing alone, on the case's rows read once (freed on return)."""
    sources, rows = _rows(location, None)
    median_of(runs, lambda: _assess_rows(sources, rows), "(b) assess them")


def measure(location: str, args: argparse.Namespace, secrets: Secrets) -> None:
    """Time (a) to (e) on the store at ``location``."""
    runs, slow = args.runs, args.slow_runs
    with open_store(location) as store, store.transaction() as session:
        keys = proposition_keys(session, CASE)
        claims = case_counts(session, CASE).claims
    key = keys[1]  # p1: supported only (p0 is one of the disputed ones)
    sources, rows = _rows(location, key)
    print(f"(a) proposition {key}: {len(rows):,} claims, {len(sources.interviews):,} interviews, "
          f"{len(sources.witnesses):,} witnesses, {len(sources.documents):,} documents")  # fmt: skip
    median_of(runs, lambda: _rows(location, key), "(a) load its rows")
    median_of(runs, lambda: _assess_rows(sources, rows), "(a) assess them")
    median_of(runs, lambda: analysis.assess(location, actor=LOCAL_OWNER, proposition=key), "(a) one proposition")

    median_of(slow, lambda: _rows(location, None), "(b) load the case's rows")
    _assess_apart(location, slow)
    grades: Counter[str] = Counter()
    median_of(slow, lambda: grades.update(a.grade for a in analysis.assess(location, actor=LOCAL_OWNER).assessments),
              "(b) whole case")  # fmt: skip
    print(f"    grades (all runs): {dict(sorted(grades.items()))}")

    listed = services.claims(location, actor=LOCAL_OWNER, proposition=key, stance="supports")
    deep = max(0, len(listed) - 60)
    median_of(runs, lambda: services.claims(location, actor=LOCAL_OWNER, proposition=key, stance="supports",
                                            listed=Listed(limit=50, offset=deep)),
              f"(c) claims of {key}, at {deep:,}")  # fmt: skip
    half = claims // 2
    median_of(runs, lambda: services.claims(location, actor=LOCAL_OWNER, stance="supports",
                                            listed=Listed(limit=50, offset=half)),
              f"(c) supporting claims, offset {half:,}")  # fmt: skip

    for query in ("청진", "Hoeryong", "guards"):
        hits = search(location, query, actor=LOCAL_OWNER)
        median_of(runs, lambda q=query: search(location, q, actor=LOCAL_OWNER), f"(d) search {query!r}")
        best = f"best: {hits[0].kind} {hits[0].ref}, score {hits[0].score}" if hits else ""
        print(f"    {len(hits)} hits; {best}")

    tag = uuid.uuid4().hex[:8]
    chosen = random.Random(tag)  # a new excerpt each time: the same coding twice is refused
    counter = iter(range(10**6))

    def add() -> None:
        claim = Claim(id=f"C-new-{tag}-{next(counter)}", excerpt=f"E-{chosen.randrange(claims)}", proposition=key,
                      stance="supports", attributes={"facility": "kyohwaso"}, note=f"benchmark {tag}")  # fmt: skip
        analysis.add_claim(location, claim, actor=LOCAL_OWNER, secrets=secrets)

    add()  # the first write of a process compiles its statements (a server does that once), as (d) searches once first
    median_of(runs, add, "(e) add one claim")
    with services.kept_open(location):  # as `corroborate serve` keeps its store: connections pooled between calls
        add()
        median_of(runs, add, "(e) add one claim, store kept open")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the reference scale (0.1: a tenth)")
    parser.add_argument("--runs", type=int, default=5, help="runs of each fast measurement")
    parser.add_argument("--slow-runs", type=int, default=3, help="runs of the whole case")
    parser.add_argument("--reuse", help="keep the store here (generated when missing)")
    parser.add_argument("--postgres", help="a PostgreSQL server URL; the store is a new database on it")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="corroborate-bench-sessions-") as sessions, store_location(args) as found:
        location, existed = found
        secrets = Secrets(passphrase=lambda _case: PASSPHRASE, session_dir=Path(sessions))
        print(f"store: {location} ({'reused' if existed else 'new'}); python {sys.version.split()[0]}; {_load()}")
        if not existed:
            build(location, args, secrets)
        services.init_store(location)  # a reused store is brought up to the code's schema
        if args.postgres:
            analyse(location)
        with open_store(location) as store, store.transaction() as session:
            row = actor_case(session, LOCAL_OWNER, Action.code_claims, CASE)
            token = start_session(secrets, location, case_keys(session, row, secrets, location=location), minutes=60)
        unlocked = Secrets(passphrase=lambda _case: None, session_token=token, session_dir=Path(sessions))
        measure(location, args, unlocked)
        print(f"done; {_load()}")


def _load() -> str:
    """The machine's load average (1, 5 and 15 minutes): the share of the wall clock other work took."""
    return "load average " + ", ".join(f"{x:.2f}" for x in os.getloadavg())


if __name__ == "__main__":
    main()
