"""Monthly employment and job-openings series (BLS CES, JOLTS via FRED) as long SeriesSchema frames.

Values stay in the unit BLS publishes them in (thousands of jobs); every title says so, because
these series feed forecasts and backtests, where rescaling would only hide the published numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import polars as pl

from analytics.schemas import SeriesSchema
from connectors.errors import SourceError
from connectors.publisher_files import read_publisher_csv

JOLTS_SERIES_ID = "JTSJOL"
JOLTS_TITLE = "Job Openings: Total Nonfarm (thousands, seasonally adjusted)"


def parse_ces_fred(path: Path) -> pl.DataFrame:
    """Return the CES national not-seasonally-adjusted series, one row per month, y in thousands (SeriesSchema)."""
    path = Path(path)
    columns = ["series_id", "title", "observation_date", "value"]
    frame = _read_csv(
        path, columns, "the CES series extract (series_id, title, observation_date, value)"
    )
    frame = frame.select(
        "series_id",
        (pl.col("title") + " (thousands, not seasonally adjusted)").alias("title"),
        _month(pl.col("observation_date")).alias("ds"),
        pl.col("value").alias("y"),
        pl.col("observation_date").alias("_date_text"),
    )
    return _typed(frame, path, "observation_date")


def parse_ces_state(path: Path) -> pl.DataFrame:
    """Return the CES state and national seasonally adjusted series, monthly, y in thousands (SeriesSchema).

    BLS's M13 (annual average) periods are skipped.
    """
    path = Path(path)
    columns = ["SeriesID", "State", "Industry", "Year", "Period", "Value"]
    frame = _read_csv(path, columns, "a BLS CES series download (SeriesID, Year, Period, Value)")
    frame = frame.filter(pl.col("Period") != "M13")
    bad = frame.filter(~pl.col("Period").str.contains(r"^M(0[1-9]|1[0-2])$"))["Period"]
    if bad.len():
        raise SourceError(
            f"{path}: {bad.len()} Period value(s) are not months M01-M12, e.g. {bad[0]!r}"
        )
    area = (
        pl.when(pl.col("State") == "Total").then(pl.lit("United States")).otherwise(pl.col("State"))
    )
    unit = pl.col("Unit").str.to_lowercase() if "Unit" in frame.columns else pl.lit("thousands")
    date_text = pl.col("Year") + "-" + pl.col("Period").str.slice(1, 2) + "-01"
    frame = frame.select(
        pl.col("SeriesID").alias("series_id"),
        (
            area + ": " + pl.col("Industry") + ", all employees (" + unit + ", seasonally adjusted)"
        ).alias("title"),
        date_text.str.to_date("%Y-%m-%d", strict=False).alias("ds"),
        pl.col("Value").alias("y"),
        date_text.alias("_date_text"),
    )
    return _typed(frame, path, "Year/Period")


def parse_jolts(path: Path) -> pl.DataFrame:
    """Return JOLTS total nonfarm job openings (FRED JTSJOL), monthly, y in thousands (SeriesSchema)."""
    path = Path(path)
    frame = _read_csv(path, [], "FRED's JTSJOL download (DATE or observation_date, JTSJOL)")
    date = next((c for c in ("observation_date", "DATE") if c in frame.columns), None)
    if date is None or JOLTS_SERIES_ID not in frame.columns:
        raise SourceError(
            f"{path}: expected columns DATE (or observation_date) and {JOLTS_SERIES_ID}, "
            f"found {', '.join(frame.columns)}"
        )
    frame = frame.select(
        pl.lit(JOLTS_SERIES_ID).alias("series_id"),
        pl.lit(JOLTS_TITLE).alias("title"),
        _month(pl.col(date)).alias("ds"),
        # FRED writes "." for a month without a value.
        pl.when(pl.col(JOLTS_SERIES_ID) == ".")
        .then(None)
        .otherwise(pl.col(JOLTS_SERIES_ID))
        .alias("y"),
        pl.col(date).alias("_date_text"),
    )
    frame = frame.filter(pl.col("y").is_not_null())
    return _typed(frame, path, date)


def _month(text: pl.Expr) -> pl.Expr:
    # FRED writes ISO dates; spreadsheet copies of its files carry 1/1/01 or 1/1/2001.
    return pl.coalesce(
        text.str.to_date("%Y-%m-%d", strict=False),
        text.str.to_date("%m/%d/%y", strict=False),
        text.str.to_date("%m/%d/%Y", strict=False),
    ).dt.month_start()


def _typed(frame: pl.DataFrame, path: Path, date_column: str) -> pl.DataFrame:
    out = frame.with_columns(pl.col("y").str.replace_all(",", "").cast(pl.Float64, strict=False))
    bad_dates = out.filter(pl.col("ds").is_null())["_date_text"]
    if bad_dates.len():
        raise SourceError(
            f"{path}: {bad_dates.len()} {date_column} value(s) are not dates, e.g. {bad_dates[0]!r}"
        )
    bad_values = frame.filter(out["y"].is_null())["y"]
    if bad_values.len():
        shown = bad_values.drop_nulls()
        example = repr(shown[0]) if shown.len() else "an empty cell"
        raise SourceError(f"{path}: {bad_values.len()} value(s) are not numbers, e.g. {example}")
    keys = ["series_id", "ds"]
    if out.select(keys).is_duplicated().any():
        first = out.filter(out.select(keys).is_duplicated()).row(0, named=True)
        raise SourceError(f"{path}: {first['series_id']} has more than one value for {first['ds']}")
    return SeriesSchema.validate(out.sort(keys))


def _read_csv(path: Path, columns: Sequence[str], what: str) -> pl.DataFrame:
    return read_publisher_csv(path, columns, what)
