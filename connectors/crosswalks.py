"""NCES CIP 2020 code list and the NCES/BLS CIP 2020 - SOC 2018 crosswalk parsed into typed frames."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import polars as pl

from analytics.schemas import CipSocSchema, CipTitleSchema
from connectors.errors import SourceError
from connectors.publisher_files import read_publisher_csv

# Both directions of "no match": a CIP with no SOC (99-9999) and a SOC with no CIP (99.9999).
NO_MATCH_SOC = "99-9999"
NO_MATCH_CIP = "99.9999"
_CIP = r"^\d{2}(\.\d{2}(\d{2})?)?$"
_SOC = r"^\d{2}-\d{4}$"


def parse_cip_soc(path: Path) -> pl.DataFrame:
    """Return the CIP 2020 -> SOC 2018 pairs, without the "NO MATCH" rows (CipSocSchema)."""
    columns = ["CIP2020Code", "CIP2020Title", "SOC2018Code", "SOC2018Title"]
    frame = _read_csv(Path(path), columns, "the NCES CIP2020_SOC2018_Crosswalk (CIP-SOC sheet)")
    frame = frame.select(
        _cip_code(pl.col("CIP2020Code")).alias("cip_code"),
        pl.col("CIP2020Title").alias("cip_title"),
        pl.col("SOC2018Code").alias("soc_code"),
        pl.col("SOC2018Title").alias("soc_title"),
    )
    _check(frame, "cip_code", _CIP, "CIP2020Code", path)
    _check(frame, "soc_code", _SOC, "SOC2018Code", path)
    matched = (pl.col("soc_code") != NO_MATCH_SOC) & (pl.col("cip_code") != NO_MATCH_CIP)
    return CipSocSchema.validate(frame.filter(matched))


def parse_cip_titles(path: Path) -> pl.DataFrame:
    """Return every CIP 2020 code (2-, 4- and 6-digit) with its title and definition (CipTitleSchema)."""
    columns = ["CIPFamily", "CIPCode", "CIPTitle", "CIPDefinition"]
    frame = _read_csv(Path(path), columns, "the NCES CIPCode2020.csv code list")
    frame = frame.select(
        _cip_code(pl.col("CIPCode")).alias("cip_code"),
        _cip_code(pl.col("CIPFamily")).alias("cip_family"),
        pl.col("CIPTitle").alias("cip_title"),
        pl.col("CIPDefinition").alias("cip_definition"),
    )
    _check(frame, "cip_code", _CIP, "CIPCode", path)
    frame = frame.with_columns(
        pl.col("cip_code")
        .str.replace(".", "", literal=True)
        .str.len_chars()
        .cast(pl.Int8)
        .alias("digits")
    )
    return CipTitleSchema.validate(frame)


def _cip_code(expr: pl.Expr) -> pl.Expr:
    # NCES protects codes from Excel as ="01.0101"; keep the text between the quotes. A copy that
    # went through a spreadsheet anyway reads 1.0101: put the leading zero back.
    code = expr.str.strip_chars().str.strip_prefix("=").str.strip_chars('"').str.strip_chars()
    return pl.when(code.str.contains(r"^\d(\.|$)")).then("0" + code).otherwise(code)


def _check(frame: pl.DataFrame, column: str, pattern: str, source_column: str, path: Path) -> None:
    bad = frame.filter(~pl.col(column).str.contains(pattern).fill_null(False))[column]
    if bad.len():
        raise SourceError(
            f"{path}: {bad.len()} value(s) in '{source_column}' are not codes of the expected form, "
            f"e.g. {bad[0]!r}"
        )


def _read_csv(path: Path, columns: Sequence[str], what: str) -> pl.DataFrame:
    return read_publisher_csv(path, columns, what, cp1252_fallback=True)
