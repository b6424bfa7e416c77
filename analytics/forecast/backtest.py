"""Rolling-origin backtests: how well each model, and the selection itself, forecast held-out months.

At every origin the whole procedure of `select.select_forecast` runs on the history up to the
cutoff only (including its own inner selection backtest), so the "selected" rows are an honest
out-of-sample measure of what `gapboard forecast` would have said then.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import polars as pl

from analytics.forecast.folds import add_months, fold_cutoffs
from analytics.forecast.metrics import compute_scores
from analytics.forecast.select import (
    ForecastSettings,
    History,
    run_parallel,
    select_forecast,
    split_histories,
)
from analytics.schemas import BacktestSchema

SELECTED = "selected"
_VALUES = ("yhat", "lo80", "hi80", "lo95", "hi95")


def _backtest_task(item: tuple[History, ForecastSettings, int, int | None]) -> list[dict[str, Any]]:
    history, settings, origins, step = item
    horizon = settings.horizon
    rows = []
    # Two months are the least a trend projection (level and direction) can start from.
    for cut in fold_cutoffs(history.y.size, horizon, origins, step, min_train=2):
        selection = select_forecast(history.y[:cut], settings)
        actual = history.y[cut : cut + horizon]
        cutoff = add_months(history.start, cut - 1)
        forecasts = [(family, f) for family, f in selection.candidates.items()]
        forecasts.append((SELECTED, selection.chosen))
        for model, forecast in forecasts:
            rows.append(
                {
                    "series_id": history.series_id,
                    "cutoff": cutoff,
                    "y": actual,
                    "model": model,
                    "label": forecast.label,
                    **{c: getattr(forecast, "mean" if c == "yhat" else c) for c in _VALUES},
                }
            )
    return rows


def compute_backtest(
    series: pl.DataFrame,
    horizon: int,
    *,
    origins: int = 3,
    step: int | None = None,
    annual_growth: float = 0.0,
    max_history: int = 180,
    workers: int = 2,
) -> pl.DataFrame:
    """Return every model's forecasts from `origins` rolling origins per series (BacktestSchema).

    The last origin leaves the final `horizon` months out; earlier ones are `step` months
    (default: the horizon) apart, so with the defaults the test windows do not overlap.
    """
    settings = ForecastSettings(
        horizon=horizon, origins=origins, annual_growth=annual_growth, max_history=max_history
    )
    histories = split_histories(series)
    tasks = [(h, settings, origins, step) for h in histories]
    frames = []
    for rows in run_parallel(_backtest_task, tasks, workers):
        for r in rows:
            frames.append(
                pl.DataFrame(
                    {
                        "series_id": [r["series_id"]] * horizon,
                        "ds": [add_months(r["cutoff"], k) for k in range(1, horizon + 1)],
                        "y": np.asarray(r["y"], dtype=float),
                        "cutoff": [r["cutoff"]] * horizon,
                        "model": [r["model"]] * horizon,
                        "label": [r["label"]] * horizon,
                        **{c: np.asarray(r[c], dtype=float) for c in _VALUES},
                    },
                    schema=BacktestSchema.columns,
                )
            )
    if not frames:
        return BacktestSchema.empty()
    return BacktestSchema.validate(
        pl.concat(frames).with_columns(pl.col(c).fill_nan(None) for c in _VALUES)
    )


def compute_backtest_scores(
    series: pl.DataFrame, horizon: int, *, origins: int = 3, workers: int = 2, **options: Any
) -> pl.DataFrame:
    """Return accuracy per series and model over rolling origins: mase, smape, coverage80, coverage95."""
    backtest = compute_backtest(series, horizon, origins=origins, workers=workers, **options)
    return compute_scores(backtest, series)
