"""The Bayesian latent-class model of Manrique-Vallier (2016, *Biometrics* 72(4)), the model behind R's LCMCR.

Each person belongs to one of ``K`` latent classes (a Dirichlet process truncated at K by stick-breaking, its
concentration alpha ~ Gamma(a_alpha, b_alpha)); in class k, list j records the person with probability
lambda[j, k] (Beta(1, 1) prior), independently of the other lists. Heterogeneity between people, and the
dependence between lists it causes, are modelled by the mixture. The prior on the population size N is
proportional to 1/N, and, as in the package, the unseen count is kept at most 20 times the people seen.

The Gibbs sweep follows ``shared/notes/estimation-methods.md`` steps 1 to 7, with the people no list saw
imputed at every sweep (a negative binomial draw), in log space for the stick weights and class
probabilities (products of many small factors underflow). One step is added: a Metropolis swap of two
classes' labels (Papaspiliopoulos & Roberts 2008), which leaves the posterior unchanged but lets a big class
that started at a late label move forward (the stick-breaking prior is not symmetric in the labels, and such
a class holds alpha up). It is vectorised with NumPy over the distinct capture patterns and classes; each
chain has its own ``numpy.random.Generator`` spawned from one ``SeedSequence(seed)``, so the same seed gives
the same answer.

Defaults: K = 10 (the package's worked example); 4 chains, each 2,000 sweeps of burn-in (the first quarter
with alpha held at its start, as the package warms up) then 10,000 sweeps kept one in 10, i.e. 1,000 draws a
chain and 4,000 in all, as LCMCR's ``lcmCR_PostSampl`` keeps (it burns in 10,000). That is 48,000 sweeps,
about 5 s of CPU on this project's machine. Enough for most tables; where the posterior has several modes that
the chains leave rarely (the UK 2013 tables), split R-hat and the effective sample size say so, and a warning
asks for a longer run.

Pure computation on the values passed in: never reads a store, never logs.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from corroborate.stats.linkage.population import CaptureHistories

from .cautions import overlap_warnings, size_warnings
from .diagnostics import effective_sample_size, split_rhat
from .results import Estimate, ModelFit

__all__ = ["lcmcr"]

_FloatArray = NDArray[np.float64]
_IntArray = NDArray[np.int64]

_UNSEEN_BOUND = 20  # the sampler keeps the unseen count at most this many times the observed count
_RHAT_LIMIT = 1.1
_ESS_PER_CHAIN = 100  # Vehtari et al. (2021) advise at least 100 effective draws a chain
_BLOCK = 1024  # sweeps whose uniform variates are drawn in one call


@dataclass(frozen=True)
class _Table:
    """The distinct observed capture patterns (one row each, 0/1 per list) and how many people had each."""

    patterns: _FloatArray
    counts: _IntArray

    @property
    def observed(self) -> int:
        return int(self.counts.sum())


@dataclass(frozen=True)
class _Draws:
    """What one chain kept: the population size, the number of occupied classes and alpha, per kept sweep."""

    population: _IntArray
    occupied: _IntArray
    alpha: _FloatArray


def lcmcr(
    histories: CaptureHistories,
    *,
    K: int = 10,  # noqa: N803 - the model's own name for the truncation level
    burn_in: int = 2_000,
    samples: int = 1_000,
    thin: int = 10,
    chains: int = 4,
    seed: int = 0,
    a_alpha: float = 0.25,
    b_alpha: float = 0.25,
) -> Estimate:
    """Posterior median and 95% credible interval of the population size under the latent-class model.

    Each chain runs ``burn_in`` sweeps, then ``samples * thin`` sweeps of which every ``thin``-th is kept.
    """
    if K < 1 or burn_in < 0 or samples < 4 or thin < 1 or chains < 1 or a_alpha <= 0 or b_alpha <= 0:
        raise ValueError("K, thin and chains must be at least 1, samples at least 4, burn-in not negative, "
                         "and the alpha prior's shape and rate positive")  # fmt: skip
    table = _table(histories)
    settings = {"chains": chains, "seed": seed, "K": K, "iterations": samples * thin, "burn_in": burn_in,
                "thinning": thin, "samples": samples, "a_alpha": a_alpha, "b_alpha": b_alpha}  # fmt: skip
    observed = table.observed
    shared = overlap_warnings(histories)
    refusal = _refusal(histories, table)
    if refusal is not None:
        return Estimate(method="lcmcr", observed=observed, estimate=None, lower=None, upper=None,
                        interval="95% credible", warnings=tuple(dict.fromkeys((*shared, refusal))),
                        details=settings)  # fmt: skip
    streams = np.random.SeedSequence(seed).spawn(chains)
    runs = [_chain(table, K, burn_in, samples, thin, a_alpha, b_alpha, np.random.default_rng(s)) for s in streams]
    population = np.stack([run.population for run in runs])
    median, lower, upper = (float(q) for q in np.quantile(population, [0.5, 0.025, 0.975]))
    rhat = split_rhat(population)
    ess = effective_sample_size(population)
    occupied = np.concatenate([run.occupied for run in runs])
    details = {**settings, "rhat": round(rhat, 4), "ess": round(ess, 1),
               "mean_occupied_classes": round(float(occupied.mean()), 2),
               "alpha_median": round(float(np.median(np.concatenate([run.alpha for run in runs]))), 4)}  # fmt: skip
    warnings = (*shared, *_sampler_warnings(population, observed, rhat=rhat, ess=ess, occupied=occupied, K=K),
                *size_warnings(observed, median, upper))  # fmt: skip
    model = ModelFit(terms=(f"latent classes (K={K})",), estimate=median, lower=lower, upper=upper)
    return Estimate(method="lcmcr", observed=observed, estimate=median, lower=lower, upper=upper,
                    interval="95% credible", models=(model,), warnings=warnings, details=details)  # fmt: skip


def _table(histories: CaptureHistories) -> _Table:
    """The patterns with at least one person, merged when a pattern repeats; the all-zero pattern refused."""
    width = len(histories.lists)
    merged: dict[tuple[int, ...], int] = {}
    for pattern, count in histories.rows:
        if len(pattern) != width or any(v not in (0, 1) for v in pattern) or count < 0:
            raise ValueError("every capture pattern needs one 0 or 1 per list and a count of zero or more")
        if not any(pattern):
            if count:
                raise ValueError("the all-zero pattern (people on no list) cannot be observed")
            continue
        if count:
            merged[tuple(pattern)] = merged.get(tuple(pattern), 0) + count
    patterns = np.array(sorted(merged), dtype=np.float64).reshape(len(merged), width)
    counts = np.array([merged[tuple(int(v) for v in row)] for row in patterns], dtype=np.int64)
    return _Table(patterns=patterns, counts=counts)


def _refusal(histories: CaptureHistories, table: _Table) -> str | None:
    """Why no estimate can be made at all, in plain words; None when the sampler may run."""
    if table.observed == 0:
        return "No one is counted in this table: there is nothing to estimate from."
    if len(histories.lists) < 2:
        return "The latent-class model needs at least two lists: with one there are no overlaps to learn from."
    if not np.any(table.patterns.sum(axis=1) > 1):
        return ("No one is on more than one list: without overlaps nothing says how many people the lists "
                "missed, so no latent-class estimate is given.")  # fmt: skip
    return None


def _chain(
    table: _Table, K: int, burn_in: int, samples: int, thin: int, a_alpha: float, b_alpha: float,  # noqa: N803
    rng: np.random.Generator,
) -> _Draws:  # fmt: skip
    """One Gibbs chain (the sweep of ``shared/notes/estimation-methods.md``, steps 1 to 7, then a label swap);
    returns the draws it kept."""
    x, f, n = table.patterns, table.counts, table.observed
    xt = x.T.copy()
    jk, bound = x.shape[1] * K, _UNSEEN_BOUND * n
    # Start as the package does: every class at each list's observed capture rate, equal weights, small alpha.
    rate = np.clip((xt @ f) / n, 0.02, 0.98)
    log_lam = np.log(rate)[:, None] * np.ones(K)
    log_miss = np.log1p(-rate)[:, None] * np.ones(K)
    log_nu = np.full(K, -np.log(K))
    alpha = 0.3 / K
    unseen_by_class = _unseen(log_nu + log_miss.sum(axis=0), n, bound, rng)
    warm_up, total = burn_in // 4, burn_in + samples * thin
    population = np.empty(samples, dtype=np.int64)
    occupied = np.empty(samples, dtype=np.int64)
    alphas = np.empty(samples)
    for sweep in range(total):
        if sweep % _BLOCK == 0:  # uniforms and label pairs for a block of sweeps, drawn at once (fewer calls)
            uniforms = np.log1p(-rng.random((_BLOCK, K + 1)))  # logs of uniforms on (0, 1]: never log(0)
            pairs = rng.integers(0, K, size=(_BLOCK, 2))
            pairs[:, 1] = (pairs[:, 0] + 1 + pairs[:, 1] % max(K - 1, 1)) % K
        step = sweep % _BLOCK
        # 1. Split each pattern's people among the classes.
        log_p = x @ (log_lam - log_miss) + (log_miss.sum(axis=0) + log_nu)
        p = np.exp(log_p - log_p.max(axis=1, keepdims=True))
        by_class = rng.multinomial(f, p / p.sum(axis=1, keepdims=True))
        in_class = by_class.sum(axis=0) + unseen_by_class
        on_list = xt @ by_class  # the unseen are on no list
        tail = np.cumsum(in_class[::-1])[::-1][1:]  # people in the classes after k, for k < K
        # 2 and 3 (and 7's gamma variate): every gamma variate of the sweep in one call. A stick's second shape
        # (alpha plus a tail that may be empty) can be tiny, so its variate is Gamma(s + 1) * U^(1/s), in logs.
        small = alpha + tail
        shapes = np.concatenate(((1 + on_list).ravel(), (1 + in_class - on_list).ravel(), 1.0 + in_class[:-1],
                                 small + 1.0, (a_alpha + K - 1,)))  # fmt: skip
        log_g = np.log(rng.standard_gamma(shapes))
        stick_on, stick_off = log_g[2 * jk : 2 * jk + K - 1], log_g[2 * jk + K - 1 : -1]
        stick_off += uniforms[step, : K - 1] / small
        hit, miss = log_g[:jk].reshape(-1, K), log_g[jk : 2 * jk].reshape(-1, K)
        both = np.logaddexp(hit, miss)
        log_lam, log_miss = hit - both, miss - both
        both = np.logaddexp(stick_on, stick_off)
        log_rest = np.concatenate(((0.0,), np.cumsum(stick_off - both)))  # log of prod_{h<k} (1 - V_h)
        log_nu = log_rest + np.concatenate((stick_on - both, (0.0,)))
        # 4 to 6. Impute the people no list saw, and their classes.
        unseen_by_class = _unseen(log_nu + log_miss.sum(axis=0), n, bound, rng)
        # 7. The concentration, once warmed up; then relabel two classes (the stick-breaking prior is not
        # symmetric in the labels, and a big class stuck at a late label would hold alpha up).
        if sweep >= warm_up and K > 1:
            alpha = float(np.exp(log_g[-1])) / (b_alpha - log_rest[-1])
            order = _swap(log_nu, alpha, pairs[step], uniforms[step, -1])
            if order is not None:
                log_nu, log_lam, log_miss = log_nu[order], log_lam[:, order], log_miss[:, order]
                unseen_by_class = unseen_by_class[order]
        kept = sweep - burn_in
        if kept >= 0 and kept % thin == 0:
            population[kept // thin] = n + unseen_by_class.sum()
            occupied[kept // thin] = np.count_nonzero(in_class)
            alphas[kept // thin] = alpha
    return _Draws(population=population, occupied=occupied, alpha=alphas)


def _swap(log_nu: _FloatArray, alpha: float, pair: _IntArray, log_u: float) -> _IntArray | None:
    """A Metropolis swap of the labels of two classes (``pair``, chosen at random; Papaspiliopoulos & Roberts
    2008): the new order of the classes if accepted, else None. The mixture's likelihood ignores labels; only
    the prior of the weights nu changes, whose log density under stick-breaking is
    (alpha - 1) log nu_K - sum_{1<k<K} log R_k, where R_k = nu_k + ... + nu_K."""
    now = log_nu.tolist()  # K is small: plain floats are quicker than arrays here
    i, j = int(pair[0]), int(pair[1])
    swapped = now.copy()
    swapped[i], swapped[j] = now[j], now[i]
    change = (alpha - 1.0) * (swapped[-1] - now[-1]) - (_sum_log_tails(swapped) - _sum_log_tails(now))
    if log_u >= change:
        return None
    order = np.arange(log_nu.size)
    order[[i, j]] = j, i
    return order


def _sum_log_tails(log_nu: list[float]) -> float:
    """sum_{1<k<K} log R_k, R_k = nu_k + ... + nu_K, from the logs of the weights."""
    tail, found = log_nu[-1], 0.0
    for value in log_nu[-2:0:-1]:
        if value < tail:
            tail += math.log1p(math.exp(value - tail))
        else:
            tail = value + math.log1p(math.exp(tail - value))
        found += tail
    return found


def _unseen(log_q: _FloatArray, n: int, bound: int, rng: np.random.Generator) -> _IntArray:
    """Draw how many people no list saw and split them among the classes (steps 4 to 6).

    ``log_q[k]`` is the log of nu_k * prod_j (1 - lambda[j, k]); their sum p0 is the chance of being on no list.
    The count is negative binomial (failures before ``n`` successes of chance 1 - p0), kept at most ``bound``.
    """
    top = float(log_q.max())
    weights = np.exp(log_q - top)
    total = float(weights.sum())
    log_p0 = top + math.log(total)
    hit = -math.expm1(log_p0)  # 1 - p0, accurate when p0 is small
    unseen = -1
    if hit > 0 and n * math.exp(log_p0) < 2 * bound * hit:
        for _ in range(8):
            draw = int(rng.negative_binomial(n, hit))
            if draw <= bound:
                unseen = draw
                break
    if unseen < 0:
        unseen = _bounded_negative_binomial(n, min(log_p0, 0.0), bound, rng)
    return rng.multinomial(unseen, weights / total)


def _bounded_negative_binomial(n: int, log_p0: float, bound: int, rng: np.random.Generator) -> int:
    """A negative binomial draw conditioned on being at most ``bound``, by inverting its distribution function."""
    k = np.arange(bound + 1)
    log_pmf = np.concatenate([[0.0], np.cumsum(np.log((k[:-1] + n) / (k[:-1] + 1.0)))]) + k * log_p0
    cdf = np.cumsum(np.exp(log_pmf - log_pmf.max()))
    return int(np.searchsorted(cdf, rng.random() * cdf[-1], side="right"))


def _sampler_warnings(
    population: _IntArray, observed: int, *, rhat: float, ess: float, occupied: _IntArray, K: int  # noqa: N803
) -> list[str]:  # fmt: skip
    """Plain-words warnings about the chains: convergence, the sampler's bound, the truncation level."""
    found: list[str] = []
    chains, draws = population.shape
    if not rhat <= _RHAT_LIMIT:
        found.append(f"The chains did not converge: their split R-hat is {rhat:.2f} (above {_RHAT_LIMIT}), so they "
                     "disagree about the population. Run longer (more burn-in and samples) before trusting this "
                     "estimate.")  # fmt: skip
    elif ess < _ESS_PER_CHAIN * chains:
        found.append(f"The chains did not converge well enough to trust the interval: their {chains * draws:,} "
                     f"draws are worth only about {ess:,.0f} independent ones (at least {_ESS_PER_CHAIN * chains:,} "
                     "are advised). Run longer (more samples, or more thinning).")  # fmt: skip
    ceiling = observed * (1 + _UNSEEN_BOUND)
    if np.mean(population >= 0.9 * ceiling) > 0.025:
        found.append(f"The posterior presses against the sampler's bound of {ceiling:,} people ({_UNSEEN_BOUND + 1} "
                     "times the people seen): the data do not bound how many were missed, and the interval's upper "
                     "end is set by that bound, not by the data.")  # fmt: skip
    if K > 1 and np.mean(occupied >= K) > 0.5:
        found.append(f"All {K} latent classes were in use in most draws: the truncation may be too low; run again "
                     "with a larger K.")  # fmt: skip
    return found
