"""Model selection per series by rolling-origin backtest, and forecasts for many series at once.

For each monthly series:

1. Under `min_length` months (24, two seasons): no seasonal model can be trusted, so the
   forecast is the projection-implied trend (a supplied annual growth rate, default 0) and its
   model says "trend (short series)".
2. Otherwise, on the most recent `max_history` months: seasonal naive, ETS (configuration by
   AICc), ARIMA (order by AIC) and Theta are fitted; a fit that raises, warns or runs away is
   dropped. Each surviving model is backtested at `origins` rolling origins inside the history
   (more for horizons under four months, so that a year of months is tested) and scored by
   MASE (m = 12): its configuration is kept; its parameters are estimated on the
   history up to the earliest origin and, for ETS and ARIMA, carried forward to the later
   origins with only the states updated (like statsforecast's cross_validation(refit=False):
   no month after a cutoff informs that cutoff's forecast, at a fraction of the estimation cost).
   A model that fails at any origin is not trusted for this series.
3. The `combine_top` best statistical models by that score are averaged into a combination
   (combinations won the M4 competition); its intervals average the members' bounds.
4. The lowest backtest MASE wins. When the history is too short for any backtest origin, the
   combination of all surviving statistical models is used. Seasonal naive is always there as
   the last fallback, and every forecast is clipped to sane bounds (models.sane_bounds).

Intervals (80% and 95%) are the models' own: analytic for additive-error ETS, from the state
space for ARIMA, statsmodels' for Theta, the textbook ones for the seasonal naive and a random
walk's for the trend. A combination's bounds are the means of its members' bounds (quantile
averaging), so they widen with the horizon as the members' do. `python -m bench.forecast`
measures how often they cover the outcomes on the shipped CES and JOLTS series.
"""

from __future__ import annotations

import math
import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar

import numpy as np
import polars as pl

from analytics.forecast import models
from analytics.forecast.folds import add_months, fold_cutoffs, month_index
from analytics.forecast.metrics import mase
from analytics.schemas import ForecastSchema

# Spawning two processes costs about a second; below this many series one process is faster.
PARALLEL_MIN_SERIES = 12
STATISTICAL = (models.ETS, models.ARIMA, models.THETA)


@dataclass(frozen=True)
class ForecastSettings:
    """How forecasts are made: horizon, selection backtest, history used, short-series growth."""

    horizon: int
    origins: int = 3  # rolling origins of the selection backtest
    step: int | None = None  # months between those origins (default: the horizon)
    max_history: int = 180  # most recent months fitted (15 years): recent dynamics, fast fits
    min_length: int = 24  # shorter series get the trend projection
    annual_growth: float = 0.0  # growth rate of the trend projection (0.02 = 2% a year)
    combine_top: int = 2  # statistical models averaged into the combination

    def __post_init__(self) -> None:
        if self.horizon < 1:
            raise ValueError(f"horizon must be at least 1 month, got {self.horizon}")
        if self.origins < 1:
            raise ValueError(f"origins must be at least 1, got {self.origins}")
        if self.min_length < 2 * models.SEASON:
            raise ValueError("min_length must cover two seasons (24 months)")


@dataclass(frozen=True)
class Selection:
    """The forecast chosen for one history, the candidates it was chosen from and their scores."""

    chosen: models.Forecast
    candidates: dict[str, models.Forecast]  # family -> bounded forecast over the horizon
    scores: dict[str, float] = field(default_factory=dict)  # family -> backtest mean MASE
    failures: dict[str, str] = field(default_factory=dict)  # family -> why it was dropped
    seasonal: bool = False


def select_forecast(history: np.ndarray, settings: ForecastSettings) -> Selection:
    """Return the forecast of one monthly history, chosen by rolling-origin backtest (see module doc)."""
    y = np.asarray(history, dtype=float)
    if y.size == 0 or not np.all(np.isfinite(y)):
        raise ValueError("a history must have at least one value and only finite values")
    horizon = settings.horizon
    if y.size < settings.min_length:
        trend = models.trend_projection(y, horizon, settings.annual_growth)
        return Selection(chosen=trend, candidates={models.TREND: trend})

    fit = y[-settings.max_history :]
    bounds = models.sane_bounds(fit)
    seasonal = models.is_seasonal(fit)
    finals, failures = _fit_candidates(fit, horizon, seasonal, bounds)

    # Short horizons get more origins, so that the backtest always covers a year of months.
    origins = max(settings.origins, math.ceil(models.SEASON / horizon))
    cuts = fold_cutoffs(fit.size, horizon, origins, settings.step, settings.min_length)
    errors: dict[str, list[float]] = {family: [] for family in finals}
    inner: dict[str, list[models.Forecast]] = {family: [] for family in finals}
    for number, cut in enumerate(cuts):
        train, test = fit[:cut], fit[cut : cut + horizon]
        train_bounds = models.sane_bounds(train)
        for family in list(errors):
            # Estimated at the first origin only, then carried forward (see module doc).
            model = finals[family] if number == 0 else inner[family][0]
            try:
                forecast = models.refit(
                    model, train, horizon, train_bounds, intervals=False, keep_parameters=number > 0
                )
            except models.FitFailed as exc:
                failures[family] = f"failed at a backtest origin: {exc}"
                del errors[family], inner[family]
                continue
            forecast = models.bounded(forecast, train_bounds)
            inner[family].append(forecast)
            errors[family].append(mase(test, forecast.mean, train))
    scores = {family: float(np.mean(e)) for family, e in errors.items() if e}

    statistical = [f for f in STATISTICAL if f in finals and (not cuts or f in scores)]
    if cuts:
        statistical.sort(key=lambda f: scores[f])
        members = statistical[: settings.combine_top]
    else:
        members = statistical
    candidates = {family: models.bounded(f, bounds) for family, f in finals.items()}
    if len(members) >= 2:
        candidates[models.COMBINATION] = models.bounded(
            models.combine([finals[f] for f in members]), bounds
        )
        if cuts:
            combined = [
                models.combine(folds) for folds in zip(*(inner[f] for f in members), strict=True)
            ]
            scores[models.COMBINATION] = float(
                np.mean(
                    [
                        mase(fit[cut : cut + horizon], c.mean, fit[:cut])
                        for cut, c in zip(cuts, combined, strict=True)
                    ]
                )
            )

    if scores:
        best = min(scores, key=lambda f: (scores[f], _preference(f)))
    else:
        best = min(candidates, key=_preference)
    return Selection(
        chosen=candidates[best],
        candidates=candidates,
        scores=scores,
        failures=failures,
        seasonal=seasonal,
    )


def _preference(family: str) -> int:
    # Ties (and the no-backtest case) go to the combination first, the seasonal naive last.
    order = (models.COMBINATION, models.ETS, models.ARIMA, models.THETA, models.SEASONAL_NAIVE)
    return order.index(family) if family in order else len(order)


def _fit_candidates(
    fit: np.ndarray, horizon: int, seasonal: bool, bounds: models.Bounds
) -> tuple[dict[str, models.Forecast], dict[str, str]]:
    finals = {models.SEASONAL_NAIVE: models.seasonal_naive(fit, horizon)}
    failures: dict[str, str] = {}
    fitters: dict[str, Callable[..., models.Forecast]] = {
        models.ETS: models.ets,
        models.ARIMA: models.arima,
        models.THETA: models.theta,
    }
    for family, fitter in fitters.items():
        try:
            finals[family] = fitter(fit, horizon, seasonal, bounds)
        except models.FitFailed as exc:
            failures[family] = str(exc)
    return finals, failures


# --- many series ---------------------------------------------------------------------------


@dataclass(frozen=True)
class History:
    """One series' monthly values, oldest first, and the month of its first value."""

    series_id: str
    start: date
    y: np.ndarray

    @property
    def end(self) -> date:
        """Return the month of the last value."""
        return add_months(self.start, self.y.size - 1)


def split_histories(series: pl.DataFrame) -> list[History]:
    """Return the series of a long frame (series_id, ds, y) as monthly histories, in first-seen order.

    Raises ValueError when a series has a missing value, a month twice, or a month missing.
    """
    missing = [c for c in ("series_id", "ds", "y") if c not in series.columns]
    if missing:
        raise ValueError(f"series frame lacks column(s) {', '.join(missing)}")
    histories = []
    for (series_id,), one in series.group_by("series_id", maintain_order=True):
        one = one.sort("ds")
        if one["y"].null_count() or one["ds"].null_count():
            raise ValueError(f"series {series_id}: missing month or value")
        months = [month_index(d) for d in one["ds"].to_list()]
        if len(set(months)) != len(months):
            raise ValueError(f"series {series_id}: a month appears more than once")
        if months[-1] - months[0] + 1 != len(months):
            raise ValueError(f"series {series_id}: months are missing between its first and last")
        first = one["ds"][0]
        histories.append(
            History(str(series_id), date(first.year, first.month, 1), one["y"].to_numpy())
        )
    return histories


T = TypeVar("T")
R = TypeVar("R")


def run_parallel(task: Callable[[T], R], items: Sequence[T], workers: int = 2) -> list[R]:
    """Return [task(item) for item in items], computed in `workers` processes when worthwhile.

    Results keep the order of `items`, and every task is deterministic, so the output does not
    depend on the number of workers. Processes are spawned (not forked): forking a process that
    runs Polars' thread pool can deadlock.
    """
    if workers <= 1 or len(items) < PARALLEL_MIN_SERIES:
        return [task(item) for item in items]
    chunksize = max(1, math.ceil(len(items) / (workers * 4)))
    context = multiprocessing.get_context("spawn")
    with _single_threaded_children(), ProcessPoolExecutor(workers, mp_context=context) as pool:
        return list(pool.map(task, items, chunksize=chunksize))


@contextmanager
def _single_threaded_children() -> Iterator[None]:
    # The fits are many small matrix products: a multi-threaded BLAS in each worker process
    # spins its threads against the other workers' and made the same work 5x slower (CPU time).
    # Children read these variables when they import numpy, so they are set while spawning only.
    saved = {name: os.environ.get(name) for name in _THREAD_VARIABLES}
    os.environ.update(dict.fromkeys(_THREAD_VARIABLES, "1"))
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


_THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def _forecast_task(item: tuple[History, ForecastSettings]) -> dict[str, Any]:
    history, settings = item
    chosen = select_forecast(history.y, settings).chosen
    return {
        "series_id": history.series_id,
        "cutoff": history.end,
        "model": chosen.label,
        "yhat": chosen.mean,
        "lo80": chosen.lo80,
        "hi80": chosen.hi80,
        "lo95": chosen.lo95,
        "hi95": chosen.hi95,
    }


def compute_forecasts(
    series: pl.DataFrame,
    horizon: int,
    *,
    origins: int = 3,
    annual_growth: float = 0.0,
    max_history: int = 180,
    workers: int = 2,
) -> pl.DataFrame:
    """Return the forecast of every series (ForecastSchema): one row per series and future month."""
    settings = ForecastSettings(
        horizon=horizon, origins=origins, annual_growth=annual_growth, max_history=max_history
    )
    histories = split_histories(series)
    results = run_parallel(_forecast_task, [(h, settings) for h in histories], workers)
    return forecast_frame(results, horizon)


def forecast_frame(results: Iterable[dict[str, Any]], horizon: int) -> pl.DataFrame:
    """Return task results (one dict of arrays per series) as a long ForecastSchema frame."""
    frames = []
    for r in results:
        ds = [add_months(r["cutoff"], k) for k in range(1, horizon + 1)]
        frames.append(
            pl.DataFrame(
                {
                    "series_id": [r["series_id"]] * horizon,
                    "ds": ds,
                    "cutoff": [r["cutoff"]] * horizon,
                    "model": [r["model"]] * horizon,
                    **{c: np.asarray(r[c], dtype=float) for c in _VALUES},
                },
                schema=ForecastSchema.columns,
            )
        )
    if not frames:
        return ForecastSchema.empty()
    # NaN (an interval that could not be estimated) becomes null: "unknown", not a number.
    return ForecastSchema.validate(
        pl.concat(frames).with_columns(pl.col(c).fill_nan(None) for c in _VALUES)
    )


_VALUES = ("yhat", "lo80", "hi80", "lo95", "hi95")
