"""Log-linear estimates against their oracles: SparseMSE 2.0.1's figures on the UK 2013 tables (stepwise with
p < 0.02 and main effects, each with its log-normal interval, to the published two decimals), the terms the
search adds, and what the shared README says of the other tables."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from scipy.stats import poisson

from corroborate.ingest.histories import read_capture_histories
from corroborate.stats.estimation.cautions import HUGE
from corroborate.stats.estimation.design import cell_table
from corroborate.stats.estimation.loglinear import fit_model, loglinear, stepwise
from corroborate.stats.estimation.poisson import glm_fit, newton_fits
from corroborate.stats.estimation.results import Estimate, ModelFit
from corroborate.stats.linkage.population import CaptureHistories

PUBLISHED = 0.01  # the oracle figures have two decimals: reproduced when within half a cent of rounding


def histories(shared_dir: Path, name: str) -> CaptureHistories:
    read = read_capture_histories(shared_dir / "data" / "mse" / name)
    return CaptureHistories(read.lists, read.rows)


def main_effects(found: Estimate) -> ModelFit:
    (model,) = [m for m in found.models if not any(":" in t for t in m.terms)]
    return model


@pytest.fixture(scope="module")
def uk5(shared_dir: Path) -> Estimate:
    return loglinear(histories(shared_dir, "uk_2013_5lists_UKdat_5.csv"), interval="lognormal", resamples=0)


@pytest.fixture(scope="module")
def uk6(shared_dir: Path) -> Estimate:
    return loglinear(histories(shared_dir, "uk_2013_6lists_UKdat.csv"), interval="lognormal", resamples=0)


def test_uk_5_lists_stepwise_matches_sparsemse(uk5: Estimate) -> None:
    assert uk5.observed == 2744
    assert uk5.estimate == pytest.approx(11312.99, abs=PUBLISHED)
    assert (uk5.lower, uk5.upper) == (pytest.approx(9884.40, abs=PUBLISHED), pytest.approx(13027.40, abs=PUBLISHED))
    assert uk5.interval == "95% log-normal"


def test_uk_5_lists_stepwise_adds_the_published_terms(uk5: Estimate) -> None:
    """The README's terms for this table (Bales, Hesketh & Silverman 2015); SparseMSE's rule adds the same."""
    assert set(uk5.details["terms"]) == {"LA:NG", "NG:GP", "PFNCA:GP", "LA:PFNCA", "GO:GP", "NG:GO"}
    assert [s["term"] for s in uk5.details["steps"]] == ["LA:NG", "NG:GP", "PFNCA:GP", "LA:PFNCA", "GO:GP", "NG:GO"]
    assert all(s["p_value"] < 0.02 for s in uk5.details["steps"])


def test_uk_5_lists_main_effects_match_sparsemse(uk5: Estimate) -> None:
    model = main_effects(uk5)
    assert model.estimate == pytest.approx(13444.13, abs=PUBLISHED)
    assert (model.lower, model.upper) == (pytest.approx(11985.17, abs=PUBLISHED),
                                          pytest.approx(15133.43, abs=PUBLISHED))  # fmt: skip


def test_uk_6_lists_match_sparsemse(uk6: Estimate) -> None:
    assert uk6.estimate == pytest.approx(11417.99, abs=PUBLISHED)
    assert (uk6.lower, uk6.upper) == (pytest.approx(9977.28, abs=PUBLISHED), pytest.approx(13145.66, abs=PUBLISHED))
    model = main_effects(uk6)
    assert model.estimate == pytest.approx(12214.0, abs=0.1)
    assert (model.lower, model.upper) == (pytest.approx(10988.8, abs=0.1), pytest.approx(13621.26, abs=PUBLISHED))


def test_uk_5_lists_profile_interval_is_near_the_published_one(shared_dir: Path) -> None:
    """The README: 95% profile-likelihood interval 'about 9,900 to 13,050' for the same model."""
    found = loglinear(histories(shared_dir, "uk_2013_5lists_UKdat_5.csv"), resamples=0)
    assert found.interval == "95% profile likelihood"
    assert found.lower == pytest.approx(9900, rel=0.005) and found.upper == pytest.approx(13050, rel=0.005)
    assert found.lower < found.estimate < found.upper


def test_the_p_value_is_the_one_sided_poisson_tail_of_the_overlap(uk5: Estimate) -> None:
    for step in uk5.details["steps"]:
        seen, expected = step["seen"], step["expected"]
        tail = poisson.sf(seen - 1, expected) if seen > expected else poisson.cdf(seen, expected)
        assert step["p_value"] == pytest.approx(tail, rel=1e-3)
    assert any(s["seen"] < s["expected"] for s in uk5.details["steps"])  # a pair seen together less than expected


def test_western_site(shared_dir: Path) -> None:
    """README: main effects N ~ 2,007; the search adds A:E, N ~ 2,483 (at SparseMSE's default 0.02)."""
    table = cell_table(histories(shared_dir, "us_western_site_5lists.csv"))
    assert round(fit_model(table).estimate) == 2007
    search = stepwise(table, threshold=0.02)
    assert [s.pair for s in search.steps] == [(0, 4)] and round(search.selected.estimate) == 2483
    looser = stepwise(table, threshold=0.05)  # also adds D:E (p = 0.026)
    assert [s.pair for s in looser.steps][:1] == [(0, 4)] and len(looser.steps) >= len(search.steps)


def test_new_orleans_gives_warnings_not_a_huge_number(shared_dir: Path) -> None:
    found = loglinear(histories(shared_dir, "new_orleans_5lists_NewOrl_5.csv"), resamples=0)
    assert found.estimate is not None and found.estimate < HUGE * found.observed
    assert round(main_effects(found).estimate or 0) == 1034  # the README's main-effects figure
    said = " ".join(found.warnings)
    assert "no one in common" in said and "A and H" in said and "more than one list" in said


def test_artificial_never_fits_a_model_without_a_finite_estimate(shared_dir: Path) -> None:
    found = loglinear(histories(shared_dir, "artificial_3lists.csv"), resamples=0)
    considered = sorted(sorted(set(m.terms) - {"A", "B", "C"}) for m in found.models)
    assert considered == [[], ["A:C"], ["B:C"]]  # A:B has no finite estimate: checked, never fitted
    assert found.estimate is not None and found.details["terms"] == []


def test_models_are_ranked_and_averaged(uk5: Estimate) -> None:
    aics = [m.aic for m in uk5.models]
    assert aics == sorted(aics)
    assert sum(m.weight or 0 for m in uk5.models) == pytest.approx(1.0)
    (chosen,) = [m for m in uk5.models if m.details["selected"]]
    assert chosen.estimate == uk5.estimate
    averaged = uk5.details["model_averaged"]
    assert averaged["models"] == len(uk5.models)
    assert min(m.estimate or 0 for m in uk5.models) <= averaged["estimate"] <= max(m.estimate or 0 for m in uk5.models)
    assert averaged["lower"] < averaged["estimate"] < averaged["upper"]


def test_newton_agrees_with_statsmodels(shared_dir: Path) -> None:
    table = cell_table(histories(shared_dir, "uk_2013_5lists_UKdat_5.csv"))
    model = stepwise(table).selected
    counts = table.counts[model.design.cells]
    reference = glm_fit(model.design.matrix, counts)
    ours = newton_fits(model.design.matrix, counts, start=np.zeros(model.design.matrix.shape[1]))
    assert ours.converged[0]
    np.testing.assert_allclose(ours.params[0], reference.params, rtol=1e-6, atol=1e-8)
    assert ours.loglik[0] == pytest.approx(reference.loglik, rel=1e-9)


def test_bootstrap_is_seeded_and_brackets_the_estimate(shared_dir: Path) -> None:
    data = histories(shared_dir, "uk_2013_5lists_UKdat_5.csv")
    first = loglinear(data, interval="bootstrap", resamples=200, seed=3)
    again = loglinear(data, interval="bootstrap", resamples=200, seed=3)
    other = loglinear(data, interval="bootstrap", resamples=200, seed=4)
    assert (first.lower, first.upper) == (again.lower, again.upper) != (other.lower, other.upper)
    assert first.lower is not None and first.upper is not None
    assert first.lower < first.estimate < first.upper
    normal = first.details["intervals"]["log-normal"]
    assert first.lower == pytest.approx(normal[0], rel=0.05) and first.upper == pytest.approx(normal[1], rel=0.05)
    assert first.details["bootstrap"] == {"resamples": 200, "used": 200, "left_out": 0, "seed": 3}


def test_an_estimate_far_above_the_people_seen_is_flagged() -> None:
    """Three lists of 300 people each with one person on each pair: the overlaps say the lists are tiny samples."""
    rows = (((1, 0, 0), 300), ((0, 1, 0), 300), ((0, 0, 1), 300), ((1, 1, 0), 1), ((1, 0, 1), 1), ((0, 1, 1), 1))
    found = loglinear(CaptureHistories(("A", "B", "C"), rows), resamples=0)
    assert found.estimate is not None and found.estimate > HUGE * found.observed
    assert any("times the 903 people seen" in w for w in found.warnings)


def test_a_list_with_no_one_gives_a_warning_not_an_estimate() -> None:
    rows = (((1, 0, 0), 30), ((0, 1, 0), 20), ((1, 1, 0), 5))
    found = loglinear(CaptureHistories(("A", "B", "C"), rows), resamples=0)
    assert found.estimate is None and found.models == ()
    assert any("List C has no one on it" in w for w in found.warnings)
    assert any("No log-linear model can be fitted" in w for w in found.warnings)


@pytest.mark.parametrize("bad", [{"threshold": 0.0}, {"interval": "wald"}, {"interval": "bootstrap", "resamples": 0}])
def test_arguments_are_checked(bad: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        loglinear(CaptureHistories(("A", "B", "C"), (((1, 0, 0), 1),)), **bad)  # type: ignore[arg-type]
