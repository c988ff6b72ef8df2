"""Benchmark: privacy-preserving linkage against plaintext linkage on the same generated lists (issue 14).

A population is generated with ``corroborate.stats.linkage.simulate`` so that its 4 lists hold about 20,000
records (romanisation and transcription noise, Hangul on one list, order swaps, typos, birth years off by one
or two or only an age, duplicates within a list). The lists are linked twice:

- in clear, with the Splink model (``model.link_records``, DuckDB);
- on encodings only: each list encoded under one shared key (``encoded.FeatureEncoder``, as
  ``corroborate encode`` does), then linked without the key (``encoded.link_encodings``, as
  ``corroborate link-encoded`` does).

Both are scored against the truth with ``model.pair_scores`` (pairwise precision and recall of the clusters).
It prints precision, recall, wall-clock and CPU time of each step and fails when the target is not met:
encoded recall within 0.05 of plaintext recall and encoded precision at least 0.95. Timings on a shared
machine are noisy (CPU time is printed beside wall time).

Run: .venv/bin/python benchmarks/linkage_privacy.py [--people N] [--seed N]
"""

from __future__ import annotations

import argparse
import secrets
import sys
import time
from collections.abc import Callable
from typing import TypeVar

from corroborate.stats.linkage import simulate
from corroborate.stats.linkage.encoded import FeatureEncoder, link_encodings
from corroborate.stats.linkage.model import link_records, pair_scores

T = TypeVar("T")
PEOPLE = 14_400  # with the default lists' capture probabilities: about 20,000 records on 4 lists


def timed(label: str, step: Callable[[], T]) -> T:
    """Run ``step``, print its wall-clock and CPU time, return what it returned."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = step()
    print(f"  {label}: {time.perf_counter() - wall:.1f} s wall, {time.process_time() - cpu:.1f} s CPU", flush=True)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=PEOPLE)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    population = timed("generate", lambda: simulate(args.people, 4, seed=args.seed))
    records = population.records
    truth = {(r.list_name, r.record_id): r.person_id for r in records}
    print(f"{args.people:,} people, {len(records):,} records on lists "
          f"{', '.join(s.name for s in population.lists)} (seed {args.seed})")  # fmt: skip

    print("plaintext linkage (Splink, DuckDB):")
    plain = timed("link", lambda: link_records([(r.list_name, r.record_id, r.as_row()) for r in records]))
    plain_precision, plain_recall = pair_scores(truth, plain.clusters)

    print("encoded linkage (keyed Bloom filters, 1,024 bits; Dice >= 0.9):")
    key = secrets.token_bytes(32)

    def encode_all() -> list[tuple[str, str, bytes]]:
        encoders = {spec.name: FeatureEncoder(key) for spec in population.lists}  # one per organisation
        return [(r.list_name, r.record_id, encoders[r.list_name](r.as_row())) for r in records]

    encoded = timed("encode (all 4 organisations)", encode_all)
    linked = timed("link on encodings", lambda: link_encodings(encoded))
    precision, recall = pair_scores(truth, linked.clusters)
    all_pairs = len(records) * (len(records) - 1) // 2
    print(f"  candidate pairs compared: {linked.candidates:,} of {all_pairs:,}")

    print(f"plaintext: precision {plain_precision:.4f}, recall {plain_recall:.4f}")
    print(f"encoded:   precision {precision:.4f}, recall {recall:.4f}")
    met = precision >= 0.95 and recall >= plain_recall - 0.05
    print(f"target (encoded recall >= plaintext recall - 0.05, precision >= 0.95): {'met' if met else 'NOT MET'}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
