"""Rolling-origin folds: where each backtest cuts a history into training and test months."""

from __future__ import annotations

from datetime import date

import polars as pl


def fold_cutoffs(
    length: int, horizon: int, origins: int, step: int | None = None, min_train: int = 1
) -> list[int]:
    """Return the training lengths (oldest first) of up to `origins` rolling-origin folds.

    The last fold tests the final `horizon` observations; each earlier one ends `step`
    (default `horizon`) observations before the next. Folds whose training part would be
    shorter than `min_train` are left out, so a short history gets fewer folds, maybe none.
    """
    if horizon < 1 or origins < 1:
        raise ValueError("horizon and origins must be at least 1")
    step = horizon if step is None else step
    if step < 1:
        raise ValueError("step must be at least 1")
    cuts = [length - horizon - step * k for k in range(origins)]
    return sorted(c for c in cuts if c >= max(min_train, 1))


def add_months(start: date, months: int) -> date:
    """Return the first day of the month `months` after the month of `start`."""
    index = start.year * 12 + start.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def month_index(day: date) -> int:
    """Return a running month number (year * 12 + month - 1), so that months can be subtracted."""
    return day.year * 12 + day.month - 1


def split_folds(
    series: pl.DataFrame, horizon: int, origins: int, step: int | None = None, min_train: int = 1
) -> pl.DataFrame:
    """Return every fold's rows: the series' rows with a `cutoff` (last training month) and a `part`.

    `part` is "train" or "test"; the frame is long (series_id, ds, y, cutoff, part), one copy of
    the history per fold, so that any model can be run on `part == "train"` and scored on the rest.
    """
    frames = []
    for (_sid,), one in series.sort("series_id", "ds").group_by("series_id", maintain_order=True):
        ds = one["ds"].to_list()
        for cut in fold_cutoffs(one.height, horizon, origins, step, min_train):
            fold = one.head(cut + horizon).with_columns(
                pl.lit(ds[cut - 1], dtype=pl.Date).alias("cutoff"),
                pl.when(pl.int_range(pl.len()) < cut)
                .then(pl.lit("train"))
                .otherwise(pl.lit("test"))
                .alias("part"),
            )
            frames.append(fold.select("series_id", "ds", "y", "cutoff", "part"))
    if not frames:
        return pl.DataFrame(
            schema={
                "series_id": pl.String,
                "ds": pl.Date,
                "y": pl.Float64,
                "cutoff": pl.Date,
                "part": pl.String,
            }
        )
    return pl.concat(frames)
