"""IPEDS completions, directory and award-level parsers against the trimmed NCES files."""

from pathlib import Path

import polars as pl
import pytest

from connectors import ipeds
from connectors.errors import SourceError
from settings import SOURCES_DIR

IPEDS = SOURCES_DIR / "ipeds"
COMPLETIONS = IPEDS / "ipeds_completions_c2020-c2024_a_ma_il_mi.csv"
DIRECTORY = IPEDS / "ipeds_hd_directory_ma_il_mi.csv"
LABELS = IPEDS / "ipeds_c2024_a_code_labels_awlevel_majornum.csv"


@pytest.fixture(scope="module")
def completions() -> pl.DataFrame:
    return ipeds.parse_ipeds_completions(COMPLETIONS)


def test_grand_totals_are_dropped(completions: pl.DataFrame) -> None:
    # 148,578 rows, of which 8,824 are the CIP "99" institution grand totals.
    assert completions.height == 148578 - 8824
    assert not completions["cip_code"].eq("99").any()
    assert completions["cip_code"].str.contains(r"^\d{2}\.\d{4}$").all()
    per_year = dict(completions.group_by("survey_year").len().iter_rows())
    assert set(per_year) == {2020, 2021, 2022, 2023, 2024}


def test_registered_nursing_totals_match_the_published_quick_check(
    completions: pl.DataFrame,
) -> None:
    rn = (
        completions.filter(pl.col("cip_code") == "51.3801")
        .group_by("survey_year")
        .agg(pl.col("completers").sum())
    )
    assert dict(rn.iter_rows()) == {2020: 28565, 2021: 29257, 2022: 28429, 2023: 25783, 2024: 27638}


def test_one_program_row(completions: pl.DataFrame) -> None:
    row = completions.filter(
        (pl.col("survey_year") == 2020)
        & (pl.col("unitid") == "142832")
        & (pl.col("cip_code") == "09.0199")
    ).row(0, named=True)
    assert (row["major_number"], row["award_level"], row["completers"]) == (1, 7, 0)


def test_single_year_publisher_file_takes_its_year_from_the_name(tmp_path: Path) -> None:
    path = tmp_path / "c2024_a.csv"
    path.write_text(
        "UNITID,CIPCODE,MAJORNUM,AWLEVEL,CTOTALT,CTOTALM,CTOTALW\n"
        "166027,51.3801,1,5,120,10,110\n"
        "166027,1.01,1,5,3,1,2\n"
        "166027,99,1,5,123,11,112\n",
        encoding="utf-8",
    )
    frame = ipeds.parse_ipeds_completions(path)
    assert frame["survey_year"].to_list() == [2024, 2024]
    assert frame["cip_code"].to_list() == ["51.3801", "01.0100"]


def test_completions_errors_name_the_file(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="c2023_a.csv: file not found"):
        ipeds.parse_ipeds_completions(tmp_path / "c2023_a.csv")
    path = tmp_path / "completions.csv"
    path.write_text("UNITID,CIPCODE,MAJORNUM,AWLEVEL,CTOTALT\n1,51.3801,1,5,3\n", encoding="utf-8")
    with pytest.raises(SourceError, match=r"missing column\(s\) 'CTOTALM', 'CTOTALW'"):
        ipeds.parse_ipeds_completions(path)
    path.write_text(
        "survey_year,UNITID,CIPCODE,MAJORNUM,AWLEVEL,CTOTALT,CTOTALM,CTOTALW\n"
        "2024,1,51.3801,1,5,many,1,2\n",
        encoding="utf-8",
    )
    with pytest.raises(SourceError, match="'CTOTALT' are not numbers.*'many'"):
        ipeds.parse_ipeds_completions(path)


def test_directory_codes_and_labels() -> None:
    frame = ipeds.parse_ipeds_institutions(DIRECTORY)
    assert frame.height == 629
    assert dict(frame.group_by("state").len().iter_rows()) == {
        "IL": 267, "MI": 182, "MA": 156, "IN": 14, "WI": 6, "NH": 4,
    }  # fmt: skip
    harvard = frame.filter(pl.col("unitid") == "166027").row(0, named=True)
    assert harvard["county_fips"] == "25017" and harvard["cbsa_code"] == "14460"
    assert harvard["sector_label"] == "Private not-for-profit, 4-year or above"
    assert harvard["latitude"] == pytest.approx(42.374471)
    # CBSA -2 (not applicable: a county in no CBSA) becomes null.
    assert frame["cbsa_code"].null_count() == 15
    shawnee = frame.filter(pl.col("unitid") == "148821").row(0, named=True)
    assert shawnee["cbsa_code"] is None and shawnee["county_fips"] == "17153"
    assert frame["county_fips"].str.contains(r"^\d{5}$").all()
    assert dict(frame.group_by("hd_year").len().iter_rows())[2024] == 566


def test_directory_labels_agree_with_the_file() -> None:
    parsed = ipeds.parse_ipeds_institutions(DIRECTORY)
    shipped = pl.read_csv(DIRECTORY, infer_schema=False).select(
        pl.col("UNITID").alias("unitid"), "sector_label"
    )
    joined = parsed.join(shipped, on="unitid", suffix="_file")
    assert joined.height == 629 and (joined["sector_label"] == joined["sector_label_file"]).all()


def test_raw_nces_directory_in_windows_1252_with_bom(tmp_path: Path) -> None:
    path = tmp_path / "hd2024.csv"
    text = (
        "UNITID,INSTNM,CITY,STABBR,COUNTYCD,COUNTYNM,CBSA,LATITUDE,LONGITUD,SECTOR\r\n"
        "999001,Escuela Peña,Springfield,IL,-2,-2,-2,39.8,-89.6,9\r\n"
        "999002,Alabama Example College,Autauga,AL,1001,Autauga County,33860,32.5,-86.6,4\r\n"
    )
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("cp1252"))
    frame = ipeds.parse_ipeds_institutions(path)
    first, second = frame.iter_rows(named=True)
    assert first["institution"] == "Escuela Peña" and first["hd_year"] == 2024
    assert (
        first["county_fips"] is None and first["county_name"] is None and first["cbsa_code"] is None
    )
    assert second["county_fips"] == "01001" and second["sector_label"] == "Public, 2-year"


def test_award_levels() -> None:
    frame = ipeds.parse_ipeds_award_levels(LABELS)
    labels = dict(frame.iter_rows())
    assert len(labels) == 12
    assert labels[3] == "Associate's degree" and labels[5] == "Bachelor's degree"
    assert labels[17] == "Doctor's degree - research/scholarship"  # trailing space trimmed
    assert labels[20] == "Certificates of less than 12 weeks"
    assert ipeds.parse_ipeds_award_levels(LABELS)["award_level"].is_sorted()
