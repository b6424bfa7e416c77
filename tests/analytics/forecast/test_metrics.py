"""Accuracy measures against values worked out by hand."""

from datetime import date

import numpy as np
import polars as pl
import pytest

from analytics.forecast.folds import add_months
from analytics.forecast.metrics import compute_scores, coverage, mase, mase_scale, smape


def test_mase_by_hand_lag_one() -> None:
    # In-sample naive errors |3-1|, |2-3|, |4-2| = 2, 1, 2 -> scale 5/3; MAE |5-4|, |5-7| -> 1.5.
    assert mase([5, 5], [4, 7], [1, 3, 2, 4], m=1) == pytest.approx(1.5 / (5 / 3))


def test_mase_seasonal_scale_uses_lag_twelve() -> None:
    history = np.arange(24, dtype=float)  # every seasonal difference is 12
    assert mase_scale(history) == 12.0
    assert mase([30.0, 30.0], [24.0, 36.0], history) == pytest.approx(6.0 / 12.0)


def test_mase_constant_history() -> None:
    flat = np.full(30, 7.0)
    assert mase([7.0, 7.0], [7.0, 7.0], flat) == 0.0
    assert mase([7.0, 8.0], [7.0, 7.0], flat) == float("inf")


def test_smape_by_hand() -> None:
    # |100-110| / (100+110) = 0.047619..., and 0 vs 0 counts as a perfect forecast.
    assert smape([100.0, 0.0], [110.0, 0.0]) == pytest.approx(200 * (10 / 210) / 2)
    assert smape([50.0], [50.0]) == 0.0


def test_coverage_by_hand() -> None:
    # 1 and 2 inside [0, 2], 3 on the bound of [0, 3] (inside), 4 below [5, 6].
    assert coverage([1, 2, 3, 4], [0, 0, 0, 5], [2, 2, 3, 6]) == 0.75
    assert np.isnan(coverage([1.0], [np.nan], [2.0]))


def test_compute_scores_per_origin_then_mean() -> None:
    ds = [add_months(date(2020, 1, 1), k) for k in range(14)]
    series = pl.DataFrame({"series_id": "a", "ds": ds, "y": [float(m) for m in range(1, 15)]})
    # Two origins of a one-month-ahead forecast; the history's seasonal differences are all 12.
    backtest = pl.DataFrame(
        {
            "series_id": ["a", "a"],
            "ds": [ds[12], ds[13]],
            "y": [13.0, 14.0],
            "cutoff": [ds[11], ds[12]],
            "model": ["m", "m"],
            "yhat": [13.0, 20.0],
            "lo80": [12.0, 15.0],
            "hi80": [14.0, 25.0],
            "lo95": [11.0, 10.0],
            "hi95": [15.0, 30.0],
        }
    )
    row = compute_scores(backtest, series).row(0, named=True)
    # Origin 1: history of 12 months -> lag-1 scale 1, error 0. Origin 2: 13 months -> lag 12,
    # scale 12, error 6 -> 0.5. Mean 0.25.
    assert row["mase"] == pytest.approx(0.25)
    assert row["coverage80"] == 0.5
    assert row["coverage95"] == 1.0
    assert row["origins"] == 2
