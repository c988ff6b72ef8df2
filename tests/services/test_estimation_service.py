"""The estimation service: methods are one table, strata are estimated alone and together, mistakes are the
user's to fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from corroborate.errors import UserError
from corroborate.services import estimation
from corroborate.stats.estimation import Estimate
from corroborate.stats.linkage.population import CaptureHistories

FAST = estimation.Options(resamples=0)


def counting(histories: CaptureHistories, options: estimation.Options) -> Estimate:
    """A stand-in method: twice the people seen, with the seed it was given."""
    return Estimate(method="double", observed=histories.observed, estimate=2.0 * histories.observed, lower=None,
                    upper=None, interval="none", details={"seed": options.seed})  # fmt: skip


def test_a_method_is_one_entry_in_the_table(shared_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    double = estimation.Method("corroborate.stats.estimation", counting)
    monkeypatch.setattr(estimation, "METHODS", {"loglinear": estimation.METHODS["loglinear"], "double": double})
    assert estimation.available_methods() == ["loglinear", "double"]
    report = estimation.estimate_file(shared_dir / "data" / "mse" / "dga_madigan_york_3lists.csv", method="all",
                                      options=estimation.Options(resamples=0, seed=7))  # fmt: skip
    assert [e.method for e in report.estimates] == ["loglinear", "double"] and not report.single
    assert report.estimates[1].estimate == 2 * 626 and report.estimates[1].details == {"seed": 7}


def test_a_method_not_built_is_refused(shared_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(estimation.METHODS, "dga", estimation.Method("corroborate.stats.estimation.nowhere", counting))
    assert "dga" not in estimation.available_methods()
    with pytest.raises(UserError, match="the dga method is not available"):
        estimation.estimate_file(shared_dir / "data" / "mse" / "artificial_3lists.csv", method="dga")
    with pytest.raises(UserError, match="unknown method"):
        estimation.estimate_file(shared_dir / "data" / "mse" / "artificial_3lists.csv", method="petersen")


@pytest.mark.parametrize(
    ("options", "said"),
    [
        (estimation.Options(threshold=1.5), "--threshold must lie between 0 and 1"),
        (estimation.Options(resamples=-1), "--resamples cannot be negative"),
        (estimation.Options(interval="bootstrap", resamples=0), "needs --resamples above 0"),
    ],
)
def test_options_are_checked(shared_dir: Path, options: estimation.Options, said: str) -> None:
    with pytest.raises(UserError, match=said):
        estimation.estimate_file(shared_dir / "data" / "mse" / "artificial_3lists.csv", options=options)


def test_the_intervals_offered_are_those_the_method_knows() -> None:
    from corroborate.stats.estimation.loglinear import INTERVALS

    assert estimation.INTERVALS == tuple(INTERVALS)


def test_strata_are_estimated_alone_and_together(tmp_path: Path) -> None:
    rows = ["A,B,C,count,sex"]
    patterns = ("1,0,0", "0,1,0", "0,0,1", "1,1,0", "1,0,1", "0,1,1", "1,1,1")
    for sex, counts in (("F", (300, 250, 200, 80, 60, 50, 20)), ("M", (12, 10, 8, 3, 2, 2, 1))):
        rows += [f"{pattern},{count},{sex}" for pattern, count in zip(patterns, counts, strict=True)]
    path = tmp_path / "by-sex.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    report = estimation.estimate_file(path, strata="sex", options=FAST)
    whole, women, men = report.estimates
    assert (whole.stratum, women.stratum, men.stratum) == (None, "F", "M")
    assert (women.observed, men.observed, whole.observed) == (960, 38, 998)
    assert whole.details["strata"] == 2
    assert whole.details["sum_of_strata"] == pytest.approx((women.estimate or 0) + (men.estimate or 0))
    assert any("Stratum M is too sparse" in w for w in men.warnings)
    assert not any("too sparse" in w for w in women.warnings + whole.warnings)
    assert [e["stratum"] for e in (women.to_json(), men.to_json())] == ["F", "M"] and "stratum" not in whole.to_json()
