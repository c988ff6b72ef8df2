"""Benchmark: the web workbench under a team's load, on this machine's loopback only.

Starts ``corroborate serve`` on a free port of 127.0.0.1 over a store, signs N simulated users in through
the sign-in form (each its own browser session and form token), then for a fixed time each user repeats
a mix of what analysts do, one request after another with a short pause between them:

- browsing: the case's dashboard, the witnesses list with a filter (and its next page), a witness, the
  interviews of a witness, an interview, the excerpts list, an excerpt, a proposition;
- searching: ``/cases/{case}/search?q=...`` with places in Latin letters and in Hangul, and common words;
- coding: an excerpt's page, then the first suggestion its coding panel offers, accepted through the
  panel's form (POST ``/cases/{case}/excerpts/{ref}/claims``, as htmx sends it).

It prints, per kind of request, the count, requests per second, median and p95 latency and errors (a
status of 400 or more, a redirect where a page was expected, or an exception). With ``--api`` the same mix
goes to the JSON API under ``/api/v1`` instead (``web_load_api.py``: the kinds it offers so far). After
the run it checks that no write was lost: every claim a coding answer acknowledged is in the store and in
its audit log.
The store is the reference case (imported into a temporary store) unless ``--store`` or
``--generate-scale`` names another; the benchmark's accounts (``bench-owner``, ``bench-analyst-NN``)
are added when missing. The load generator runs in this process (asyncio, one httpx2 client per user),
so on a small machine it takes a share of the cores from the server: its latencies are upper bounds.
Usage:
    .venv/bin/python benchmarks/web_load.py [--users 50] [--seconds 120] [--workers 1] [--think 1.0] [--api]
        [--skip dashboard,excerpt,code] [--timeout 60]
        [--store PATH_OR_URL [--case ID] | --generate-scale 0.01 [--reuse /tmp/bench/live.db]]
        [--postgres postgresql+psycopg://postgres@127.0.0.1:5432/postgres [--reuse DATABASE]]
With ``--postgres`` the store is a database on that server (``--reuse`` names it; without it a new one is
made and dropped). ``--reuse`` keeps a generated store and generates it only when missing, as
``live_store.py`` does (the same case: stores made by either script serve both). An existing ``--store``
with accounts needs an owner's ``CORROBORATE_USER``/``CORROBORATE_PASSWORD`` and the case passphrase
(``CORROBORATE_PASSPHRASE``) to add the benchmark's accounts. ``--skip`` leaves kinds out of the mix (on a
case of reference scale, the pages that read the whole case would otherwise hold the server: see the figures
in README.md).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx2 as httpx
from live_store import CASE as GENERATED_CASE
from live_store import PASSPHRASE, analyse, build, store_location
from web_load_api import PREFIX, api_kinds, api_step

from corroborate import services
from corroborate.errors import NotAuthenticated
from corroborate.services import LOCAL_OWNER, Actor, Listed, Role, Secrets, listings, websessions

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "examples" / "border-crossers-2007" / "case.yaml"
REFERENCE_CASE = "border-crossers-2007"
OWNER = "bench-owner"
ACCOUNTS = 10  # analyst accounts; users share them round-robin, each with a session of their own
QUERIES = ["Hoeryong", "Chongjin", "Musan", "회령", "청진", "무산", "guards", "prison", "food", "border", "교화소"]
WEIGHTS = {"dashboard": 1, "witnesses": 3, "witness": 2, "interviews": 1, "interview": 1, "excerpts": 1,
           "excerpt": 1, "proposition": 1, "search": 4, "code": 2}  # fmt: skip
SUGGESTION = re.compile(r'<form method="post" action="[^"]+/claims".*?</form>', re.S)
CLAIM_ID = re.compile(r"<li><code>([^<]+)</code> \(")


def password(name: str) -> str:
    return f"{name}'s benchmark password, not a secret"


@dataclass
class Sample:
    """Records to visit, read from the store before the run (public fields only)."""

    witnesses: list[str]
    interviews: list[str]
    excerpts: list[str]
    propositions: list[str]
    origins: list[str]
    queries: list[str] = field(default_factory=lambda: list(QUERIES))


@dataclass
class Tally:
    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    examples: dict[str, str] = field(default_factory=dict)
    coded: list[tuple[str, str]] = field(default_factory=list)  # (excerpt, claim id) acknowledged
    unlisted: int = 0  # acknowledged answers whose panel showed no new claim

    def fail(self, kind: str, why: str) -> None:
        self.errors[kind] += 1
        self.examples.setdefault(kind, why)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def load() -> str:
    return "load average " + ", ".join(f"{x:.2f}" for x in os.getloadavg())


def prepare(args: argparse.Namespace, location: str, existed: bool, secrets: Secrets) -> str:
    """Make the store when it is new (generated or the reference case); the case to load."""
    if not existed:
        started = time.perf_counter()
        if args.generate_scale:
            build(location, argparse.Namespace(scale=args.generate_scale), secrets)
        else:
            services.import_casefile(location, REFERENCE, actor=LOCAL_OWNER, secrets=secrets)
            print(f"imported the reference case in {time.perf_counter() - started:.1f} s")
    services.init_store(location)  # a reused store is brought up to the code's schema
    if location.startswith("postgresql"):
        analyse(location)
    if args.case:
        return str(args.case)
    return GENERATED_CASE if args.generate_scale else REFERENCE_CASE


def accounts(location: str, secrets: Secrets) -> tuple[Actor, list[str]]:
    """The owner to check with and the analysts' names, each added when missing."""
    if not websessions.has_accounts(location):
        services.add_user(location, OWNER, password(OWNER), Role.owner, actor=LOCAL_OWNER, secrets=secrets)
    try:
        owner = services.authenticate(location, OWNER, password(OWNER))
    except NotAuthenticated:
        owner = services.authenticate(location, os.environ["CORROBORATE_USER"], os.environ["CORROBORATE_PASSWORD"])
    known = {u.username for u in services.list_users(location, actor=owner)}
    names = [f"bench-analyst-{n:02d}" for n in range(1, ACCOUNTS + 1)]
    for name in names:
        if name not in known:
            services.add_user(location, name, password(name), Role.analyst, actor=owner, secrets=secrets)
    return owner, names


def sample(location: str, case: str, owner: Actor, rnd: random.Random) -> Sample:
    """About 200 of each kind of record, from the start, the middle and the end of the case's order."""
    counts = services.summary(location, actor=owner, case=case)

    def spread(total: int, fetch: Callable[[Listed], list[str]]) -> list[str]:
        found: list[str] = []
        for offset in sorted({0, max(0, total // 2 - 35), max(0, total - 70)}):
            found += fetch(Listed(limit=70, offset=offset))
        return sorted(set(found))

    witnesses = spread(counts.witnesses, lambda page: [
        r.witness.id for r in services.witnesses(location, actor=owner, case=case, listed=page)])  # fmt: skip
    interviews = spread(counts.interviews, lambda page: [
        r.id for r in services.interviews(location, actor=owner, case=case, listed=page)])  # fmt: skip
    excerpts = spread(counts.excerpts, lambda page: [
        r.id for r in services.excerpts(location, actor=owner, case=case, listed=page)])  # fmt: skip
    keys = [p.key for p in listings.propositions(location, actor=owner, case=case)]
    places = [p for p, _ in sorted(services.origins(location, actor=owner, case=case).items(), key=lambda x: -x[1])
              if p][:8]  # fmt: skip
    rnd.shuffle(excerpts)
    return Sample(witnesses, interviews, excerpts, keys, places)


def start_server(location: str, port: int, workers: int, env: dict[str, str]) -> subprocess.Popen[bytes]:
    command = [str(ROOT / ".venv" / "bin" / "corroborate"), "serve", location, "--port", str(port),
               "--workers", str(workers)]  # fmt: skip
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"corroborate serve stopped with code {server.returncode}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/login", timeout=2).status_code == 200:
                return server
        except httpx.TransportError:
            pass
        time.sleep(0.5)
    server.terminate()
    raise SystemExit("corroborate serve did not answer within 180 s")


def form_value(page: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]+)"', page)
    if not found:
        raise RuntimeError(f"no {name} in the page")
    return found.group(1)


async def sign_in(client: httpx.AsyncClient, name: str, case: str) -> str:
    """Sign in through the form; the session's form token (read from a cheap page)."""
    page = await client.get("/login")
    answer = await client.post("/login", data={"username": name, "password": password(name), "next": "/",
                                               "form_token": form_value(page.text, "form_token")})  # fmt: skip
    if answer.status_code != 303:
        raise RuntimeError(f"sign-in of {name} answered {answer.status_code}")
    return form_value((await client.get(f"/cases/{case}/search")).text, "csrf")


class User:
    """One simulated analyst: a browser session, a random walk through the mix."""

    def __init__(self, n: int, client: httpx.AsyncClient, csrf: str, *, case: str, data: Sample, tally: Tally,
                 args: argparse.Namespace, routes: dict[str, str]) -> None:  # fmt: skip
        self.n, self.client, self.csrf, self.case, self.data, self.tally = n, client, csrf, case, data, tally
        self.routes, self.counter = routes, 0  # with --api: kind -> its route under /api/v1
        self.think, self.skip = args.think, set(args.skip.split(",")) if args.skip else set()
        self.rnd = random.Random(n)
        self.mine = data.excerpts[n :: args.users] or data.excerpts  # users code apart: each sees its own writes

    async def timed(self, kind: str, method: str, url: str, *, ok: int = 200, **kw: Any) -> httpx.Response | None:
        started = time.perf_counter()
        try:
            answer = await self.client.request(method, url, **kw)
        except httpx.HTTPError as exc:
            self.tally.times[kind].append(time.perf_counter() - started)
            self.tally.fail(kind, f"{type(exc).__name__} on {url}")
            return None
        self.tally.times[kind].append(time.perf_counter() - started)
        if answer.status_code != ok:
            self.tally.fail(kind, f"{answer.status_code} on {method} {url}")
            return None
        return answer

    async def step(self, kind: str) -> None:
        c, d, r = f"/cases/{self.case}", self.data, self.rnd
        if self.routes:
            await api_step(self, kind)
        elif kind == "dashboard":
            await self.timed(kind, "GET", c)
        elif kind == "witnesses":
            filters = r.choice([{"origin": r.choice(d.origins)} if d.origins else {}, {"gender": "female"},
                                {"age": r.choice(["20-29", "30-39", "40-49"])}, {}])  # fmt: skip
            page = await self.timed(kind, "GET", f"{c}/witnesses", params=filters)
            following = re.search(r"after=([^\"&]+)", page.text) if page is not None else None
            if following and r.random() < 0.5:
                await self.timed(kind, "GET", f"{c}/witnesses", params={**filters, "after": following.group(1)})
        elif kind == "witness":
            await self.timed(kind, "GET", f"{c}/witnesses/{r.choice(d.witnesses)}")
        elif kind == "interviews":
            await self.timed(kind, "GET", f"{c}/interviews", params={"witness": r.choice(d.witnesses)})
        elif kind == "interview":
            await self.timed(kind, "GET", f"{c}/interviews/{r.choice(d.interviews)}")
        elif kind == "excerpts":
            await self.timed(kind, "GET", f"{c}/excerpts", params={"proposition": r.choice(d.propositions)})
        elif kind == "excerpt":
            await self.timed(kind, "GET", f"{c}/excerpts/{r.choice(d.excerpts)}")
        elif kind == "proposition":
            await self.timed(kind, "GET", f"{c}/propositions/{r.choice(d.propositions)}")
        elif kind == "search":
            await self.timed(kind, "GET", f"{c}/search", params={"q": r.choice(QUERIES)})
        else:
            await self.code(c)

    async def code(self, c: str) -> None:
        """Open one of this user's excerpts and accept the first suggestion its panel offers."""
        ref = self.rnd.choice(self.mine)
        page = await self.timed("excerpt", "GET", f"{c}/excerpts/{ref}")
        form = SUGGESTION.search(page.text) if page is not None else None
        if form is None:
            return
        fields = dict(re.findall(r'<input (?:type="hidden" )?name="([^"]+)" value="([^"]*)"', form.group(0)))
        stance = re.search(r'<option value="([^"]+)" selected>', form.group(0))
        fields.update(csrf=self.csrf, stance=stance.group(1) if stance else "supports")
        before = set(CLAIM_ID.findall(page.text))  # type: ignore[union-attr]
        answer = await self.timed("code", "POST", f"{c}/excerpts/{ref}/claims", data=fields,
                                  headers={"HX-Request": "true"})  # fmt: skip
        if answer is None:
            return
        if 'class="error"' in answer.text:
            self.tally.fail("code", "the panel showed an error")
            return
        new = set(CLAIM_ID.findall(answer.text)) - before
        self.tally.coded += [(ref, claim) for claim in new]
        self.tally.unlisted += not new

    async def run(self, until: float) -> None:
        kinds = [k for k in WEIGHTS if k not in self.skip and (not self.routes or k in self.routes)]
        weights = [WEIGHTS[k] for k in kinds]
        while time.monotonic() < until:
            await self.step(self.rnd.choices(kinds, weights)[0])
            if self.think:
                await asyncio.sleep(self.think * self.rnd.uniform(0.5, 1.5))


async def drive(port: int, case: str, names: list[str], data: Sample, args: argparse.Namespace) -> Tally:
    tally = Tally()
    limits = httpx.Limits(max_connections=2, max_keepalive_connections=2)
    clients = [httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=args.timeout, limits=limits)
               for _ in range(args.users)]  # fmt: skip
    routes = api_kinds(port) if args.api else {}
    if args.api:
        missing = sorted(set(WEIGHTS) - set(routes))
        print(f"through {PREFIX}: {', '.join(routes)}; not in the API yet: {', '.join(missing) or 'none'}")
    gate = asyncio.Semaphore(4)  # sign-ins hash a password on the server: a few at a time

    async def signed(n: int) -> User:
        async with gate:
            csrf = await sign_in(clients[n], names[n % len(names)], case)
        return User(n, clients[n], csrf, case=case, data=data, tally=tally, args=args, routes=routes)

    started = time.perf_counter()
    users = await asyncio.gather(*(signed(n) for n in range(args.users)))
    print(f"{args.users} users signed in in {time.perf_counter() - started:.1f} s; running {args.seconds} s; {load()}")
    until = time.monotonic() + args.seconds
    await asyncio.gather(*(u.run(until) for u in users))
    for client in clients:
        await client.aclose()
    return tally


def report(tally: Tally, seconds: float) -> None:
    seconds = max(seconds, 1e-3)
    print(f"{'kind':<12} {'count':>7} {'req/s':>7} {'median ms':>10} {'p95 ms':>8} {'errors':>7}")
    every: list[float] = []
    for kind in [*WEIGHTS, *sorted(set(tally.times) - set(WEIGHTS))]:
        times = sorted(tally.times.get(kind, []))
        every += times
        if times:
            p95 = times[min(len(times) - 1, int(0.95 * len(times)))]
            print(f"{kind:<12} {len(times):>7} {len(times) / seconds:>7.1f} {statistics.median(times) * 1000:>10.1f} "
                  f"{p95 * 1000:>8.1f} {tally.errors.get(kind, 0):>7}")  # fmt: skip
    print(f"{'all':<12} {len(every):>7} {len(every) / seconds:>7.1f}  errors: {sum(tally.errors.values())}")
    for kind, why in tally.examples.items():
        print(f"  first error of {kind}: {why}")


def check_writes(location: str, case: str, owner: Actor, tally: Tally) -> bool:
    """Every acknowledged claim is in the store and has an audit entry; print what was found."""
    missing_rows = [c for ref, c in tally.coded if c not in {
        x.id for x in services.claims(location, actor=owner, case=case, excerpt=ref)}]  # fmt: skip
    entries = services.audit_entries(location, actor=owner, case=case, entity="claim", limit=len(tally.coded) + 500)
    audited = {e.entity_id for e in entries}  # entries name a record as case/id
    missing_audit = [c for _, c in tally.coded if f"{case}/{c}" not in audited]
    print(f"writes acknowledged: {len(tally.coded)} claims; in the store: {len(tally.coded) - len(missing_rows)}; "
          f"in the audit log: {len(tally.coded) - len(missing_audit)}; acknowledged without a new claim shown: "
          f"{tally.unlisted}")  # fmt: skip
    lost = bool(missing_rows or missing_audit or tally.unlisted)
    print("no lost write" if not lost else f"LOST WRITES: store {missing_rows[:5]}, audit {missing_audit[:5]}")
    return not lost


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--store", help="an existing store (SQLite path or database URL)")
    parser.add_argument("--case", help="the case to load (default: the reference or generated case)")
    parser.add_argument("--generate-scale", type=float, help="generate the live_store.py case at this scale")
    parser.add_argument("--postgres", help="a PostgreSQL server URL; the store is a database on it")
    parser.add_argument("--reuse", help="keep the made store here (a path, or a database name with --postgres)")
    parser.add_argument("--workers", type=int, default=1, help="server worker processes")
    parser.add_argument("--users", type=int, default=50, help="simulated users")
    parser.add_argument("--seconds", type=float, default=120, help="how long the mix runs")
    parser.add_argument("--think", type=float, default=1.0, help="mean pause of a user between requests (s)")
    parser.add_argument("--api", action="store_true", help=f"send the mix to the JSON API ({PREFIX}), not pages")
    parser.add_argument("--skip", help=f"kinds left out of the mix, comma-separated: {', '.join(WEIGHTS)}")
    parser.add_argument("--timeout", type=float, default=60, help="a request taking longer is an error (s)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="corroborate-web-load-") as tmp:
        os.environ["CORROBORATE_TRUST_FILE"] = str(Path(tmp) / "trust.json")  # pins of this run only
        secrets = Secrets(passphrase=lambda _case: os.environ.get("CORROBORATE_PASSPHRASE", PASSPHRASE),
                          session_dir=Path(tmp))  # fmt: skip
        if args.store:
            measure(args, args.store, True, secrets)
        else:
            with store_location(args) as (location, existed):
                measure(args, location, existed, secrets)


def measure(args: argparse.Namespace, location: str, existed: bool, secrets: Secrets) -> None:
    print(f"store: {location} ({'existing' if existed else 'new'}); python {sys.version.split()[0]}; {load()}")
    case = prepare(args, location, existed, secrets)
    owner, names = accounts(location, secrets)
    data = sample(location, case, owner, random.Random(7))
    counts = services.summary(location, actor=owner, case=case)
    print(
        f"case {case}: {counts.witnesses:,} witnesses, {counts.excerpts:,} excerpts, {counts.claims:,} claims; "
        f"{args.users} users, {args.workers} worker(s), think {args.think} s, left out: {args.skip or 'nothing'}"
    )
    port = free_port()
    server = start_server(location, port, args.workers, dict(os.environ))
    try:
        tally = asyncio.run(drive(port, case, names, data, args))
    finally:  # requests still queued when the clients stop would keep a graceful shutdown waiting: not long
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    print(f"done; {load()}")
    report(tally, args.seconds)
    check_writes(location, case, owner, tally)


if __name__ == "__main__":
    main()
