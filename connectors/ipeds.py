"""NCES IPEDS completions (C_A), institutional directory (HD) and award-level labels parsed into typed frames."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import polars as pl

from analytics.schemas import IpedsAwardLevelSchema, IpedsCompletionSchema, IpedsInstitutionSchema
from connectors.errors import SourceError
from connectors.publisher_files import read_publisher_csv

# IPEDS SECTOR codes (HD dictionary, "Sector of institution").
SECTOR_LABELS: dict[int, str] = {
    0: "Administrative Unit",
    1: "Public, 4-year or above",
    2: "Private not-for-profit, 4-year or above",
    3: "Private for-profit, 4-year or above",
    4: "Public, 2-year",
    5: "Private not-for-profit, 2-year",
    6: "Private for-profit, 2-year",
    7: "Public, less-than 2-year",
    8: "Private not-for-profit, less-than 2-year",
    9: "Private for-profit, less-than 2-year",
    99: "Sector unknown (not active)",
}
_NOT_REPORTED = ("-1", "-2")  # IPEDS: not reported / not applicable


def parse_ipeds_completions(path: Path) -> pl.DataFrame:
    """Return awards by survey year, institution, six-digit CIP and award level (IpedsCompletionSchema).

    The two-digit rollups (`99` = an institution's grand total for an award level) are dropped, so
    sums over CIP codes count each award once. The publisher's single-year file (c2024_a.csv) has
    no survey_year column: the year is then taken from the file name.
    """
    path = Path(path)
    columns = ["UNITID", "CIPCODE", "MAJORNUM", "AWLEVEL", "CTOTALT", "CTOTALM", "CTOTALW"]
    frame = _read_csv(path, columns, "an IPEDS completions file (C_A)")
    frame = _with_year(frame, "survey_year", r"c(\d{4})_a", path)
    code = (
        pl.col("CIPCODE")
        .str.strip_prefix("=")
        .str.strip_chars('"')
        .str.strip_chars()
        .alias("CIPCODE")
    )
    frame = frame.with_columns(code)
    bad = frame.filter(~pl.col("CIPCODE").str.contains(r"^\d{1,2}(\.\d{1,4})?$").fill_null(False))
    if bad.height:
        raise SourceError(
            f"{path}: {bad.height} CIPCODE value(s) are not CIP codes, e.g. {bad['CIPCODE'][0]!r}"
        )
    frame = frame.filter(pl.col("CIPCODE").str.contains(".", literal=True))
    parts = pl.col("CIPCODE").str.split_exact(".", 1)
    # Spreadsheet round-trips turn 01.0100 into 1.01: restore both sets of zeros.
    frame = frame.with_columns(
        (
            parts.struct.field("field_0").str.zfill(2)
            + "."
            + parts.struct.field("field_1").str.pad_end(4, "0")
        ).alias("cip_code")
    )
    frame = _cast(
        frame,
        path,
        {
            "survey_year": pl.Int16,
            "MAJORNUM": pl.Int8,
            "AWLEVEL": pl.Int8,
            "CTOTALT": pl.Int32,
            "CTOTALM": pl.Int32,
            "CTOTALW": pl.Int32,
        },
    )
    frame = frame.select(
        "survey_year",
        pl.col("UNITID").alias("unitid"),
        "cip_code",
        pl.col("MAJORNUM").alias("major_number"),
        pl.col("AWLEVEL").alias("award_level"),
        pl.col("CTOTALT").alias("completers"),
        pl.col("CTOTALM").alias("completers_men"),
        pl.col("CTOTALW").alias("completers_women"),
    )
    return IpedsCompletionSchema.validate(frame)


def parse_ipeds_institutions(path: Path) -> pl.DataFrame:
    """Return one directory row per institution with its county and CBSA (IpedsInstitutionSchema).

    County and CBSA codes of -1/-2 (not reported / not applicable) become null. A raw NCES HD
    file (hd2024.csv, Windows-1252 with a BOM) has no hd_year column: the year comes from its name.
    """
    path = Path(path)
    columns = [
        "UNITID", "INSTNM", "CITY", "STABBR", "COUNTYCD", "COUNTYNM", "CBSA", "LATITUDE", "LONGITUD",
        "SECTOR",
    ]  # fmt: skip
    frame = _read_csv(path, columns, "an IPEDS institutional directory file (HD)")
    frame = _with_year(frame, "hd_year", r"hd(\d{4})", path)
    frame = frame.with_columns(
        pl.when(pl.col(c).is_in(_NOT_REPORTED)).then(None).otherwise(pl.col(c)).alias(c)
        for c in ("COUNTYCD", "COUNTYNM", "CBSA")
    )
    frame = frame.with_columns(
        pl.col("COUNTYCD").str.zfill(5).alias("county_fips"),
        pl.col("CBSA").str.zfill(5).alias("cbsa_code"),
    )
    for column, source in (("county_fips", "COUNTYCD"), ("cbsa_code", "CBSA")):
        bad = frame.filter(~pl.col(column).str.contains(r"^\d{5}$").fill_null(True))
        if bad.height:
            raise SourceError(
                f"{path}: {bad.height} {source} value(s) are not 5-digit codes, e.g. {bad[source][0]!r}"
            )
    frame = _cast(
        frame,
        path,
        {"LATITUDE": pl.Float64, "LONGITUD": pl.Float64, "SECTOR": pl.Int8, "hd_year": pl.Int16},
    )
    unknown = frame.filter(~pl.col("SECTOR").is_in(list(SECTOR_LABELS)))["SECTOR"]
    if unknown.len():
        raise SourceError(f"{path}: SECTOR {unknown[0]} is not an IPEDS sector code")
    if frame["UNITID"].is_duplicated().any():
        dup = frame.filter(pl.col("UNITID").is_duplicated())["UNITID"][0]
        raise SourceError(
            f"{path}: UNITID {dup} appears more than once; keep one HD row per institution"
        )
    frame = frame.select(
        pl.col("UNITID").alias("unitid"),
        pl.col("INSTNM").alias("institution"),
        pl.col("CITY").alias("city"),
        pl.col("STABBR").alias("state"),
        "county_fips",
        pl.col("COUNTYNM").alias("county_name"),
        "cbsa_code",
        pl.col("LATITUDE").alias("latitude"),
        pl.col("LONGITUD").alias("longitude"),
        pl.col("SECTOR").alias("sector"),
        pl.col("SECTOR")
        .replace_strict(SECTOR_LABELS, return_dtype=pl.String)
        .alias("sector_label"),
        "hd_year",
    )
    return IpedsInstitutionSchema.validate(frame)


def parse_ipeds_award_levels(path: Path) -> pl.DataFrame:
    """Return the IPEDS award-level codes (AWLEVEL) with their labels (IpedsAwardLevelSchema)."""
    path = Path(path)
    frame = _read_csv(path, ["VarName", "CodeValue", "ValueLabel"], "the IPEDS C_A value labels")
    frame = frame.filter(pl.col("VarName").str.to_uppercase() == "AWLEVEL")
    if frame.is_empty():
        raise SourceError(f"{path}: no AWLEVEL rows in 'VarName'")
    frame = _cast(frame, path, {"CodeValue": pl.Int8}).select(
        pl.col("CodeValue").alias("award_level"), pl.col("ValueLabel").alias("award_label")
    )
    if frame["award_level"].is_duplicated().any():
        raise SourceError(f"{path}: an AWLEVEL code is labelled more than once")
    return IpedsAwardLevelSchema.validate(frame.sort("award_level"))


def _with_year(frame: pl.DataFrame, column: str, name_pattern: str, path: Path) -> pl.DataFrame:
    if column in frame.columns:
        return frame
    match = re.search(name_pattern, path.name, flags=re.IGNORECASE)
    if match is None:
        raise SourceError(
            f"{path}: no '{column}' column and no year in the file name; "
            "keep NCES's file name (e.g. c2024_a.csv, hd2024.csv)"
        )
    return frame.with_columns(pl.lit(match.group(1)).alias(column))


def _cast(frame: pl.DataFrame, path: Path, dtypes: dict[str, type[pl.DataType]]) -> pl.DataFrame:
    out = frame.with_columns(pl.col(c).cast(t, strict=False) for c, t in dtypes.items())
    for column in dtypes:
        failed = frame.filter(out[column].is_null() & frame[column].is_not_null())[column]
        if failed.len():
            raise SourceError(
                f"{path}: {failed.len()} value(s) in '{column}' are not numbers in range, "
                f"e.g. {failed[0]!r}"
            )
        missing = frame.filter(frame[column].is_null()).height
        if missing and column not in ("LATITUDE", "LONGITUD"):
            raise SourceError(f"{path}: {missing} row(s) have no value in '{column}'")
    return out


def _read_csv(path: Path, columns: Sequence[str], what: str) -> pl.DataFrame:
    return read_publisher_csv(path, columns, what, cp1252_fallback=True, upper_headers=True)
