"""Indeed Hiring Lab Job Postings Index files (CC BY 4.0) parsed into one long PostingsIndexSchema frame each.

Every index is daily, a seven-day trailing average, with 2020-02-01 = 100. The metro file
publishes the percent change since 2020-02-01 instead; it is converted to the same index.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import polars as pl

from analytics.schemas import PostingsIndexSchema
from connectors.errors import SourceError
from connectors.publisher_files import read_publisher_csv

INDEED_ATTRIBUTION = "Job postings indexes: Indeed Hiring Lab (data.indeed.com), CC BY 4.0."

_WHAT = "an Indeed Hiring Lab job postings file"


def parse_indeed_sector(path: Path) -> pl.DataFrame:
    """Return the seasonally adjusted US index per occupational sector (PostingsIndexSchema)."""
    path = Path(path)
    frame = _read_csv(path, ["date", "jobcountry", "indeed_job_postings_index", "display_name"])
    frame = frame.select(
        "date",
        pl.col("jobcountry").alias("geography"),
        pl.col("display_name").alias("series"),
        pl.col("indeed_job_postings_index").alias("index_value"),
        pl.lit("SA").alias("adjustment"),
    )
    return _typed(frame, path)


def parse_indeed_state(path: Path) -> pl.DataFrame:
    """Return the seasonally adjusted index of all postings per state, lower-case USPS code (PostingsIndexSchema)."""
    path = Path(path)
    frame = _read_csv(path, ["date", "state", "indeed_job_postings_index"])
    frame = frame.select(
        "date",
        pl.col("state").str.to_lowercase().alias("geography"),
        # Hiring Lab's state file has no variable column: it covers all postings.
        pl.lit("total postings").alias("series"),
        pl.col("indeed_job_postings_index").alias("index_value"),
        pl.lit("SA").alias("adjustment"),
    )
    return _typed(frame, path)


def parse_indeed_aggregate(path: Path) -> pl.DataFrame:
    """Return the US total and new postings indexes, SA and NSA as separate rows (PostingsIndexSchema)."""
    path = Path(path)
    sa, nsa = "indeed_job_postings_index_SA", "indeed_job_postings_index_NSA"
    frame = _read_csv(path, ["date", "jobcountry", sa, nsa, "variable"])
    frame = pl.concat(
        [
            frame.select(
                "date",
                pl.col("jobcountry").alias("geography"),
                pl.col("variable").alias("series"),
                pl.col(column).alias("index_value"),
                pl.lit(adjustment).alias("adjustment"),
            )
            for column, adjustment in ((sa, "SA"), (nsa, "NSA"))
        ]
    )
    return _typed(frame, path)


def parse_indeed_metro(path: Path) -> pl.DataFrame:
    """Return the seasonally adjusted metro index (100 + percent change since 2020-02-01) by CBSA code (PostingsIndexSchema)."""
    path = Path(path)
    frame = _read_csv(path, ["date", "cbsa_code", "pct_chng_feb_1"])
    bad = frame.filter(~pl.col("cbsa_code").str.contains(r"^\d{5}$"))["cbsa_code"]
    if bad.len():
        raise SourceError(
            f"{path}: {bad.len()} cbsa_code value(s) are not 5-digit codes, e.g. {bad[0]!r}"
        )
    frame = frame.select(
        "date",
        pl.col("cbsa_code").alias("geography"),
        pl.lit("total postings").alias("series"),
        pl.col("pct_chng_feb_1").alias("index_value"),
        pl.lit("SA").alias("adjustment"),
    )
    frame = _typed(frame, path)
    return PostingsIndexSchema.validate(frame.with_columns(pl.col("index_value") + 100.0))


def _typed(frame: pl.DataFrame, path: Path) -> pl.DataFrame:
    out = frame.with_columns(
        pl.col("date").str.to_date("%Y-%m-%d", strict=False),
        pl.col("index_value").cast(pl.Float64, strict=False),
    )
    for column in ("date", "index_value"):
        failed = frame.filter(out[column].is_null())[column]
        if failed.len():
            shown = failed.drop_nulls()
            example = repr(shown[0]) if shown.len() else "empty cells"
            raise SourceError(
                f"{path}: {failed.len()} row(s) without a readable {column}, e.g. {example}"
            )
    missing = out.filter(pl.col("geography").is_null() | pl.col("series").is_null()).height
    if missing:
        raise SourceError(f"{path}: {missing} row(s) without a geography or series name")
    keys = ["date", "geography", "series", "adjustment"]
    if out.select(keys).is_duplicated().any():
        first = out.filter(out.select(keys).is_duplicated()).row(0, named=True)
        raise SourceError(
            f"{path}: {first['geography']} {first['series']} on {first['date']} appears more than once"
        )
    return PostingsIndexSchema.validate(out.sort(keys))


def _read_csv(path: Path, columns: Sequence[str]) -> pl.DataFrame:
    return read_publisher_csv(path, columns, _WHAT)
