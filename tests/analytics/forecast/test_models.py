"""Each model on series whose answer is known, and the guards that stop explosions."""

import warnings

import numpy as np
import pytest

from analytics.forecast import models

T = np.arange(96)
SEASON = 10 * np.sin(2 * np.pi * T / 12)


def noisy_seasonal(seed: int = 1) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return 500 + 0.8 * T + SEASON + rng.normal(0, 2, T.size)


def test_seasonal_naive_is_exact_on_a_pure_seasonal_series() -> None:
    pattern = np.array([3, 5, 8, 13, 21, 34, 55, 34, 21, 13, 8, 5], dtype=float)
    history = np.tile(pattern, 4)
    forecast = models.seasonal_naive(history, 18)
    np.testing.assert_array_equal(forecast.mean, np.concatenate([pattern, pattern[:6]]))
    # The in-sample seasonal differences are all zero, so there is no uncertainty left.
    np.testing.assert_array_equal(forecast.hi95 - forecast.lo95, 0.0)


def test_seasonal_naive_intervals_step_up_each_season() -> None:
    forecast = models.seasonal_naive(noisy_seasonal(), 24)
    width = forecast.hi80 - forecast.lo80
    assert np.allclose(width[:12], width[0]) and np.allclose(width[12:], width[0] * np.sqrt(2))


def test_seasonality_test() -> None:
    assert models.is_seasonal(noisy_seasonal())
    walk = 100 + np.cumsum(np.random.default_rng(3).normal(0, 1, 96))
    assert not models.is_seasonal(walk)
    assert not models.is_seasonal(np.full(96, 4.0))


@pytest.mark.parametrize("fit", [models.ets, models.arima, models.theta])
def test_intervals_widen_with_horizon(fit) -> None:  # type: ignore[no-untyped-def]
    y = noisy_seasonal()
    forecast = fit(y, 24, True, models.sane_bounds(y))
    width80, width95 = forecast.hi80 - forecast.lo80, forecast.hi95 - forecast.lo95
    assert np.all(np.diff(width80) >= -1e-9)
    assert width80[-1] > width80[0]
    assert np.all(width95 > width80)
    assert np.all((forecast.lo80 <= forecast.mean) & (forecast.mean <= forecast.hi80))


def test_ets_and_arima_follow_a_known_structure() -> None:
    y = noisy_seasonal()
    truth = 500 + 0.8 * np.arange(96, 108) + 10 * np.sin(2 * np.pi * np.arange(96, 108) / 12)
    for fit in (models.ets, models.arima):
        forecast = fit(y, 12, True, models.sane_bounds(y))
        assert np.max(np.abs(forecast.mean - truth)) < 8  # noise sd is 2; season amplitude 10


def test_ets_label_names_the_configuration() -> None:
    y = noisy_seasonal()
    forecast = models.ets(y, 12, True, models.sane_bounds(y))
    assert forecast.label in {"ETS(A,N,A)", "ETS(A,A,A)", "ETS(A,Ad,A)"}
    assert forecast.label != "ETS(A,N,A)"  # the series trends


def test_guard_turns_warnings_errors_and_runaways_into_fit_failed() -> None:
    y = noisy_seasonal()
    bounds = models.sane_bounds(y)
    good = models.seasonal_naive(y, 12)

    def warns() -> models.Forecast:
        warnings.warn("did not converge", RuntimeWarning, stacklevel=1)
        return good

    def raises() -> models.Forecast:
        raise np.linalg.LinAlgError("singular matrix")

    runaway = models.Forecast("x", "x", good.mean * 100, good.lo80, good.hi80, good.lo95, good.hi95)
    broken = models.Forecast(
        "x", "x", good.mean * np.nan, good.lo80, good.hi80, good.lo95, good.hi95
    )
    for fit in (warns, raises, lambda: runaway, lambda: broken):
        with pytest.raises(models.FitFailed):
            models.guarded(fit, bounds)
    assert models.guarded(lambda: good, bounds) is good


def test_bounds_keep_counts_non_negative() -> None:
    bounds = models.sane_bounds(np.array([0.0, 2.0, 10.0]))
    assert bounds.lower == 0.0 and bounds.upper == 20.0
    clipped = models.bounded(models.Forecast("x", "x", *(np.array([-5.0, 50.0]),) * 5), bounds)
    np.testing.assert_array_equal(clipped.mean, [0.0, 20.0])
    negative = models.sane_bounds(np.array([-4.0, 6.0]))
    assert negative.lower == -14.0


def test_trend_projection_grows_at_the_annual_rate() -> None:
    history = np.array([100.0, 102.0, 98.0, 100.0, 101.0, 99.0])
    forecast = models.trend_projection(history, 12, annual_growth=0.05)
    assert forecast.label == "trend (short series)"
    assert forecast.mean[-1] == pytest.approx(100.0 * 1.05)
    assert forecast.mean[0] == pytest.approx(100.0 * 1.05 ** (1 / 12))
    assert np.all(np.diff(forecast.hi80 - forecast.lo80) > 0)
    # Under three months there is no spread to estimate: the intervals are unknown, not zero.
    assert np.isnan(models.trend_projection(np.array([5.0, 6.0]), 3).lo80).all()


def test_combination_averages_members() -> None:
    a = models.Forecast("ets", "A", *(np.array([1.0, 2.0]),) * 5)
    b = models.Forecast("arima", "B", *(np.array([3.0, 6.0]),) * 5)
    combined = models.combine([a, b])
    np.testing.assert_array_equal(combined.mean, [2.0, 4.0])
    assert combined.label == "combination of A + B"
