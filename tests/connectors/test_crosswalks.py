"""CIP 2020 code list and CIP-SOC crosswalk parsers against the real NCES files."""

from pathlib import Path

import polars as pl
import pytest

from connectors import crosswalks
from connectors.errors import SourceError
from settings import SOURCES_DIR

CIP_SOC = SOURCES_DIR / "crosswalks" / "CIP2020_SOC2018_Crosswalk.csv"
CIP_TITLES = SOURCES_DIR / "crosswalks" / "CIPCode2020.csv"


def test_crosswalk_drops_both_kinds_of_no_match() -> None:
    assert CIP_SOC.read_bytes().startswith(b"\xef\xbb\xbf")  # the BOM the parser must survive
    frame = crosswalks.parse_cip_soc(CIP_SOC)
    # 6,097 rows: 194 CIPs -> 99-9999 "NO MATCH" and 180 SOCs <- 99.9999 "NO MATCH" go.
    assert frame.height == 6097 - 194 - 180
    assert not frame["soc_code"].eq("99-9999").any()
    assert not frame["cip_code"].eq("99.9999").any()
    assert (
        not frame["soc_title"].eq("NO MATCH").any() and not frame["cip_title"].eq("NO MATCH").any()
    )
    assert frame["cip_code"].str.contains(r"^\d{2}\.\d{4}$").all()
    assert frame["soc_code"].str.contains(r"^\d{2}-\d{4}$").all()


def test_crosswalk_known_programs() -> None:
    frame = crosswalks.parse_cip_soc(CIP_SOC)
    ma = frame.filter(pl.col("cip_code") == "51.0801")
    assert set(ma["soc_code"]) == {"31-9092", "25-1071"}
    assert ma["cip_title"].unique().to_list() == ["Medical/Clinical Assistant."]
    rn = frame.filter(pl.col("cip_code") == "51.3801")
    assert set(rn["soc_code"]) == {"29-1141", "25-1072"}
    assert frame.filter(pl.col("cip_code") == "01.0000").height == 5  # leading zero kept


def test_cip_titles_strip_excel_protection_and_count_digits() -> None:
    frame = crosswalks.parse_cip_titles(CIP_TITLES)
    assert frame.height == 2848
    assert dict(frame.group_by("digits").len().iter_rows()) == {2: 50, 4: 473, 6: 2325}
    assert not frame["cip_code"].str.contains('[="]').any()
    by_code = {r["cip_code"]: r for r in frame.iter_rows(named=True)}
    assert by_code["51.3801"]["cip_title"].startswith("Registered Nursing/Registered Nurse")
    assert by_code["51.3801"]["cip_family"] == "51"
    assert by_code["51.38"]["digits"] == 4
    assert by_code["51"]["cip_title"] == "HEALTH PROFESSIONS AND RELATED PROGRAMS."  # NCES wording
    assert by_code["01.0000"]["cip_title"] == "Agriculture, General."


def test_codes_that_lost_their_leading_zero_get_it_back(tmp_path: Path) -> None:
    path = tmp_path / "crosswalk.csv"
    path.write_text(
        "CIP2020Code,CIP2020Title,SOC2018Code,SOC2018Title\n"
        '1.0000,"Agriculture, General.",19-1011,Animal Scientists\n',
        encoding="utf-8",
    )
    assert crosswalks.parse_cip_soc(path)["cip_code"].to_list() == ["01.0000"]


def test_missing_file_missing_column_and_bad_codes_are_named(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="nope.csv: file not found"):
        crosswalks.parse_cip_soc(tmp_path / "nope.csv")
    path = tmp_path / "crosswalk.csv"
    path.write_text("CIP2020Code,CIP2020Title,SOC2018Title\n01.0000,x,y\n", encoding="utf-8")
    with pytest.raises(SourceError, match=r"crosswalk.csv: missing column\(s\) 'SOC2018Code'"):
        crosswalks.parse_cip_soc(path)
    path.write_text(
        "CIP2020Code,CIP2020Title,SOC2018Code,SOC2018Title\n01.0000,x,291141,y\n", encoding="utf-8"
    )
    with pytest.raises(SourceError, match="'SOC2018Code'.*'291141'"):
        crosswalks.parse_cip_soc(path)


def test_binary_garbage_is_refused_with_the_file_name(tmp_path: Path) -> None:
    path = tmp_path / "CIPCode2020.csv"
    path.write_bytes(b"\x00\x01\x02 not a csv \xff\xfe" * 50)
    with pytest.raises(SourceError, match="CIPCode2020.csv"):
        crosswalks.parse_cip_titles(path)
