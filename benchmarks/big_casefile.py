"""Benchmark: read, check and import a big casefile (about 50 MB of YAML).

The casefile is generated (seeded): witnesses, interviews, documents, excerpts
whose texts are the reference case's, 200 propositions with typed attributes,
and one claim per excerpt with attribute values, written as block YAML the way
`corroborate export` writes it. Each figure is measured in a fresh process
(so its peak memory is its own), median of ``--runs``:

- ``yaml``: the text parsed whole by PyYAML's pure-Python loader (what
  Corroborate used before batches and libyaml), then by the batch reader;
- ``validate``: `corroborate validate` (read and check, no store);
- ``import``: read, check and write into a new SQLite store, audit entries
  and search index included.

Each run prints its wall-clock seconds and, beside them, the CPU seconds of its process (user and
system): on a shared machine the first grows with the load, the second much less.

Usage: .venv/bin/python benchmarks/big_casefile.py [--megabytes 50] [--runs 3] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MODES = ["witnessed", "experienced", "heard_official", "hearsay"]
ORIGINS = ["Musan", "Hyesan", "Hoeryong", "Chongjin", "Onsong", "Samsu", "Saebyol", "Haeju", "Wonsan", "Pyongyang"]
FACILITIES = ["jipkyolso", "rodong_danryondae", "kyohwaso", "kwanliso"]


def _quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def generate(path: Path, megabytes: float, seed: int = 7) -> int:
    """Write a casefile of about ``megabytes``; return its number of claims."""
    sys.path.insert(0, str(ROOT / "src"))
    from corroborate.ingest import read_casefile

    texts = [e.text for e in read_casefile(ROOT / "examples/border-crossers-2007/case.yaml").excerpts]
    rnd = random.Random(seed)
    claims = int(megabytes * 1e6 / 420)  # about 420 bytes of YAML per excerpt and its claim
    witnesses, interviews = max(10, claims // 50), max(10, claims // 10)
    out = ["version: 1", "case:", "  id: big", "  title: A generated case", "witnesses:"]
    for i in range(witnesses):
        out += [f"- id: W-{i:06d}", "  descriptor:", f"    gender: {rnd.choice(['male', 'female'])}",
                f"    age: {rnd.randint(18, 80)}", f"    origin: {rnd.choice(ORIGINS)}"]  # fmt: skip
    out.append("interviews:")
    for i in range(interviews):
        out += [f"- id: I-{i}", f"  witness: W-{i % witnesses:06d}", f"  date: 2006-{rnd.randint(1, 12):02d}",
                "  country: CN", "  consent: quote"]  # fmt: skip
    out.append("documents:")
    for i in range(200):
        out += [f"- id: D-{i}", "  kind: news", f"  title: Report {i}", "  outlet: An outlet", "  date: '2006'"]
    out.append("propositions:")
    for i in range(200):
        out += [f"- key: policy.p{i}", f"  statement: Statement {i}.", "  attributes:",
                "    announced: {type: date}", "    sentence_years: {type: range}",
                f"    facility: {{type: category, values: [{', '.join(FACILITIES)}]}}"]  # fmt: skip
    out.append("excerpts:")
    for i in range(claims):
        if i % 20 == 0:
            out += [f"- id: E-{i}", f"  source: D-{rnd.randrange(200)}", "  mode: document"]
        else:
            out += [f"- id: E-{i}", f"  source: I-{rnd.randrange(interviews)}", f"  mode: {rnd.choice(MODES)}"]
        out.append(f"  text: {_quoted(texts[i % len(texts)])}")
    out.append("claims:")
    for i in range(claims):
        out += [f"- id: C-{i}", f"  excerpt: E-{i}", f"  proposition: policy.p{rnd.randrange(200)}", "  attributes:",
                f"    announced: '2005-{rnd.randint(1, 12):02d}'", f"    sentence_years: '{rnd.randint(1, 9)}'",
                f"    facility: {rnd.choice(FACILITIES)}"]  # fmt: skip
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return claims


def _load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _measure(step: str, casefile: str, store: str) -> dict[str, float]:
    """One step in this process (run by ``--step``); prints seconds, CPU seconds and peak memory as JSON.

    Only the YAML steps read the text here: `validate` and `import` read the file themselves, so their
    peak memory is theirs alone (before 2026-12-02 it included this extra copy of the text).
    """
    import yaml

    from corroborate import services
    from corroborate.ingest.yamlfast import fast_data
    from corroborate.services import LOCAL_OWNER, Secrets

    text = Path(casefile).read_text(encoding="utf-8") if step.startswith("yaml") else ""
    started, cpu = time.perf_counter(), _cpu()
    if step == "yaml-pure":
        yaml.load(text, Loader=yaml.SafeLoader)
    elif step == "yaml-batches":
        assert fast_data(text) is not None
    elif step == "validate":
        services.read_casefile(casefile)
    elif step == "import":
        secrets = Secrets(passphrase=lambda case: "a passphrase for the benchmark, not a secret")
        services.import_casefile(store, casefile, actor=LOCAL_OWNER, secrets=secrets)
    seconds, cpu = time.perf_counter() - started, _cpu() - cpu
    return {"seconds": seconds, "cpu": cpu, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--megabytes", type=float, default=50)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="folder for the casefile (reused when it is there)")
    parser.add_argument("--steps", default="yaml-pure,yaml-batches,validate,import")
    parser.add_argument("--step", help=argparse.SUPPRESS)
    parser.add_argument("--casefile", help=argparse.SUPPRESS)
    parser.add_argument("--store", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        print(json.dumps(_measure(args.step, args.casefile, args.store)))
        return
    folder = args.keep or Path(tempfile.mkdtemp(prefix="big-casefile-"))
    folder.mkdir(parents=True, exist_ok=True)
    casefile = folder / f"big-{args.megabytes:g}mb.yaml"
    if not casefile.exists():
        started = time.perf_counter()
        claims = generate(casefile, args.megabytes)
        print(f"generated {casefile} ({claims:,} claims) in {time.perf_counter() - started:.1f} s")
    print(f"casefile: {casefile.stat().st_size / 1e6:.1f} MB; load average {_load_average()}")
    for step in args.steps.split(","):
        runs = []
        for n in range(args.runs):
            store = folder / f"store-{step}-{n}.db"
            for leftover in folder.glob(f"{store.name}*"):
                leftover.unlink()
            command = [sys.executable, __file__, "--step", step, "--casefile", str(casefile), "--store", str(store)]
            done = subprocess.run(command, capture_output=True, text=True, check=True)
            runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
        seconds = [r["seconds"] for r in runs]
        peaks = [r["peak_mb"] for r in runs]
        each = ", ".join(f"{r['seconds']:.1f} ({r['cpu']:.1f} CPU)" for r in runs)
        print(f"{step:13s} median {statistics.median(seconds):6.1f} s (runs: {each}), "
              f"peak memory median {statistics.median(peaks):.0f} MB; load average {_load_average()}")  # fmt: skip


if __name__ == "__main__":
    main()
