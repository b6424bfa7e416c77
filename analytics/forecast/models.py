"""Forecasting models behind one interface: a monthly history in, a point forecast with 80% and
95% prediction intervals out.

Every statsmodels fit runs inside `guarded`: an exception, a convergence or numerical warning,
a non-finite value or a forecast that runs far outside the history's range makes the fit fail
(`FitFailed`), so that the caller falls back to a simpler model instead of showing an explosion.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import partial
from typing import Any

import numpy as np

SEASON = 12
LEVELS = (80, 95)
# Standard normal quantiles for two-sided 80% and 95% intervals.
Z80 = 1.2815515655446004
Z95 = 1.959963984540054

SEASONAL_NAIVE = "seasonal naive"
ETS = "ets"
ARIMA = "arima"
THETA = "theta"
COMBINATION = "combination"
TREND = "trend"
TREND_LABEL = "trend (short series)"

# ETS configurations (error, trend, damped, seasonal); additive errors keep the intervals analytic.
ETS_SEASONAL: tuple[tuple[str, str | None, bool, str | None], ...] = (
    ("add", None, False, "add"),
    ("add", "add", False, "add"),
    ("add", "add", True, "add"),
)
ETS_PLAIN: tuple[tuple[str, str | None, bool, str | None], ...] = (
    ("add", None, False, None),
    ("add", "add", False, None),
    ("add", "add", True, None),
)
# ARIMA orders (order, seasonal order, trend): the airline model and its AR cousin for seasonal
# series; random walk variants with drift ("t" is a linear trend in levels, i.e. drift) otherwise.
ARIMA_SEASONAL: tuple[tuple[tuple[int, int, int], tuple[int, int, int, int], str], ...] = (
    ((0, 1, 1), (0, 1, 1, SEASON), "n"),
    ((1, 1, 0), (0, 1, 1, SEASON), "n"),
)
ARIMA_PLAIN: tuple[tuple[tuple[int, int, int], tuple[int, int, int, int], str], ...] = (
    ((0, 1, 1), (0, 0, 0, 0), "t"),
    ((1, 1, 0), (0, 0, 0, 0), "t"),
)


class FitFailed(Exception):
    """A model could not be fitted cleanly: it raised, warned, or forecast non-finite or runaway values."""


@dataclass(frozen=True)
class Forecast:
    """A point forecast with 80% and 95% prediction intervals, and the model that made it."""

    family: str  # seasonal naive, ets, arima, theta, combination or trend
    label: str  # what people read, e.g. "ETS(A,Ad,A)"
    mean: np.ndarray
    lo80: np.ndarray
    hi80: np.ndarray
    lo95: np.ndarray
    hi95: np.ndarray
    spec: Any = None  # the configuration chosen, so the same model can be refitted elsewhere
    params: Any = None  # fitted parameters: a warm start when the same model is refitted


@dataclass(frozen=True)
class Bounds:
    """Sane limits for a history's forecasts: clip to lower/upper, reject beyond the runaway limits."""

    lower: float
    upper: float
    runaway_lower: float
    runaway_upper: float


def sane_bounds(history: np.ndarray) -> Bounds:
    """Return the limits a forecast of this history may take.

    Forecasts stay within one history range beyond the observed minimum and maximum (and at or
    above zero when the history never goes negative, as counts do); a model whose forecast runs
    more than three ranges away is rejected as an explosion.
    """
    low, high = float(np.min(history)), float(np.max(history))
    span = high - low
    if span == 0.0:
        span = max(abs(high), 1.0)
    lower = max(0.0, low - span) if low >= 0 else low - span
    return Bounds(lower, high + span, low - 3 * span, high + 3 * span)


def bounded(forecast: Forecast, bounds: Bounds) -> Forecast:
    """Return the forecast with its mean and intervals clipped to the sane limits."""

    def clip(values: np.ndarray) -> np.ndarray:
        return np.clip(values, bounds.lower, bounds.upper)

    return replace(
        forecast,
        mean=clip(forecast.mean),
        lo80=clip(forecast.lo80),
        hi80=clip(forecast.hi80),
        lo95=clip(forecast.lo95),
        hi95=clip(forecast.hi95),
    )


def _benign(warning: warnings.WarningMessage) -> bool:
    # statsmodels warns when it replaces unusable *starting* values with zeros; that is about
    # the optimizer's starting point, not the result, which is still checked below.
    return "starting" in str(warning.message) and "parameters" in str(warning.message)


def guarded(
    fit: Callable[[], Forecast], bounds: Bounds | None = None, intervals: bool = True
) -> Forecast:
    """Return fit() when it runs cleanly; raise FitFailed when it raises, warns or runs away."""
    result: Forecast = _guarded_call(fit)
    arrays = [result.mean]
    if intervals:
        arrays += [result.lo80, result.hi80, result.lo95, result.hi95]
    if not all(np.all(np.isfinite(a)) for a in arrays):
        raise FitFailed(f"{result.label}: non-finite forecast or interval")
    if bounds is not None and (
        np.any(result.mean < bounds.runaway_lower) or np.any(result.mean > bounds.runaway_upper)
    ):
        raise FitFailed(f"{result.label}: forecast runs far outside the history's range")
    return result


def _normal_interval(
    family: str, label: str, mean: np.ndarray, se: np.ndarray, spec: Any = None
) -> Forecast:
    return Forecast(
        family=family,
        label=label,
        mean=mean,
        lo80=mean - Z80 * se,
        hi80=mean + Z80 * se,
        lo95=mean - Z95 * se,
        hi95=mean + Z95 * se,
        spec=spec,
    )


def is_seasonal(history: np.ndarray, m: int = SEASON) -> bool:
    """Return whether a history has a significant seasonal autocorrelation at lag m (90% test).

    The M4 benchmarks' test, applied to first differences so that a trend does not hide or fake
    the season: |r_m| > 1.645 * sqrt((1 + 2 * sum(r_k^2, k < m)) / n).
    """
    diffs = np.diff(np.asarray(history, dtype=float))
    n = diffs.size
    if n < 3 * m:
        return False
    centred = diffs - diffs.mean()
    denominator = float(np.sum(centred**2))
    if denominator == 0.0:
        return False
    acf = np.array([np.sum(centred[k:] * centred[: n - k]) / denominator for k in range(m + 1)])
    limit = 1.645 * np.sqrt((1 + 2 * np.sum(acf[1:m] ** 2)) / n)
    return bool(abs(acf[m]) > limit)


def seasonal_naive(history: np.ndarray, horizon: int, m: int = SEASON) -> Forecast:
    """Return the seasonal naive forecast (same month last year); naive when under a year of data.

    The intervals are the textbook ones: sigma of the in-sample seasonal differences times the
    square root of the number of seasons ahead.
    """
    y = np.asarray(history, dtype=float)
    lag = m if y.size > m else 1
    steps = np.arange(horizon)
    mean = y[-lag:][steps % lag]
    residuals = y[lag:] - y[:-lag]
    sigma = float(np.sqrt(np.mean(residuals**2))) if residuals.size else 0.0
    se = sigma * np.sqrt(steps // lag + 1)
    label = SEASONAL_NAIVE if lag == m else "naive"
    return _normal_interval(SEASONAL_NAIVE, label, mean, se)


def _ets_label(spec: tuple[str, str | None, bool, str | None]) -> str:
    error, trend, damped, seasonal = spec
    trend_code = "N" if trend is None else ("Ad" if damped else "A")
    return (
        f"ETS({error[0].upper()},{trend_code},{'N' if seasonal is None else seasonal[0].upper()})"
    )


def _ets_fit(
    y: np.ndarray,
    spec: tuple[str, str | None, bool, str | None],
    m: int,
    start: Any = None,
    fixed: bool = False,
) -> Any:
    import pandas as pd
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    error, trend, damped, seasonal = spec
    # A pandas endog: statsmodels' ETS prediction intervals index into it.
    model = ETSModel(
        pd.Series(y),
        error=error,
        trend=trend,
        damped_trend=damped,
        seasonal=seasonal,
        seasonal_periods=m if seasonal else None,
        # The heuristic start (two full seasons) fits ~30x faster than estimating the states.
        initialization_method="heuristic",
    )
    if fixed:
        return model.smooth(start)
    return model.fit(disp=False, start_params=start)


def _nan(horizon: int) -> np.ndarray:
    return np.full(horizon, np.nan)


def _from_80(
    family: str, label: str, mean: np.ndarray, lo80: np.ndarray, hi80: np.ndarray, **extra: Any
) -> Forecast:
    # Every model here has normal (symmetric) predictive distributions, so the 95% interval is
    # the 80% one stretched by the ratio of the normal quantiles: one interval computation.
    stretch = Z95 / Z80
    return Forecast(
        family=family,
        label=label,
        mean=mean,
        lo80=lo80,
        hi80=hi80,
        lo95=mean - (mean - lo80) * stretch,
        hi95=mean + (hi80 - mean) * stretch,
        **extra,
    )


def _ets_predict(result: Any, size: int, horizon: int, spec: Any, intervals: bool) -> Forecast:
    end = size + horizon - 1
    if not intervals:
        mean = np.asarray(result.forecast(horizon), dtype=float)
        blank = _nan(horizon)
        params = np.asarray(result.params, dtype=float)
        return Forecast(ETS, _ets_label(spec), mean, blank, blank, blank, blank, spec, params)
    p80 = result.get_prediction(start=size, end=end).summary_frame(alpha=0.2)
    return _from_80(
        ETS,
        _ets_label(spec),
        p80["mean"].to_numpy(dtype=float),
        p80["pi_lower"].to_numpy(dtype=float),
        p80["pi_upper"].to_numpy(dtype=float),
        spec=spec,
        params=np.asarray(result.params, dtype=float),
    )


def ets_forecast(
    history: np.ndarray,
    horizon: int,
    spec: tuple[str, str | None, bool, str | None],
    m: int = SEASON,
    start: Any = None,
    intervals: bool = True,
    fixed: bool = False,
) -> Forecast:
    """Return the forecast of one ETS configuration with its analytic prediction intervals.

    `start` is a warm start for the estimation, or with `fixed` the parameters to use as they are.
    """
    y = np.asarray(history, dtype=float)
    return _ets_predict(_ets_fit(y, spec, m, start, fixed), y.size, horizon, spec, intervals)


def ets(
    history: np.ndarray, horizon: int, seasonal: bool, bounds: Bounds, m: int = SEASON
) -> Forecast:
    """Return the ETS forecast of the configuration with the lowest AICc among those that fit cleanly."""
    y = np.asarray(history, dtype=float)
    fits: list[tuple[float, Any, Any]] = []
    failures = []
    for spec in ETS_SEASONAL if seasonal else ETS_PLAIN:
        try:
            result = _guarded_call(partial(_ets_fit, y, spec, m))
        except FitFailed as exc:
            failures.append(str(exc))
            continue
        if np.isfinite(result.aicc):
            fits.append((float(result.aicc), spec, result))
    if not fits:
        raise FitFailed("no ETS configuration fitted: " + "; ".join(failures))
    _, spec, result = min(fits, key=lambda fit: fit[0])
    return guarded(lambda: _ets_predict(result, y.size, horizon, spec, True), bounds)


def _guarded_call(compute: Callable[[], Any]) -> Any:
    """Return compute() when it runs without an exception or a warning that matters."""
    # numpy's default: overflow, division by zero and invalid values warn; underflow does not.
    state = np.errstate(divide="warn", over="warn", invalid="warn", under="ignore")
    with warnings.catch_warnings(record=True) as caught, state:
        warnings.simplefilter("always")
        try:
            value = compute()
        except FitFailed:
            raise
        except Exception as exc:  # numerical code raises many types (LinAlgError, ValueError, ...)
            raise FitFailed(f"{type(exc).__name__}: {exc}") from exc
    trouble = [w for w in caught if not _benign(w)]
    if trouble:
        raise FitFailed(f"{trouble[0].category.__name__}: {trouble[0].message}")
    return value


def _arima_label(spec: tuple[tuple[int, int, int], tuple[int, int, int, int], str]) -> str:
    order, seasonal, trend = spec
    text = f"ARIMA({order[0]},{order[1]},{order[2]})"
    if seasonal[3]:
        text += f"({seasonal[0]},{seasonal[1]},{seasonal[2]})[{seasonal[3]}]"
    return text + (" with drift" if trend == "t" else "")


def _arima_fit(
    y: np.ndarray,
    spec: tuple[tuple[int, int, int], tuple[int, int, int, int], str],
    start: Any = None,
    fixed: bool = False,
) -> Any:
    from statsmodels.tsa.statespace.sarimax import SARIMAX

    order, seasonal, trend = spec
    # The variance concentrated out of the likelihood: one parameter fewer to search.
    model = SARIMAX(y, order=order, seasonal_order=seasonal, trend=trend, concentrate_scale=True)
    if fixed:
        return model.filter(start, cov_type="none")
    # No parameter covariance: it costs many extra likelihood evaluations and is not used.
    return model.fit(disp=False, start_params=start, cov_type="none")


def _arima_predict(result: Any, horizon: int, spec: Any, intervals: bool) -> Forecast:
    prediction = result.get_forecast(horizon)
    mean = np.asarray(prediction.predicted_mean, dtype=float)
    if not intervals:
        blank = _nan(horizon)
        params = np.asarray(result.params, dtype=float)
        return Forecast(ARIMA, _arima_label(spec), mean, blank, blank, blank, blank, spec, params)
    ci80 = np.asarray(prediction.conf_int(alpha=0.2), dtype=float)
    return _from_80(
        ARIMA,
        _arima_label(spec),
        mean,
        ci80[:, 0],
        ci80[:, 1],
        spec=spec,
        params=np.asarray(result.params, dtype=float),
    )


def arima_forecast(
    history: np.ndarray,
    horizon: int,
    spec: tuple[tuple[int, int, int], tuple[int, int, int, int], str],
    start: Any = None,
    intervals: bool = True,
    fixed: bool = False,
) -> Forecast:
    """Return the forecast of one (seasonal) ARIMA order with its model-based intervals.

    `start` is a warm start for the estimation, or with `fixed` the parameters to use as they are.
    """
    result = _arima_fit(np.asarray(history, dtype=float), spec, start, fixed)
    return _arima_predict(result, horizon, spec, intervals)


def arima(history: np.ndarray, horizon: int, seasonal: bool, bounds: Bounds) -> Forecast:
    """Return the ARIMA forecast of the order with the lowest AIC among those that fit cleanly."""
    y = np.asarray(history, dtype=float)
    fits: list[tuple[float, Any, Any]] = []
    failures = []
    for spec in ARIMA_SEASONAL if seasonal else ARIMA_PLAIN:
        try:
            result = _guarded_call(partial(_arima_fit, y, spec))
        except FitFailed as exc:
            failures.append(str(exc))
            continue
        if np.isfinite(result.aic):
            fits.append((float(result.aic), spec, result))
    if not fits:
        raise FitFailed("no ARIMA order fitted: " + "; ".join(failures))
    _, spec, result = min(fits, key=lambda fit: fit[0])
    return guarded(lambda: _arima_predict(result, horizon, spec, True), bounds)


def theta_forecast(
    history: np.ndarray, horizon: int, seasonal: bool, m: int = SEASON, intervals: bool = True
) -> Forecast:
    """Return the Theta method's forecast (statsmodels ThetaModel) with its intervals."""
    import pandas as pd
    from statsmodels.tsa.forecasting.theta import ThetaModel

    y = np.asarray(history, dtype=float)
    method = "auto" if np.all(y > 0) else "additive"
    result = ThetaModel(
        pd.Series(y), period=m, deseasonalize=seasonal, use_test=False, method=method
    ).fit()
    mean = np.asarray(result.forecast(horizon), dtype=float)
    if not intervals:
        blank = _nan(horizon)
        return Forecast(THETA, "Theta", mean, blank, blank, blank, blank, seasonal)
    pi80 = np.asarray(result.prediction_intervals(horizon, alpha=0.2), dtype=float)
    return _from_80(THETA, "Theta", mean, pi80[:, 0], pi80[:, 1], spec=seasonal)


def theta(
    history: np.ndarray, horizon: int, seasonal: bool, bounds: Bounds, m: int = SEASON
) -> Forecast:
    """Return the guarded Theta forecast."""
    return guarded(lambda: theta_forecast(history, horizon, seasonal, m), bounds)


def refit(
    model: Forecast,
    history: np.ndarray,
    horizon: int,
    bounds: Bounds,
    intervals: bool = True,
    keep_parameters: bool = False,
) -> Forecast:
    """Return the forecast of the same model (family and configuration) on another history.

    The parameters of `model` are re-estimated with its fitted ones as the starting point, or,
    with `keep_parameters`, kept as they are (ETS and ARIMA only update their states with the
    history, as statsforecast's cross-validation does with refit=False). With
    `intervals=False` only the point forecast is computed (the intervals are NaN), which is all
    a selection backtest needs.
    """
    family, spec, start = model.family, model.spec, model.params
    fixed = keep_parameters and start is not None
    if family == SEASONAL_NAIVE:
        return seasonal_naive(history, horizon)
    if family == ETS:
        return guarded(
            lambda: ets_forecast(
                history, horizon, spec, start=start, intervals=intervals, fixed=fixed
            ),
            bounds,
            intervals,
        )
    if family == ARIMA:
        return guarded(
            lambda: arima_forecast(
                history, horizon, spec, start=start, intervals=intervals, fixed=fixed
            ),
            bounds,
            intervals,
        )
    if family == THETA:
        return guarded(
            lambda: theta_forecast(history, horizon, bool(spec), intervals=intervals),
            bounds,
            intervals,
        )
    raise ValueError(f"cannot refit model family {family!r}")


def combine(members: Sequence[Forecast]) -> Forecast:
    """Return the equal-weight combination of forecasts.

    The point forecast is the mean of the members'; each interval bound is the mean of the
    members' bounds (quantile averaging), which keeps the members' own horizon-dependent widths.
    """
    if not members:
        raise ValueError("a combination needs at least one member")

    def average(name: str) -> np.ndarray:
        return np.mean([getattr(f, name) for f in members], axis=0)

    return Forecast(
        family=COMBINATION,
        label="combination of " + " + ".join(f.label for f in members),
        mean=average("mean"),
        lo80=average("lo80"),
        hi80=average("hi80"),
        lo95=average("lo95"),
        hi95=average("hi95"),
        spec=tuple((f.family, f.spec) for f in members),
    )


def trend_projection(history: np.ndarray, horizon: int, annual_growth: float = 0.0) -> Forecast:
    """Return the projection-implied trend for a short series: its recent level grown at a yearly rate.

    The level is the mean of the last three months (one month is noisy); the intervals are those
    of a random walk with the spread of the month-to-month changes, and are left empty (NaN)
    when there are fewer than three months to estimate that spread from.
    """
    y = np.asarray(history, dtype=float)
    level = float(np.mean(y[-3:]))
    steps = np.arange(1, horizon + 1)
    mean = level * (1.0 + annual_growth) ** (steps / 12.0)
    changes = np.diff(y)
    sigma = float(np.std(changes, ddof=1)) if changes.size >= 2 else float("nan")
    return _normal_interval(TREND, TREND_LABEL, mean, sigma * np.sqrt(steps), spec=annual_growth)
