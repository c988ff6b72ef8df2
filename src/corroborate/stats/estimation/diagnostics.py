"""Convergence diagnostics for Markov chain samplers (issue 15): split R-hat and effective sample size.

Both follow Vehtari, Gelman, Simpson, Carpenter & Bürkner (2021), "Rank-normalization, folding, and
localization: an improved R-hat for assessing convergence of MCMC", *Bayesian Analysis* 16(2): draws are
replaced by the normal scores of their ranks over all chains (so heavy tails and integer draws with ties do
no harm), each chain is split in halves (so a chain that drifts shows as two that disagree), R-hat is the
larger of the bulk value and the value on draws folded about the median (which catches chains that agree on
the centre but not on the spread), and the effective sample size uses Geyer's initial monotone sequence of
the chains' pooled autocorrelations. Pure computation on the arrays passed in.
"""

from __future__ import annotations

from statistics import NormalDist

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = ["effective_sample_size", "split_rhat"]

_FloatArray = NDArray[np.float64]


def split_rhat(draws: ArrayLike) -> float:
    """Rank-normalised split R-hat of ``draws`` (one row per chain): near 1 when the chains agree, above 1.01
    to 1.1 when they do not. 1.0 when every draw is the same; infinite when chains are stuck apart."""
    chains = _split(draws)
    if _constant(chains):
        return 1.0
    bulk = _rhat(_rank_normal(chains))
    folded = np.abs(chains - np.median(chains))
    tail = 1.0 if _constant(folded) else _rhat(_rank_normal(folded))
    return max(bulk, tail)


def effective_sample_size(draws: ArrayLike) -> float:
    """Bulk effective sample size of ``draws`` (one row per chain): how many independent draws would carry
    as much information about the centre of the distribution as these correlated ones."""
    chains = _split(draws)
    if _constant(chains):
        return float(chains.size)
    return _ess(_rank_normal(chains))


def _split(draws: ArrayLike) -> _FloatArray:
    """Each chain cut into its first and second half (the middle draw dropped when the count is odd)."""
    array = np.asarray(draws, dtype=np.float64)
    if array.ndim == 1:
        array = array[np.newaxis, :]
    if array.ndim != 2 or array.shape[1] < 4:
        raise ValueError("draws must be one row per chain with at least 4 draws in each")
    half = array.shape[1] // 2
    return np.concatenate([array[:, :half], array[:, -half:]])


def _constant(chains: _FloatArray) -> bool:
    return bool(np.ptp(chains) == 0.0)


def _rank_normal(chains: _FloatArray) -> _FloatArray:
    """Normal scores of the draws' ranks over all chains, ties given their average rank (Blom's offset)."""
    flat = chains.ravel()
    order = np.argsort(flat, kind="stable")
    ordered = flat[order]
    starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
    ends = np.r_[starts[1:], flat.size]
    average = (starts + ends + 1) / 2.0  # ranks start at 1; ties share the mean of their ranks
    ranks = np.empty(flat.size)
    ranks[order] = np.repeat(average, ends - starts)
    inverse = NormalDist().inv_cdf
    unique, positions = np.unique(ranks, return_inverse=True)
    scores = np.array([inverse((r - 0.375) / (flat.size + 0.25)) for r in unique])
    return scores[positions].reshape(chains.shape)


def _rhat(chains: _FloatArray) -> float:
    """Classic R-hat of already split chains: the pooled variance over the mean within-chain variance."""
    n = chains.shape[1]
    within = float(np.mean(np.var(chains, axis=1, ddof=1)))
    between = float(np.var(np.mean(chains, axis=1), ddof=1)) * n
    if within == 0.0:
        return float("inf")
    pooled = (n - 1) / n * within + between / n
    return float(np.sqrt(pooled / within))


def _autocovariance(chains: _FloatArray) -> _FloatArray:
    """Each chain's autocovariance at every lag (biased: divided by the chain length), by FFT."""
    n = chains.shape[1]
    centred = chains - chains.mean(axis=1, keepdims=True)
    size = 1 << (2 * n - 1).bit_length()
    spectrum = np.fft.rfft(centred, n=size, axis=1)
    power: _FloatArray = np.fft.irfft(spectrum * np.conj(spectrum), n=size, axis=1)[:, :n] / n
    return power


def _ess(chains: _FloatArray) -> float:
    m, n = chains.shape
    acov = _autocovariance(chains)
    chain_var = acov[:, 0] * n / (n - 1)
    mean_var = float(np.mean(chain_var))
    pooled = mean_var * (n - 1) / n + (float(np.var(np.mean(chains, axis=1), ddof=1)) if m > 1 else 0.0)
    if pooled == 0.0:
        return float(m * n)
    rho = 1.0 - (mean_var - acov.mean(axis=0)) / pooled
    rho[0] = 1.0
    # Geyer: sum autocorrelations in pairs while a pair's sum stays positive, then make the pairs monotone.
    kept = np.zeros(n)
    kept[:2] = rho[:2]
    t = 1
    even, odd = rho[0], rho[1]
    while t < n - 3 and even + odd > 0.0:
        even, odd = rho[t + 1], rho[t + 2]
        if even + odd >= 0.0:
            kept[t + 1], kept[t + 2] = even, odd
        t += 2
    last = t - 2
    if even > 0.0 and last + 1 < n:
        kept[last + 1] = even
    for s in range(1, last - 1, 2):
        if kept[s + 1] + kept[s + 2] > kept[s - 1] + kept[s]:
            kept[s + 1] = kept[s + 2] = (kept[s - 1] + kept[s]) / 2.0
    tau = -1.0 + 2.0 * float(np.sum(kept[: last + 1])) + (float(kept[last + 1]) if last + 1 < n else 0.0)
    tau = max(tau, 1.0 / np.log10(m * n))
    return float(m * n / tau)
