"""Benchmark: the latent-class sampler (issue 15), 4 lists, K = 10, 10,000 sweeps after burn-in, one chain.

The issue's target is under 5 s on this machine. The capture histories are drawn with NumPy from a known
population of 2,000 people in two classes (half hard to reach, seen by each list with probability 0.1 to
0.15, the rest with probabilities 0.5 to 0.7), so the run does the work a real 4-list table asks for: 15
distinct patterns, several hundred unseen people imputed at each sweep. One chain runs the default burn-in
(2,000 sweeps) and then 10,000 sweeps, every one kept (thinning 1).

It prints the median wall-clock and CPU time of three runs (CPU time too, because on a shared machine other
processes stretch wall-clock time without the sampler doing more work), the time a sweep takes, and the
estimate next to the true size, and fails when the median CPU time reaches the limit.

Run: .venv/bin/python benchmarks/lcmcr_speed.py
"""

from __future__ import annotations

import statistics
import sys
import time

import numpy as np

from corroborate.stats.estimation.lcmcr import lcmcr
from corroborate.stats.linkage.population import CaptureHistories

PEOPLE = 2_000
BURN_IN = 2_000
ITERATIONS = 10_000
RUNS = 3
LIMIT_SECONDS = 5.0


def simulated_histories(people: int = PEOPLE, seed: int = 2026) -> CaptureHistories:
    """Capture histories of ``people`` drawn from two classes of known capture probabilities, on 4 lists."""
    rng = np.random.default_rng(seed)
    capture = np.array([[0.10, 0.10, 0.15, 0.10], [0.60, 0.50, 0.70, 0.60]])
    hard_to_reach = rng.random(people) < 0.5
    seen = rng.random((people, 4)) < capture[np.where(hard_to_reach, 0, 1)]
    patterns, counts = np.unique(seen[seen.any(axis=1)].astype(int), axis=0, return_counts=True)
    rows = tuple((tuple(int(v) for v in p), int(c)) for p, c in zip(patterns, counts, strict=True))
    return CaptureHistories(lists=("A", "B", "C", "D"), rows=rows)


def main() -> int:
    histories = simulated_histories()
    walls: list[float] = []
    cpus: list[float] = []
    for _ in range(RUNS):
        wall, cpu = time.perf_counter(), time.process_time()
        estimate = lcmcr(histories, K=10, burn_in=BURN_IN, samples=ITERATIONS, thin=1, chains=1, seed=1)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    wall_median, cpu_median = statistics.median(walls), statistics.median(cpus)
    sweeps = BURN_IN + ITERATIONS
    print(f"latent-class sampler: 4 lists, {len(histories.rows)} patterns, {histories.observed:,} observed "
          f"of {PEOPLE:,}; K=10, one chain, burn-in {BURN_IN:,} + {ITERATIONS:,} sweeps kept")  # fmt: skip
    print(f"wall: median of {RUNS} {wall_median:.2f} s (runs: {', '.join(f'{w:.2f}' for w in walls)})")
    print(f"cpu:  median of {RUNS} {cpu_median:.2f} s (runs: {', '.join(f'{c:.2f}' for c in cpus)}); "
          f"{cpu_median / sweeps * 1e6:.0f} us a sweep")  # fmt: skip
    print(f"estimate {estimate.estimate:,.0f} ({estimate.lower:,.0f} to {estimate.upper:,.0f}, "
          f"{estimate.interval}); true size {PEOPLE:,}; R-hat {estimate.details['rhat']}, "
          f"ESS {estimate.details['ess']}")  # fmt: skip
    if cpu_median >= LIMIT_SECONDS:
        print(f"FAIL: median CPU time {cpu_median:.2f} s is not under {LIMIT_SECONDS:.0f} s")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
