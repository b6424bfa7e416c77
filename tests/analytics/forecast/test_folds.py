"""Rolling-origin folds cut where they should."""

from datetime import date

import polars as pl
import pytest

from analytics.forecast.folds import add_months, fold_cutoffs, split_folds


def test_cutoffs_leave_the_last_windows_out() -> None:
    assert fold_cutoffs(60, 12, 3) == [24, 36, 48]
    assert fold_cutoffs(60, 12, 3, step=6) == [36, 42, 48]
    assert fold_cutoffs(60, 12, 3, min_train=30) == [36, 48]
    assert fold_cutoffs(20, 12, 3, min_train=24) == []


def test_cutoffs_reject_nonsense() -> None:
    with pytest.raises(ValueError):
        fold_cutoffs(60, 0, 3)
    with pytest.raises(ValueError):
        fold_cutoffs(60, 12, 3, step=0)


def test_add_months_crosses_years() -> None:
    assert add_months(date(2019, 11, 15), 3) == date(2020, 2, 1)
    assert add_months(date(2020, 1, 1), -1) == date(2019, 12, 1)


def test_split_folds_dates_and_parts() -> None:
    ds = [add_months(date(2020, 1, 1), k) for k in range(60)]
    series = pl.DataFrame({"series_id": "s", "ds": ds, "y": [float(k) for k in range(60)]})
    folds = split_folds(series, horizon=12, origins=3)
    assert folds["cutoff"].unique().sort().to_list() == [
        date(2021, 12, 1),
        date(2022, 12, 1),
        date(2023, 12, 1),
    ]
    last = folds.filter(pl.col("cutoff") == date(2023, 12, 1))
    assert last.filter(pl.col("part") == "train").height == 48
    test = last.filter(pl.col("part") == "test")
    assert test["ds"].min() == date(2024, 1, 1) and test["ds"].max() == date(2024, 12, 1)
    # Every test month is after its cutoff, every training month at or before it.
    assert folds.filter((pl.col("part") == "test") & (pl.col("ds") <= pl.col("cutoff"))).height == 0
    assert folds.filter((pl.col("part") == "train") & (pl.col("ds") > pl.col("cutoff"))).height == 0
