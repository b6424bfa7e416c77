"""A person's own monthly series, as a CSV of series_id, period and value, for forecasting.

The file is read as text and every cell checked: a period that is not a month, a value that
is not a number, a month given twice or a month missing inside a series refuses the file
with a message that names the lines, so that nothing is silently dropped or invented.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import polars as pl

from analytics.schemas import SeriesSchema
from connectors.errors import FeedError

# Header spellings accepted for each column, after lower-casing and turning spaces and
# dashes into underscores.
COLUMN_SYNONYMS: dict[str, tuple[str, ...]] = {
    "series_id": ("series_id", "series", "seriesid", "id", "series_name"),
    "period": ("period", "month", "date", "ds", "observation_date"),
    "value": ("value", "y", "values", "count"),
    "title": ("title", "series_title", "description"),
}
REQUIRED = ("series_id", "period", "value")
EXPECTED = "a series file needs columns series_id, period (YYYY-MM or a date) and value"
SHOWN_PROBLEMS = 3

_MONTH_FORMATS = (
    (r"^\d{4}-\d{1,2}$", "%Y-%m-%d", "{}-01"),
    (r"^\d{4}/\d{1,2}$", "%Y/%m/%d", "{}/01"),
    (r"^\d{4}M\d{2}$", "%YM%m-%d", "{}-01"),  # BLS style 2024M03
    (r"^\d{4}-\d{1,2}-\d{1,2}$", "%Y-%m-%d", "{}"),
    (r"^\d{4}/\d{1,2}/\d{1,2}$", "%Y/%m/%d", "{}"),
    (r"^\d{1,2}/\d{1,2}/\d{4}$", "%m/%d/%Y", "{}"),  # US month/day/year
)


def read_series_csv(path: Path) -> pl.DataFrame:
    """Return the monthly series in a CSV of series_id, period, value (SeriesSchema, one row per month).

    Periods may be YYYY-MM, YYYY/MM, YYYYMmm or a date (ISO or US month/day/year; the day is
    ignored). Raises FeedError naming the file and what to fix.
    """
    path = Path(path)
    frame = _read_text_csv(path)
    columns = _map_columns(frame.columns, path)
    named = frame.select(
        pl.col(columns["series_id"]).str.strip_chars().alias("series_id"),
        pl.col(columns["period"]).str.strip_chars().alias("period"),
        pl.col(columns["value"]).str.strip_chars().alias("value"),
        (
            pl.col(columns["title"]).str.strip_chars()
            if "title" in columns
            else pl.lit(None, dtype=pl.String)
        ).alias("title"),
    ).with_row_index("line", offset=2)  # line 1 is the header
    if named.height == 0:
        raise FeedError(f"{path.name}: no data rows under the header; {EXPECTED}")

    parsed = named.with_columns(
        _month(pl.col("period")).alias("ds"),
        pl.col("value").str.replace_all(r"[,\s]", "").cast(pl.Float64, strict=False).alias("y"),
    )
    _refuse_bad_rows(parsed, path)
    parsed = parsed.with_columns(
        pl.coalesce(pl.col("title"), pl.col("series_id")).alias("title"),
    )
    _refuse_duplicates_and_gaps(parsed, path)
    order = parsed.select("series_id").unique(maintain_order=True).with_row_index("series_order")
    out = parsed.join(order, on="series_id").sort("series_order", "ds")
    return SeriesSchema.validate(out)


def _read_text_csv(path: Path) -> pl.DataFrame:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise FeedError(f"{path}: file not found; {EXPECTED}") from None
    except IsADirectoryError:
        raise FeedError(f"{path}: is a folder, not a CSV file; {EXPECTED}") from None
    except OSError as exc:
        raise FeedError(f"{path}: cannot be read ({exc.strerror})") from exc
    if not raw.strip():
        raise FeedError(f"{path.name}: the file is empty; {EXPECTED}")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FeedError(
            f"{path.name}: not a UTF-8 text CSV (unreadable byte at position {exc.start}); "
            f"save it as CSV UTF-8; {EXPECTED}"
        ) from exc
    if "\x00" in text:
        raise FeedError(f"{path.name}: binary data, not a CSV; {EXPECTED}")
    try:
        return pl.read_csv(text.encode(), infer_schema=False)
    except pl.exceptions.PolarsError as exc:
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise FeedError(f"{path.name}: not a readable CSV ({first}); {EXPECTED}") from exc


def _normal(header: str) -> str:
    return re.sub(r"[\s\-]+", "_", header.strip().lower())


def _map_columns(headers: list[str], path: Path) -> dict[str, str]:
    by_normal: dict[str, str] = {}
    for header in headers:
        by_normal.setdefault(_normal(header), header)
    columns = {}
    for field, synonyms in COLUMN_SYNONYMS.items():
        found = next((by_normal[s] for s in synonyms if s in by_normal), None)
        if found is not None:
            columns[field] = found
    missing = [f for f in REQUIRED if f not in columns]
    if missing:
        raise FeedError(
            f"{path.name}: missing column(s) {', '.join(missing)}; {EXPECTED} "
            f"(found: {', '.join(headers) or 'no columns'})"
        )
    return columns


def _month(text: pl.Expr) -> pl.Expr:
    attempts = [
        pl.when(text.str.contains(pattern)).then(
            pl.format(template, text).str.to_date(fmt, strict=False)
        )
        for pattern, fmt, template in _MONTH_FORMATS
    ]
    return pl.coalesce(attempts).dt.month_start()


def _refuse_bad_rows(parsed: pl.DataFrame, path: Path) -> None:
    problems = parsed.select(
        "line",
        pl.when(pl.col("series_id").is_null() | (pl.col("series_id") == ""))
        .then(pl.lit("series_id is empty"))
        .when(pl.col("ds").is_null())
        .then(
            pl.format(
                "period {} is not a month (use YYYY-MM or a date)",
                pl.format("'{}'", pl.col("period").fill_null("")),
            )
        )
        .when(pl.col("y").is_null() | ~pl.col("y").is_finite())
        .then(
            pl.format(
                "value {} is not a number",
                pl.format("'{}'", pl.col("value").fill_null("")),
            )
        )
        .alias("problem"),
    ).filter(pl.col("problem").is_not_null())
    if problems.height:
        shown = "; ".join(
            f"line {r['line']}: {r['problem']}"
            for r in problems.head(SHOWN_PROBLEMS).iter_rows(named=True)
        )
        more = (
            f" (and {problems.height - SHOWN_PROBLEMS} more)"
            if problems.height > SHOWN_PROBLEMS
            else ""
        )
        raise FeedError(
            f"{path.name}: {problems.height} row(s) cannot be read: {shown}{more}; "
            "correct or remove those rows"
        )


def _refuse_duplicates_and_gaps(parsed: pl.DataFrame, path: Path) -> None:
    keys = parsed.select("series_id", "ds")
    if keys.is_duplicated().any():
        first = parsed.filter(keys.is_duplicated()).sort("line").row(0, named=True)
        lines = parsed.filter(
            (pl.col("series_id") == first["series_id"]) & (pl.col("ds") == first["ds"])
        )["line"].to_list()
        raise FeedError(
            f"{path.name}: series {first['series_id']} has more than one value for "
            f"{first['ds']:%Y-%m} (lines {', '.join(map(str, lines))}); keep one value per month"
        )
    months = parsed.with_columns(
        (pl.col("ds").dt.year() * 12 + pl.col("ds").dt.month() - 1).alias("month_index")
    )
    spans = months.group_by("series_id", maintain_order=True).agg(
        pl.len().alias("months"),
        pl.col("month_index").min().alias("first"),
        pl.col("month_index").max().alias("last"),
        pl.col("ds").sort(),
    )
    gappy = spans.filter(pl.col("last") - pl.col("first") + 1 != pl.col("months"))
    if gappy.height:
        row = gappy.row(0, named=True)
        ds = row["ds"]
        gap_after = next(a for a, b in zip(ds, ds[1:], strict=False) if _index(b) - _index(a) > 1)
        count = row["last"] - row["first"] + 1 - row["months"]
        raise FeedError(
            f"{path.name}: series {row['series_id']} has {count} missing month(s), the first "
            f"after {gap_after:%Y-%m}; forecasts need every month between the first and the last"
        )


def _index(day: date) -> int:
    return day.year * 12 + day.month - 1
