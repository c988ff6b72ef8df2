"""Existence and identifiability of log-linear MLEs: SparseMSE's published answers on ``Artificial_3`` (Chan,
Silverman & Vincent 2019, Table 2), and the linear programme's verdict against what a fit actually does."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from corroborate.stats.estimation.design import cell_table, model_design
from corroborate.stats.estimation.existence import check_model
from corroborate.stats.estimation.poisson import newton_fits
from corroborate.stats.linkage.population import CaptureHistories

ARTIFICIAL = CaptureHistories(("A", "B", "C"), (((1, 0, 0), 40), ((0, 1, 0), 30), ((0, 0, 1), 20), ((1, 1, 0), 6)))
AB, AC, BC = (0, 1), (0, 2), (1, 2)

# The SparseMSE documentation of Artificial_3: any model with AB has no MLE; all three interactions are not
# identifiable (the linear programme being strictly positive); main effects, AC and/or BC pass both tests.
PUBLISHED = {
    (): (True, True),
    (AB,): (False, True),
    (AC,): (True, True),
    (BC,): (True, True),
    (AB, AC): (False, True),
    (AB, BC): (False, True),
    (AC, BC): (True, True),
    (AB, AC, BC): (True, False),
}


def test_the_artificial_table_is_the_shared_one(shared_dir) -> None:  # type: ignore[no-untyped-def]
    from corroborate.ingest.histories import read_capture_histories

    read = read_capture_histories(shared_dir / "data" / "mse" / "artificial_3lists.csv")
    assert CaptureHistories(read.lists, read.rows) == ARTIFICIAL


@pytest.mark.parametrize("pairs", list(PUBLISHED), ids=lambda p: "+".join("ABC"[a] + "ABC"[b] for a, b in p) or "main")
def test_artificial_models_get_the_published_answers(pairs: tuple[tuple[int, int], ...]) -> None:
    table = cell_table(ARTIFICIAL)
    check = check_model(table, model_design(table, pairs))
    assert (check.exists, check.identifiable) == PUBLISHED[pairs]
    assert (check.problem is None) == all(PUBLISHED[pairs])


def test_problems_are_said_in_plain_words() -> None:
    table = cell_table(ARTIFICIAL)
    assert "does not exist" in (check_model(table, model_design(table, (AB,))).problem or "")
    assert "not identifiable" in (check_model(table, model_design(table, (AB, AC, BC))).problem or "")


def test_a_dense_table_passes_every_model() -> None:
    rng = np.random.default_rng(4)
    patterns = [p for p in itertools.product((0, 1), repeat=4) if any(p)]
    histories = CaptureHistories(tuple("ABCD"), tuple((p, int(rng.integers(5, 50))) for p in patterns))
    table = cell_table(histories)
    for size in (0, 1, 3, 6):
        for pairs in itertools.combinations(table.pairs, size):
            assert check_model(table, model_design(table, pairs)).ok


def test_the_linear_programme_agrees_with_what_a_fit_does() -> None:
    """Where the check says the MLE exists, Newton's method settles; where it says not, the fit runs off."""
    rng = np.random.default_rng(11)
    verdicts = {True: 0, False: 0}
    for _ in range(60):
        lists = int(rng.integers(3, 5))
        patterns = [p for p in itertools.product((0, 1), repeat=lists) if any(p)]
        counts = rng.poisson(rng.uniform(0.3, 6.0), size=len(patterns)) * (rng.random(len(patterns)) < 0.7)
        if counts.sum() == 0:
            continue
        rows = tuple((p, int(c)) for p, c in zip(patterns, counts, strict=True))
        histories = CaptureHistories(tuple("ABCD"[:lists]), rows)
        table = cell_table(histories)
        size = int(rng.integers(0, 4))
        pairs = tuple(sorted(rng.permutation(table.pairs)[:size].tolist()))
        design = model_design(table, [tuple(p) for p in pairs])
        check = check_model(table, design)
        if not check.identifiable:
            continue
        start = np.zeros(design.matrix.shape[1])
        start[0] = np.log(max(table.counts.mean(), 0.5))
        fitted = newton_fits(design.matrix, table.counts[design.cells], start=start)
        assert bool(fitted.converged[0]) == check.exists, (histories, pairs)
        verdicts[check.exists] += 1
    assert verdicts[True] >= 5 and verdicts[False] >= 5  # both kinds were met
