"""Rolling-origin backtests: honest cutoffs, every model scored, on synthetic and real series."""

from datetime import date

import numpy as np
import polars as pl

from analytics.forecast.backtest import SELECTED, compute_backtest, compute_backtest_scores
from analytics.forecast.folds import add_months
from analytics.schemas import BacktestSchema
from connectors.series import parse_ces_fred
from settings import SOURCES_DIR

CES = SOURCES_DIR / "series" / "ces_national_healthcare_monthly_nsa_1939-2019_fred.csv"


def synthetic() -> pl.DataFrame:
    t = np.arange(60)
    y = 50 + 0.5 * t + 4 * np.sin(2 * np.pi * t / 12) + np.random.default_rng(4).normal(0, 0.5, 60)
    return pl.DataFrame(
        {"series_id": "s", "ds": [add_months(date(2019, 1, 1), k) for k in range(60)], "y": y}
    )


def test_backtest_cutoffs_and_actuals() -> None:
    series = synthetic()
    backtest = compute_backtest(series, 6, origins=2, workers=1)
    assert backtest.columns == list(BacktestSchema.columns)
    # 60 months to 2023-12: the last origin holds out 2023-07..12, the one before 2023-01..06.
    assert backtest["cutoff"].unique().sort().to_list() == [date(2022, 12, 1), date(2023, 6, 1)]
    assert set(backtest["model"].unique()) >= {
        "seasonal naive", "ets", "arima", "theta", SELECTED,
    }  # fmt: skip
    # The actual beside each forecast is the series' own value for that month.
    joined = backtest.join(series, on=["series_id", "ds"], suffix="_series")
    assert joined.height == backtest.height
    assert (joined["y"] == joined["y_series"]).all()
    assert (backtest["ds"] > backtest["cutoff"]).all()


def test_a_short_history_is_backtested_with_the_trend() -> None:
    series = synthetic().head(20)
    backtest = compute_backtest(series, 6, origins=1, workers=1)
    assert set(backtest["label"].unique()) == {"trend (short series)"}


def test_real_health_care_series_beats_seasonal_naive() -> None:
    health = parse_ces_fred(CES).filter(pl.col("series_id") == "CEU6562000101").tail(120)
    scores = compute_backtest_scores(health, 12, origins=2, workers=1)
    by_model = {r["model"]: r for r in scores.iter_rows(named=True)}
    assert by_model[SELECTED]["origins"] == 2
    # Health-care jobs grew steadily through 2017-2019: a trend-aware model is far better
    # than repeating last year's months.
    assert by_model[SELECTED]["mase"] < 0.5 * by_model["seasonal naive"]["mase"]
    assert by_model[SELECTED]["smape"] < 1.0  # percent
    assert 0.0 <= by_model[SELECTED]["coverage80"] <= 1.0
