"""Split R-hat and effective sample size against what theory says of chains whose behaviour is known."""

from __future__ import annotations

import numpy as np
import pytest

from corroborate.stats.estimation.diagnostics import effective_sample_size, split_rhat


def autoregressive(phi: float, chains: int, draws: int, seed: int) -> np.ndarray:
    """Chains of x_t = phi x_{t-1} + e_t: their effective sample size is draws * (1 - phi) / (1 + phi) a chain."""
    rng = np.random.default_rng(seed)
    noise = rng.normal(size=(chains, draws))
    x = np.empty_like(noise)
    x[:, 0] = noise[:, 0] / np.sqrt(1 - phi**2)
    for t in range(1, draws):
        x[:, t] = phi * x[:, t - 1] + noise[:, t]
    return x


@pytest.mark.parametrize("phi", [0.0, 0.5, 0.9])
def test_effective_sample_size_of_autoregressive_chains(phi: float) -> None:
    theory = 4 * 5_000 * (1 - phi) / (1 + phi)
    found = [effective_sample_size(autoregressive(phi, 4, 5_000, seed)) for seed in range(3)]
    assert np.mean(found) == pytest.approx(theory, rel=0.2)


def test_chains_that_agree_have_rhat_near_one() -> None:
    assert split_rhat(autoregressive(0.5, 4, 2_000, seed=1)) < 1.01
    assert split_rhat(np.random.default_rng(2).poisson(3, size=(4, 1_000))) < 1.01  # ties, integers


def test_chains_that_disagree_or_drift_are_caught() -> None:
    rng = np.random.default_rng(3)
    apart = rng.normal(size=(4, 1_000))
    apart[0] += 1.0
    assert split_rhat(apart) > 1.05
    drifting = np.linspace(0, 1, 4_000)[None, :] + rng.normal(0, 0.1, size=(1, 4_000))  # one chain: its halves
    assert split_rhat(drifting) > 1.5
    assert effective_sample_size(drifting) < 100
    wider = rng.normal(size=(4, 1_000)) * np.array([[1.0], [1.0], [1.0], [4.0]])  # same centre, other spread
    assert split_rhat(wider) > 1.05


def test_constant_draws_and_short_chains() -> None:
    assert split_rhat(np.full((2, 10), 7.0)) == 1.0
    assert effective_sample_size(np.full((2, 10), 7.0)) == 20.0
    stuck = np.array([[1.0] * 10, [2.0] * 10])
    assert split_rhat(stuck) == float("inf")
    with pytest.raises(ValueError):
        split_rhat(np.ones((2, 3)))
