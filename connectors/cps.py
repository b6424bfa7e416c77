"""BLS CPS annual averages by detailed occupation: Table 11 (sex, race, ethnicity) and Table 11b (age).

BLS publishes counts in thousands and prints a dash where the base is under 50,000; the frames
carry people (thousands x 1000) and null for the dash. Percent columns stay percentages.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Sequence
from pathlib import Path

import polars as pl

from analytics.schemas import CpsAgeSchema, CpsDemographicsSchema
from connectors.errors import SourceError
from connectors.publisher_files import read_publisher_csv

_PCT = ["pct_women", "pct_white", "pct_black", "pct_asian", "pct_hispanic"]
_AGE_TIDY = [
    "age_16_19", "age_20_24", "age_25_34", "age_35_44", "age_45_54", "age_55_64", "age_65plus",
]  # fmt: skip
# Table 11b column headings, whitespace collapsed, and the tidy column each becomes.
_AGE_HEADINGS = {
    "Total, 16 years and over": "total_16plus",
    "16 to 19 years": "age_16_19",
    "20 to 24 years": "age_20_24",
    "25 to 34 years": "age_25_34",
    "35 to 44 years": "age_35_44",
    "45 to 54 years": "age_45_54",
    "55 to 64 years": "age_55_64",
    "65 years and over": "age_65plus",
    "Median age": "median_age",
}
_DASHES = ["-", "–", "—"]
_MAX_XLSX_UNPACKED = 64 * 1024 * 1024  # a BLS table unpacks to well under 1 MB


def parse_cps_demographics(path: Path) -> pl.DataFrame:
    """Return employed people and the women, race and Hispanic shares per occupation and year (CpsDemographicsSchema)."""
    path = Path(path)
    columns = ["year", "row_order", "occupation", "total_employed_thousands", *_PCT]
    frame = _read_csv(path, columns, "the tidy CPS Table 11 file (cpsaat11_*_tidy.csv)")
    frame = _numbers(
        frame, path, ["total_employed_thousands", *_PCT], required=["total_employed_thousands"]
    )
    frame = _order(frame, path).with_columns(
        (pl.col("total_employed_thousands") * 1000).alias("total_employed")
    )
    return CpsDemographicsSchema.validate(frame)


def parse_cps_age(path: Path) -> pl.DataFrame:
    """Return employed people by age group and the median age per occupation (CpsAgeSchema).

    Reads either BLS's own workbook (cpsaat11b.xlsx, as published) or the tidy CSV derived from it.
    """
    path = Path(path)
    if path.suffix.lower() == ".xlsx":
        frame = _age_workbook(path)
    else:
        columns = ["year", "row_order", "occupation", "total_16plus", *_AGE_TIDY, "median_age"]
        frame = _read_csv(path, columns, "the tidy CPS Table 11b file (cpsaat11b_*_tidy.csv)")
    counts = ["total_16plus", *_AGE_TIDY]
    frame = _numbers(frame, path, [*counts, "median_age"], required=["total_16plus"])
    frame = _order(frame, path).with_columns(pl.col(c) * 1000 for c in counts)
    frame = frame.with_columns(
        pl.col("total_16plus").alias("total_employed"),
        (pl.col("age_16_19") + pl.col("age_20_24")).alias("age_16_24"),
        pl.col("age_65plus").alias("age_65_plus"),
    )
    return CpsAgeSchema.validate(frame)


def _age_workbook(path: Path) -> pl.DataFrame:
    cells = _read_xlsx(path)
    header_row = None
    for number, row in enumerate(cells.iter_rows()):
        labels = {_collapse(v) for v in row if v is not None}
        if {"16 to 19 years", "Median age"} <= labels:
            header_row = number
            break
    if header_row is None:
        raise SourceError(
            f"{path}: no age heading row ('16 to 19 years' … 'Median age'); not BLS Table 11b"
        )
    headings = [_collapse(v) if v is not None else None for v in cells.row(header_row)]
    positions = {_AGE_HEADINGS[h]: i for i, h in enumerate(headings) if h in _AGE_HEADINGS}
    missing = [h for h, c in _AGE_HEADINGS.items() if c not in positions]
    if missing:
        raise SourceError(
            f"{path}: missing column heading(s) {', '.join(repr(h) for h in missing)}"
        )
    year = None
    for row in cells.head(header_row).iter_rows():
        for value in row[1:]:
            if value is not None and re.fullmatch(r"(19|20)\d{2}", value.strip()):
                year = value.strip()
    if year is None:
        raise SourceError(f"{path}: no year above the column headings; not BLS Table 11b")
    names = cells.columns
    body = cells.slice(header_row + 1).select(
        pl.col(names[0]).alias("occupation"),
        *(pl.col(names[i]).alias(column) for column, i in positions.items()),
    )
    total = pl.col("total_16plus").str.replace_all(",", "").cast(pl.Float64, strict=False)
    # Table rows are those with a title and a numeric total; notes and blank lines have neither.
    body = body.filter(pl.col("occupation").is_not_null() & total.is_not_null())
    return body.with_columns(
        pl.lit(year).alias("year"),
        pl.int_range(1, pl.len() + 1).cast(pl.String).alias("row_order"),
    )


def _order(frame: pl.DataFrame, path: Path) -> pl.DataFrame:
    out = frame.with_columns(
        pl.col("year").cast(pl.Int16, strict=False),
        pl.col("row_order").cast(pl.Int16, strict=False),
        pl.col("occupation").str.replace_all(r"\s+", " ").str.strip_chars(),
    )
    for column in ("year", "row_order", "occupation"):
        failed = frame.filter(out[column].is_null())[column]
        if failed.len():
            raise SourceError(f"{path}: {failed.len()} row(s) without a readable {column}")
    if out.select("year", "row_order").is_duplicated().any():
        raise SourceError(f"{path}: a (year, row_order) pair appears more than once")
    return out.sort("year", "row_order")


def _numbers(
    frame: pl.DataFrame, path: Path, columns: Sequence[str], required: Sequence[str]
) -> pl.DataFrame:
    cleaned = frame.with_columns(
        pl.when(pl.col(c).is_in(_DASHES))
        .then(None)
        .otherwise(pl.col(c).str.replace_all(",", ""))
        .alias(c)
        for c in columns
    )
    out = cleaned.with_columns(pl.col(c).cast(pl.Float64, strict=False) for c in columns)
    for column in columns:
        failed = cleaned.filter(out[column].is_null() & cleaned[column].is_not_null())[column]
        if failed.len():
            raise SourceError(
                f"{path}: {failed.len()} value(s) in '{column}' are not numbers or a dash, e.g. {failed[0]!r}"
            )
    for column in required:
        missing = out.filter(pl.col(column).is_null()).height
        if missing:
            raise SourceError(f"{path}: {missing} row(s) have no '{column}'")
    return out


def _collapse(value: str) -> str:
    return re.sub(r"\s+", " ", value).strip()


def _read_xlsx(path: Path) -> pl.DataFrame:
    if not path.is_file():
        raise SourceError(f"{path}: file not found; expected BLS Table 11b (cpsaat11b.xlsx)")
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError) as exc:
        raise SourceError(f"{path}: not an Excel workbook ({exc})") from exc
    if unpacked > _MAX_XLSX_UNPACKED:
        raise SourceError(f"{path}: workbook would unpack to {unpacked:,} bytes; not a BLS table")
    try:
        cells = pl.read_excel(path, engine="calamine", has_header=False, infer_schema_length=0)
    except Exception as exc:  # calamine raises its own types for damaged workbooks
        line = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise SourceError(f"{path}: unreadable workbook ({line})") from exc
    return cells.with_columns(pl.all().cast(pl.String).str.strip_chars())


def _read_csv(path: Path, columns: Sequence[str], what: str) -> pl.DataFrame:
    return read_publisher_csv(path, columns, what)
