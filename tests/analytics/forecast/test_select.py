"""Model selection per series, fallbacks, and forecasts for many series."""

from datetime import date
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from analytics.forecast import models
from analytics.forecast.folds import add_months
from analytics.forecast.metrics import mase
from analytics.forecast.select import (
    ForecastSettings,
    compute_forecasts,
    select_forecast,
    split_histories,
)
from analytics.schemas import ForecastSchema

FIXTURE = Path(__file__).parents[2] / "fixtures" / "forecast" / "monthly_series.csv"


def frame(series: dict[str, np.ndarray], start: date = date(2015, 1, 1)) -> pl.DataFrame:
    return pl.concat(
        pl.DataFrame(
            {"series_id": sid, "ds": [add_months(start, k) for k in range(y.size)], "y": y}
        )
        for sid, y in series.items()
    )


def test_selection_picks_a_model_that_knows_the_structure() -> None:
    t = np.arange(108)
    truth = 1000 + 2.0 * t + 30 * np.sin(2 * np.pi * t / 12)
    y = truth + np.random.default_rng(7).normal(0, 3, t.size)
    selection = select_forecast(y[:96], ForecastSettings(horizon=12))
    assert selection.seasonal
    assert selection.chosen.family in {models.ETS, models.ARIMA, models.COMBINATION}
    # The backtest inside the history says the seasonal naive (which ignores the trend) is worse.
    assert selection.scores[selection.chosen.family] < 0.5 * selection.scores["seasonal naive"]
    # And the held-out year agrees.
    assert mase(truth[96:], selection.chosen.mean, y[:96]) < 0.3


def test_non_seasonal_trend_is_followed() -> None:
    t = np.arange(72)
    y = 200 + 1.5 * t + np.random.default_rng(11).normal(0, 1, t.size)
    selection = select_forecast(y, ForecastSettings(horizon=6))
    assert not selection.seasonal
    expected = 200 + 1.5 * np.arange(72, 78)
    assert np.max(np.abs(selection.chosen.mean - expected)) < 5


def test_short_series_fall_back_to_the_trend_and_say_so() -> None:
    y = np.linspace(100, 117, 18)
    selection = select_forecast(y, ForecastSettings(horizon=12, annual_growth=0.03))
    assert selection.chosen.label == "trend (short series)"
    assert list(selection.candidates) == [models.TREND]
    assert selection.chosen.mean[-1] == pytest.approx(np.mean(y[-3:]) * 1.03)


@pytest.mark.parametrize("value", [0.0, 42.0])
def test_constant_series_do_not_crash(value: float) -> None:
    selection = select_forecast(np.full(48, value), ForecastSettings(horizon=12))
    chosen = selection.chosen
    np.testing.assert_allclose(chosen.mean, value, atol=1e-6)
    for bound in (chosen.lo80, chosen.hi80, chosen.lo95, chosen.hi95):
        assert np.all(np.isfinite(bound)) and np.all(bound >= 0.0)


def test_a_spike_does_not_explode() -> None:
    rng = np.random.default_rng(5)
    y = 100 + rng.normal(0, 2, 60)
    y[40] = 5000.0  # a keying error of a spike
    chosen = select_forecast(y, ForecastSettings(horizon=12)).chosen
    bounds = models.sane_bounds(y)
    for values in (chosen.mean, chosen.lo95, chosen.hi95):
        assert np.all(np.isfinite(values))
        assert np.all((values >= bounds.lower) & (values <= bounds.upper))
    assert np.all(chosen.mean < 1000)  # the months after the spike were back at 100


def test_zero_heavy_count_series_stay_non_negative() -> None:
    y = np.zeros(48)
    y[[5, 17, 30, 41]] = [1.0, 2.0, 1.0, 3.0]
    chosen = select_forecast(y, ForecastSettings(horizon=12)).chosen
    assert np.all(chosen.lo95 >= 0.0) and np.all(chosen.mean >= 0.0)


def test_compute_forecasts_on_real_rows() -> None:
    raw = pl.read_csv(FIXTURE, schema_overrides={"value": pl.Float64, "period": pl.String})
    series = raw.select(
        "series_id",
        (pl.col("period") + "-01").str.to_date("%Y-%m-%d").alias("ds"),
        pl.col("value").alias("y"),
    )
    out = compute_forecasts(series, 12, workers=1)
    assert out.columns == list(ForecastSchema.columns)
    assert out.group_by("series_id").len().sort("series_id")["len"].to_list() == [12, 12, 12]
    health = out.filter(pl.col("series_id") == "CEU6562000101")
    assert health["ds"].to_list()[0] == date(2019, 10, 1)
    assert health["cutoff"].unique().to_list() == [date(2019, 9, 1)]
    # Health-care employment (16,476.9 thousand in 2019-09) keeps growing, within a plausible band.
    assert 16_300 < health["yhat"].min() and health["yhat"].max() < 17_200
    short = out.filter(pl.col("series_id") == "SMS25000000000000001")
    assert short["model"].unique().to_list() == ["trend (short series)"]
    assert short["yhat"][0] == pytest.approx((3715.9 + 3715.2 + 3722.2) / 3, abs=0.5)


def test_histories_must_be_complete_months() -> None:
    good = frame({"a": np.arange(5.0)})
    assert split_histories(good)[0].end == date(2015, 5, 1)
    with pytest.raises(ValueError, match="missing"):
        split_histories(good.filter(pl.col("ds") != date(2015, 3, 1)))
    with pytest.raises(ValueError, match="more than once"):
        split_histories(pl.concat([good, good.head(1)]))


@pytest.mark.slow
def test_parallel_and_serial_give_the_same_forecasts() -> None:
    rng = np.random.default_rng(2)
    t = np.arange(60)
    series = frame(
        {
            f"s{k}": 300 + k * t + 5 * np.sin(2 * np.pi * t / 12) + rng.normal(0, 1, 60)
            for k in range(14)
        }
    )
    serial = compute_forecasts(series, 12, workers=1)
    parallel = compute_forecasts(series, 12, workers=2)
    assert serial.equals(parallel)
