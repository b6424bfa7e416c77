"""CPS Table 11 and 11b parsers: people not thousands, dashes as null, the BLS workbook as published."""

from pathlib import Path

import polars as pl
import pytest

from connectors import cps
from connectors.errors import SourceError
from settings import SOURCES_DIR

CPS = SOURCES_DIR / "cps"
DEMOGRAPHICS = CPS / "cpsaat11_2020-2022_tidy.csv"
AGE_TIDY = CPS / "cpsaat11b_2025_tidy.csv"
AGE_WORKBOOK = CPS / "cpsaat11b_2025_annual_avg.xlsx"


def test_demographics_in_people_with_dashes_as_null() -> None:
    frame = cps.parse_cps_demographics(DEMOGRAPHICS)
    assert frame.height == 1785
    assert dict(frame.group_by("year").len().iter_rows()) == {2020: 595, 2021: 595, 2022: 595}
    rn = frame.filter((pl.col("year") == 2022) & (pl.col("occupation") == "Registered nurses"))
    row = rn.row(0, named=True)
    assert row["total_employed"] == 3_363_000  # 3,363 thousand in the table
    assert (row["pct_women"], row["pct_black"], row["pct_hispanic"]) == (87.9, 14.5, 8.1)
    legislators = frame.filter((pl.col("year") == 2020) & (pl.col("occupation") == "Legislators"))
    assert legislators["total_employed"].item() == 25_000
    assert legislators["pct_women"].item() is None  # BLS dash: base under 50,000
    first = frame.row(0, named=True)
    assert (
        first["occupation"] == "Total, 16 years and over" and first["total_employed"] == 147_795_000
    )


def test_age_groups_in_people_with_16_to_24_combined() -> None:
    frame = cps.parse_cps_age(AGE_TIDY)
    assert frame.height == 595
    rn = frame.filter(pl.col("occupation") == "Registered nurses").row(0, named=True)
    # 16-19: 8, 20-24: 193, 25-34: 953 ... thousands; median age 42.3.
    assert rn["age_16_24"] == 201_000 and rn["age_25_34"] == 953_000
    assert rn["age_65_plus"] == 188_000 and rn["total_employed"] == 3_528_000
    assert rn["median_age"] == 42.3
    assert frame["median_age"].null_count() == 199


def test_bls_workbook_gives_the_same_frame_as_the_tidy_csv() -> None:
    from_workbook = cps.parse_cps_age(AGE_WORKBOOK)
    assert from_workbook.equals(cps.parse_cps_age(AGE_TIDY))
    legislators = from_workbook.filter(pl.col("occupation") == "Legislators").row(0, named=True)
    assert legislators["median_age"] is None  # the en dash in the workbook


def test_errors_name_the_file(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="cpsaat11b.xlsx: file not found"):
        cps.parse_cps_age(tmp_path / "cpsaat11b.xlsx")
    (tmp_path / "cpsaat11b.xlsx").write_bytes(b"not a zip")
    with pytest.raises(SourceError, match="cpsaat11b.xlsx: not an Excel workbook"):
        cps.parse_cps_age(tmp_path / "cpsaat11b.xlsx")
    path = tmp_path / "tidy.csv"
    header = DEMOGRAPHICS.read_text(encoding="utf-8").splitlines()[0].replace("pct_asian,", "")
    path.write_text(header + "\n", encoding="utf-8")
    with pytest.raises(SourceError, match=r"tidy.csv: missing column\(s\) 'pct_asian'"):
        cps.parse_cps_demographics(path)
    lines = DEMOGRAPHICS.read_text(encoding="utf-8").splitlines()[:3]
    lines[2] = lines[2].replace(",51.7,", ",n.a.,")
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(SourceError, match="'pct_women' are not numbers or a dash.*'n.a.'"):
        cps.parse_cps_demographics(path)
