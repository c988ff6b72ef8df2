"""Benchmark: linking generated person lists at scale, against their known truth (issue 14).

Generates a border-crosser population with ``stats.linkage.simulate`` (4 lists, the generator's noise:
romanisation variants, Hangul on some lists, family/given order swaps, typos, birth-year errors, duplicates
within a list), then links the lists twice in one process:

- Corroborate's model (``stats.linkage.model.link_records``: Korean-aware name keys, gazetteer places,
  birth-year intervals, blocking on phonetic keys);
- plain Splink settings on the same records: the standard ``NameComparison`` on the raw name, exact sex,
  exact place of origin as written, birth year within 1 or 2; blocking on the raw name, on birth year and
  place, and on sex, birth year and the name's first three letters; the same training steps.

Each is scored against the truth by pairwise precision and recall (``pair_scores``); wall time, CPU time
and the process's peak resident memory are printed. ``--dedupe`` instead links one list of the given number
of records (duplicates within it only), the deduplication benchmark. Usage:

    .venv/bin/python benchmarks/linkage_scale.py [--records 200000] [--seed 1] [--no-plain]
    .venv/bin/python benchmarks/linkage_scale.py --dedupe 1000000
"""

from __future__ import annotations

import argparse
import logging
import os
import resource
import time
from collections.abc import Callable, Mapping
from typing import Any

from corroborate.stats.linkage import ListSpec, Noise, Population, default_lists, simulate
from corroborate.stats.linkage.model import link_records, pair_scores

Records = list[tuple[str, str, Mapping[str, Any]]]


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _load() -> str:
    return "load average " + ", ".join(f"{x:.2f}" for x in os.getloadavg())


def _born(record: Mapping[str, Any]) -> int | None:
    """The birth year a record gives, or its interview year less its age (as a generic pipeline would)."""
    if record.get("birth_year"):
        return int(record["birth_year"])
    if record.get("age") and record.get("interview_date"):
        return int(str(record["interview_date"])[:4]) - int(record["age"])
    return None


def plain_splink(records: Records, *, threshold: float = 0.9, seed: int = 1) -> dict[tuple[str, str], str]:
    """Clusters from plain Splink settings: nothing Korean-aware, the library's standard name comparison."""
    import pyarrow as pa
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl
    from splink import Linker, SettingsCreator, block_on
    from splink.backends.duckdb import DuckDBAPI

    by_list: dict[str, list[dict[str, Any]]] = {}
    for list_name, record_id, record in records:
        by_list.setdefault(list_name, []).append({
            "record_id": record_id, "list_name": list_name, "name": (record.get("name") or "").lower() or None,
            "sex": record.get("sex") or None, "born": _born(record), "origin": record.get("origin") or None,
        })  # fmt: skip
    database = DuckDBAPI()
    names = sorted(by_list)
    tables = [database.register(pa.Table.from_pylist(by_list[name]), dataset_display_name=f"list_{i}")
              for i, name in enumerate(names)]  # fmt: skip
    born = cl.CustomComparison([
        cll.NullLevel("born"),
        cll.CustomLevel("born_l = born_r", "the same birth year"),
        cll.CustomLevel("abs(born_l - born_r) <= 1", "1 apart"),
        cll.CustomLevel("abs(born_l - born_r) <= 2", "2 apart"),
        cll.ElseLevel(),
    ], output_column_name="born")  # fmt: skip
    settings = SettingsCreator(
        link_type="link_and_dedupe", unique_id_column_name="record_id",
        comparisons=[cl.NameComparison("name"), born, cl.ExactMatch("origin"), cl.ExactMatch("sex")],
        blocking_rules_to_generate_predictions=[
            block_on("name"), block_on("born", "origin"), block_on("sex", "born", "substr(name, 1, 3)"),
        ],
        retain_intermediate_calculation_columns=False,
    )  # fmt: skip
    linker = Linker(tables, settings, log_level=logging.WARNING)
    training = linker.training
    training.estimate_probability_two_random_records_match([block_on("name", "born")], recall=0.8)
    training.estimate_u_using_random_sampling(max_pairs=5_000_000, seed=seed)
    training.estimate_parameters_using_expectation_maximisation(block_on("name"))
    training.estimate_parameters_using_expectation_maximisation(block_on("born", "origin"))
    predicted = linker.inference.predict(threshold_match_probability=0.5)
    clustered = linker.clustering.cluster_pairwise_predictions_at_threshold(predicted, threshold)
    return {(str(row["list_name"]), str(row["record_id"])): str(row["cluster_id"])
            for row in clustered.as_record_list()}  # fmt: skip


def timed(label: str, step: Callable[[], dict[tuple[str, str], str]], truth: Mapping[tuple[str, str], str]) -> None:
    started, cpu = time.perf_counter(), time.process_time()
    found = step()
    wall, used = time.perf_counter() - started, time.process_time() - cpu
    precision, recall = pair_scores(truth, found)
    print(f"{label}: precision {precision:.4f}, recall {recall:.4f}; {wall:.1f} s wall, {used:.1f} s cpu; "
          f"peak resident memory so far {_peak_mb():,.0f} MB; {_load()}", flush=True)  # fmt: skip


def _population(args: argparse.Namespace) -> Population:
    if args.dedupe:
        # One list that sees everyone it holds; its duplicates are the only pairs to find.
        spec = ListSpec("A", 0.999, default_lists(1)[0].style, Noise(duplicate=args.duplicates))
        return simulate(int(args.dedupe / (1 + args.duplicates)), [spec], seed=args.seed)
    pilot = simulate(5000, 4, seed=args.seed)  # records per person, heterogeneity and duplicates included
    return simulate(round(args.records * 5000 / len(pilot.records)), 4, seed=args.seed)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=200_000, help="about how many records the 4 lists hold")
    parser.add_argument("--dedupe", type=int, default=0, help="deduplicate one list of about this many records")
    parser.add_argument("--duplicates", type=float, default=0.05, help="share of duplicates in --dedupe's list")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-plain", action="store_true", help="skip the plain Splink baseline")
    args = parser.parse_args()
    started = time.perf_counter()
    population = _population(args)
    records: Records = [(r.list_name, r.record_id, r.as_row()) for r in population.records]
    truth = {(r.list_name, r.record_id): r.person_id for r in population.records}
    people = len(set(truth.values()))
    took = time.perf_counter() - started
    print(f"generated {len(population.people):,} people, {len(records):,} records of {people:,} of them on "
          f"{len(population.lists)} list(s) in {took:.1f} s; {_load()}", flush=True)  # fmt: skip
    timed("corroborate model", lambda: link_records(records, threshold=0.9, seed=args.seed).clusters, truth)
    if not args.no_plain:
        timed("plain Splink", lambda: plain_splink(records, threshold=0.9, seed=args.seed), truth)


if __name__ == "__main__":
    main()
