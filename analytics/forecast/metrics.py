"""Forecast accuracy measures: MASE, sMAPE and prediction-interval coverage.

Definitions follow the M4 competition: MASE scales the mean absolute error by the in-sample
mean absolute error of the seasonal naive forecast (lag m); sMAPE is in percent (0-200).
"""

from __future__ import annotations

import numpy as np
import polars as pl

SEASON = 12  # monthly series


def mase_scale(history: np.ndarray, m: int = SEASON) -> float:
    """Return the in-sample mean absolute seasonal difference of a history (lag m, else lag 1)."""
    history = np.asarray(history, dtype=float)
    lag = m if history.size > m else 1
    if history.size <= lag:
        return float("nan")
    return float(np.mean(np.abs(history[lag:] - history[:-lag])))


def mase(actual: np.ndarray, forecast: np.ndarray, history: np.ndarray, m: int = SEASON) -> float:
    """Return the mean absolute scaled error of a forecast against the actual values."""
    actual, forecast = np.asarray(actual, dtype=float), np.asarray(forecast, dtype=float)
    scale = mase_scale(history, m)
    mae = float(np.mean(np.abs(actual - forecast)))
    if not np.isfinite(scale):
        return float("nan")
    if scale == 0.0:
        # A history that never changes: any error is infinitely worse than its own naive fit.
        return 0.0 if mae == 0.0 else float("inf")
    return mae / scale


def smape(actual: np.ndarray, forecast: np.ndarray) -> float:
    """Return the symmetric mean absolute percentage error in percent (0-200)."""
    actual, forecast = np.asarray(actual, dtype=float), np.asarray(forecast, dtype=float)
    denominator = np.abs(actual) + np.abs(forecast)
    # Both zero means a perfect forecast of zero, not an undefined one.
    ratio = np.divide(
        np.abs(actual - forecast),
        denominator,
        out=np.zeros_like(denominator),
        where=denominator > 0,
    )
    return float(200.0 * np.mean(ratio))


def coverage(actual: np.ndarray, lower: np.ndarray, upper: np.ndarray) -> float:
    """Return the share (0-1) of actual values inside their prediction interval."""
    actual = np.asarray(actual, dtype=float)
    lower, upper = np.asarray(lower, dtype=float), np.asarray(upper, dtype=float)
    if actual.size == 0 or not (np.all(np.isfinite(lower)) and np.all(np.isfinite(upper))):
        return float("nan")
    return float(np.mean((actual >= lower) & (actual <= upper)))


def compute_scores(backtest: pl.DataFrame, series: pl.DataFrame, m: int = SEASON) -> pl.DataFrame:
    """Return accuracy per series and model (mean over origins): mase, smape, coverage80, coverage95.

    `backtest` is a long frame (series_id, ds, y, cutoff, model, yhat, lo80, hi80, lo95, hi95);
    `series` holds the histories (series_id, ds, y) the MASE scale is computed from, each origin
    scaled by the history up to and including its cutoff.
    """
    histories = {
        str(sid): frame.sort("ds")
        for (sid,), frame in series.select("series_id", "ds", "y").group_by(
            "series_id", maintain_order=True
        )
    }
    rows = []
    keys = ["series_id", "model", "cutoff"]
    for (series_id, model, cutoff), fold in backtest.sort([*keys, "ds"]).group_by(
        keys, maintain_order=True
    ):
        history = histories[str(series_id)].filter(pl.col("ds") <= cutoff)["y"].to_numpy()
        actual = fold["y"].to_numpy()
        rows.append(
            {
                "series_id": series_id,
                "model": model,
                "cutoff": cutoff,
                "mase": mase(actual, fold["yhat"].to_numpy(), history, m),
                "smape": smape(actual, fold["yhat"].to_numpy()),
                "coverage80": coverage(actual, fold["lo80"].to_numpy(), fold["hi80"].to_numpy()),
                "coverage95": coverage(actual, fold["lo95"].to_numpy(), fold["hi95"].to_numpy()),
            }
        )
    schema = {
        "series_id": pl.String,
        "model": pl.String,
        "cutoff": pl.Date,
        "mase": pl.Float64,
        "smape": pl.Float64,
        "coverage80": pl.Float64,
        "coverage95": pl.Float64,
    }
    per_origin = pl.DataFrame(rows, schema=schema)
    return (
        per_origin.group_by("series_id", "model", maintain_order=True)
        .agg(
            pl.len().cast(pl.Int32).alias("origins"),
            pl.col("mase").mean(),
            pl.col("smape").mean(),
            pl.col("coverage80").mean(),
            pl.col("coverage95").mean(),
        )
        .select("series_id", "model", "mase", "smape", "coverage80", "coverage95", "origins")
    )
