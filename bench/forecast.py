"""Forecast accuracy and speed on the real monthly series shipped in data/sources/series.

Cases: every series, 12-month horizon, 3 rolling origins (the last 36 months are the three test
windows, each model seeing only the months before its cutoff). Reported: mean MASE (m = 12) and
sMAPE over the cases for the selected forecast, each candidate model, seasonal naive and the
reference, statsforecast's AutoETS (on the full history, as it is normally used, and on the same
most-recent window our models fit); coverage of the 80% and 95% intervals; seconds.

Target (issue #4): mean MASE below AutoETS's, and 80% intervals covering 70-90% of outcomes.

Run: `python -m bench.forecast [--quick] [--json PATH]`.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import warnings
from pathlib import Path
from typing import Any

import polars as pl

from analytics.forecast.backtest import SELECTED, compute_backtest
from analytics.forecast.folds import add_months, fold_cutoffs
from analytics.forecast.metrics import compute_scores
from analytics.forecast.select import compute_forecasts, split_histories

ROOT = Path(__file__).resolve().parent.parent
SERIES_DIR = ROOT / "data" / "sources" / "series"
HORIZON = 12
ORIGINS = 3
MAX_HISTORY = 180  # the default of analytics.forecast.select
AUTOETS = "AutoETS (statsforecast)"
AUTOETS_WINDOW = "AutoETS, same window"
COVERAGE80_RANGE = (0.70, 0.90)


def load_bench_series() -> pl.DataFrame:
    """Return the shipped monthly series as one long frame (series_id, title, ds, y in thousands)."""
    from connectors.series import parse_ces_fred, parse_ces_state, parse_jolts

    return pl.concat(
        [
            parse_ces_fred(SERIES_DIR / "ces_national_healthcare_monthly_nsa_1939-2019_fred.csv"),
            parse_ces_state(
                SERIES_DIR / "ces_state_total_nonfarm_prof_sci_tech_ma_il_mi_us_2015-2024_sa.csv"
            ),
            parse_jolts(SERIES_DIR / "jolts_total_nonfarm_job_openings_JTSJOL_fred.csv"),
        ]
    ).sort("series_id", "ds")


def autoets_backtest(
    series: pl.DataFrame, window: int | None = None, origins: int = ORIGINS
) -> pl.DataFrame:
    """Return statsforecast AutoETS forecasts at the same origins as compute_backtest (same columns)."""
    from statsforecast.models import AutoETS

    rows = []
    for history in split_histories(series):
        for cut in fold_cutoffs(history.y.size, HORIZON, origins, min_train=2):
            train = history.y[:cut] if window is None else history.y[:cut][-window:]
            with warnings.catch_warnings():
                # statsforecast's interval code takes square roots of tiny negative variances.
                warnings.simplefilter("ignore", RuntimeWarning)
                model = AutoETS(season_length=12).fit(train)
                p = model.predict(HORIZON, level=[80, 95])
            cutoff = add_months(history.start, cut - 1)
            rows.append(
                pl.DataFrame(
                    {
                        "series_id": history.series_id,
                        "ds": [add_months(cutoff, k) for k in range(1, HORIZON + 1)],
                        "y": history.y[cut : cut + HORIZON],
                        "cutoff": cutoff,
                        "model": AUTOETS if window is None else AUTOETS_WINDOW,
                        "label": str(model.model_["method"]),
                        "yhat": p["mean"],
                        "lo80": p["lo-80"],
                        "hi80": p["hi-80"],
                        "lo95": p["lo-95"],
                        "hi95": p["hi-95"],
                    }
                )
            )
    return pl.concat(rows)


def speed_series(series: pl.DataFrame, count: int) -> pl.DataFrame:
    """Return `count` real histories for the speed test: the shipped series cut at different months."""
    histories = split_histories(series)
    frames = []
    k = 0
    while len(frames) < count:
        history = histories[k % len(histories)]
        # Each copy ends a month earlier and keeps at most 10 years, like an occupation series.
        end = history.y.size - k // len(histories)
        y = history.y[max(0, end - 120) : end]
        start = add_months(history.start, max(0, end - 120))
        frames.append(
            pl.DataFrame(
                {
                    "series_id": f"{history.series_id}@{k}",
                    "ds": [add_months(start, i) for i in range(y.size)],
                    "y": y,
                }
            )
        )
        k += 1
    return pl.concat(frames)


def run_forecast_bench(quick: bool, origins: int | None = None) -> dict[str, Any]:
    """Return the forecast benchmark's figures (accuracy against AutoETS, coverage, seconds).

    quick: one origin instead of three (the latest 12 months of every series) and a speed test
    of 20 series instead of 300, so that the whole quick suite fits in a minute; `origins`
    overrides the number of origins either way.
    """
    import statsforecast

    series = load_bench_series()
    origins = origins or (1 if quick else ORIGINS)
    started = time.perf_counter()
    ours = compute_backtest(series, HORIZON, origins=origins, max_history=MAX_HISTORY, workers=2)
    backtest_seconds = time.perf_counter() - started
    started = time.perf_counter()
    reference = pl.concat(
        [
            autoets_backtest(series, origins=origins),
            autoets_backtest(series, MAX_HISTORY, origins=origins),
        ]
    )
    reference_seconds = time.perf_counter() - started

    both = pl.concat([ours, reference])
    per_case = _per_case(both, series)
    summary = (
        per_case.group_by("model")
        .agg(
            pl.len().alias("cases"),
            pl.col("mase").mean(),
            pl.col("smape").mean(),
            pl.col("coverage80").mean(),
            pl.col("coverage95").mean(),
        )
        .sort("mase")
    )
    by_model = {row["model"]: row for row in summary.iter_rows(named=True)}
    selected, autoets = by_model[SELECTED], by_model[AUTOETS]
    chosen = (
        ours.filter(pl.col("model") == SELECTED)
        .unique(["series_id", "cutoff"])
        .get_column("label")
        .str.extract(r"^(combination|ETS|ARIMA|Theta|seasonal naive|naive|trend)")
        .value_counts(sort=True)
    )

    count = 20 if quick else 300
    speed = speed_series(series, count)
    started = time.perf_counter()
    forecasts = compute_forecasts(speed, HORIZON, workers=2)
    speed_seconds = time.perf_counter() - started

    low, high = COVERAGE80_RANGE
    return {
        "horizon": HORIZON,
        "origins": origins,
        "series": series["series_id"].n_unique(),
        "cases": int(selected["cases"]),
        "mase": {m: round(float(r["mase"]), 4) for m, r in by_model.items()},
        "smape": {m: round(float(r["smape"]), 3) for m, r in by_model.items()},
        "coverage80": {m: round(float(r["coverage80"]), 3) for m, r in by_model.items()},
        "coverage95": {m: round(float(r["coverage95"]), 3) for m, r in by_model.items()},
        "selected_models": {str(r[0]): int(r[1]) for r in chosen.iter_rows()},
        "seconds": {
            "backtest": round(backtest_seconds, 2),
            "autoets_reference": round(reference_seconds, 2),
            f"forecast_{count}_series": round(speed_seconds, 2),
        },
        "speed_series": count,
        "speed_rows": forecasts.height,
        "statsforecast_version": statsforecast.__version__,
        "target": {
            "mase_below_autoets": bool(selected["mase"] < autoets["mase"]),
            "coverage80_in_range": bool(low <= selected["coverage80"] <= high),
            "met": bool(
                selected["mase"] < autoets["mase"] and low <= selected["coverage80"] <= high
            ),
        },
    }


def _per_case(backtest: pl.DataFrame, series: pl.DataFrame) -> pl.DataFrame:
    """Scores per series, model and origin (each case weighs the same in the means)."""
    frames = []
    for (cutoff,), fold in backtest.group_by("cutoff", maintain_order=True):
        scores = compute_scores(fold, series).with_columns(pl.lit(cutoff).alias("cutoff"))
        frames.append(scores)
    return pl.concat(frames)


def format_report(result: dict[str, Any]) -> str:
    """Return the benchmark figures as a small table for people."""
    lines = [
        f"Forecast accuracy: {result['series']} series x {result['origins']} origins "
        f"= {result['cases']} cases, {result['horizon']}-month horizon",
        f"{'model':<26}{'MASE':>8}{'sMAPE %':>9}{'cov80':>7}{'cov95':>7}",
    ]
    for model, value in sorted(result["mase"].items(), key=lambda item: item[1]):
        lines.append(
            f"{model:<26}{value:>8.3f}{result['smape'][model]:>9.2f}"
            f"{result['coverage80'][model]:>7.2f}{result['coverage95'][model]:>7.2f}"
        )
    lines.append("selected: " + ", ".join(f"{k} {v}" for k, v in result["selected_models"].items()))
    lines.append("seconds: " + ", ".join(f"{k} {v}" for k, v in result["seconds"].items()))
    target = result["target"]
    lines.append(
        f"target met: {target['met']} (MASE below AutoETS: {target['mase_below_autoets']}, "
        f"80% coverage in 70-90%: {target['coverage80_in_range']}); "
        f"statsforecast {result['statsforecast_version']}"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark, print its table and optionally write its figures as JSON."""
    parser = argparse.ArgumentParser(prog="python -m bench.forecast", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="smaller speed test")
    parser.add_argument("--json", metavar="PATH", help="also write the figures to this file")
    args = parser.parse_args(argv)
    result = run_forecast_bench(args.quick)
    print(format_report(result))
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0 if result["target"]["met"] else 1


if __name__ == "__main__":
    sys.exit(main())
