"""BLS connector: EP workbook against the BLS CSV exports, OEWS CSV and flat files against each other."""

from __future__ import annotations

import math
import zipfile
from pathlib import Path

import openpyxl
import polars as pl
import pytest
from polars.testing import assert_frame_equal

from analytics.schemas import EpOccupationSchema, OewsAreaSchema, OewsSchema
from connectors.bls import (
    TOP_CODE_ANNUAL,
    TOP_CODE_HOURLY,
    parse_ep_workbook,
    parse_oews_areas,
    parse_oews_csv,
    parse_oews_flat,
)
from connectors.errors import SourceError

ROOT = Path(__file__).resolve().parents[2]
BLS = ROOT / "data" / "sources" / "bls"
WORKBOOK = BLS / "ep_occupation_2024-34.xlsx"
TABLE_1_2 = BLS / "ep_table_1_2_occupational_projections_2024-34.csv"
TABLE_1_10 = BLS / "ep_table_1_10_separations_openings_2024-34.csv"
OEWS_FILES = [
    BLS / "oews_may2025_ma_il_mi_national.csv",
    BLS / "oews_may2025_all_states_healthcare.csv",
    BLS / "oews_may2025_national_healthcare_lifesci_industries.csv",
]
FLAT = ROOT / "tests" / "fixtures" / "oews_flat"
KEY = ["area_code", "industry_code", "soc_code"]


@pytest.fixture(scope="module")
def ep() -> pl.DataFrame:
    return parse_ep_workbook(WORKBOOK)


@pytest.fixture(scope="module")
def oews() -> pl.DataFrame:
    return parse_oews_csv(OEWS_FILES)


def _row(frame: pl.DataFrame, **where: str) -> dict:
    rows = frame.filter(**where).to_dicts()
    assert len(rows) == 1, where
    return rows[0]


# --- Employment Projections ---------------------------------------------------------------------


def _expected_from_csv() -> dict[str, dict]:
    """The two BLS CSV exports converted cell by cell, independently of the connector."""

    def number(text: str, scale: float) -> float | None:
        return None if text == "—" else float(text) * scale

    def words(text: str) -> str | None:
        return None if text == "—" else text

    t12 = pl.read_csv(TABLE_1_2, infer_schema=False).to_dicts()
    t110 = {
        r["2024 National Employment Matrix code"]: r
        for r in pl.read_csv(TABLE_1_10, infer_schema=False).to_dicts()
    }
    expected = {}
    for a in t12:
        code = a["2024 National Employment Matrix code"]
        b = t110[code]
        wage = a["Median annual wage, dollars, 2024[1]"]
        expected[code] = {
            "ep_code": code,
            "title": a["2024 National Employment Matrix title"].strip(),
            "occupation_type": a["Occupation type"],
            "employment_2024": number(a["Employment, 2024"], 1000),
            "employment_2034": number(a["Employment, 2034"], 1000),
            "employment_change": number(a["Employment change, numeric, 2024–34"], 1000),
            "employment_change_pct": number(a["Employment change, percent, 2024–34"], 1),
            "self_employed_pct": number(a["Percent self employed, 2024"], 1),
            "exit_rate": number(b["Labor force exit rate, 2024–34 annual average"], 0.01),
            "transfer_rate": number(b["Occupational transfer rate, 2024–34 annual average"], 0.01),
            "separations_rate": number(
                b["Total occupational separations rate, 2024–34 annual average"], 0.01
            ),
            "annual_exits": number(b["Labor force exits, 2024–34 annual average"], 1000),
            "annual_transfers": number(b["Occupational transfers, 2024–34 annual average"], 1000),
            "annual_separations": number(
                b["Total occupational separations, 2024–34 annual average"], 1000
            ),
            "annual_openings": number(a["Occupational openings, 2024–34 annual average"], 1000),
            "median_annual_wage": (
                239200.0 if wage == ">=$239,200" else number(wage.replace(",", ""), 1)
            ),
            "wage_top_coded": wage.startswith(">="),
            "entry_education": words(a["Typical education needed for entry"]),
            "work_experience": words(a["Work experience in a related occupation"]),
            "job_training": words(
                a["Typical on-the-job training needed to attain competency in the occupation"]
            ),
        }
    return expected


def test_workbook_equals_the_csv_exports_row_for_row(ep: pl.DataFrame) -> None:
    expected = _expected_from_csv()
    assert ep.height == len(expected) == 1113
    assert ep.filter(pl.col("occupation_type") == "Line item").height == 832
    assert ep.columns == list(EpOccupationSchema.columns)
    for row in ep.iter_rows(named=True):
        want = expected[row["ep_code"]]
        for column, value in want.items():
            got = row[column]
            if isinstance(value, float):
                assert got is not None and math.isclose(got, value, rel_tol=1e-9, abs_tol=1e-9), (
                    row["ep_code"],
                    column,
                    got,
                    value,
                )
            else:
                assert got == value, (row["ep_code"], column, got, value)


def test_medical_assistants_as_printed_in_the_csv(ep: pl.DataFrame) -> None:
    # 1.2: Medical assistants,31-9092,Line item,811,912.2,0.5,0.5,101.2,12.5,—,112.3,44200,
    #      Postsecondary nondegree award,None,None
    # 1.10: ...,4.5,7.4,11.9,38.7,63.5,102.2,112.3
    row = _row(ep, ep_code="31-9092")
    assert row["title"] == "Medical assistants"
    assert row["employment_2024"] == 811_000
    assert row["employment_2034"] == 912_200
    assert row["employment_change"] == 101_200
    assert row["employment_change_pct"] == 12.5
    assert row["self_employed_pct"] is None
    assert row["annual_openings"] == 112_300
    assert row["median_annual_wage"] == 44_200 and row["wage_top_coded"] is False
    assert row["exit_rate"] == pytest.approx(0.045)
    assert row["transfer_rate"] == pytest.approx(0.074)
    assert row["separations_rate"] == pytest.approx(0.119)
    assert (row["annual_exits"], row["annual_transfers"], row["annual_separations"]) == (
        38_700,
        63_500,
        102_200,
    )
    assert row["entry_education"] == "Postsecondary nondegree award"
    assert row["work_experience"] == "None" and row["job_training"] == "None"


def test_nursing_assistants_as_printed_in_the_csv(ep: pl.DataFrame) -> None:
    # 1.2: Nursing assistants,31-1131,Line item,1441.5,1474,0.8,0.8,32.6,2.3,1.3,204.1,39530,...
    # 1.10: ...,6.6,7.2,13.8,96.3,104.5,200.8,204.1
    row = _row(ep, ep_code="31-1131")
    assert (row["employment_2024"], row["employment_2034"]) == (1_441_500, 1_474_000)
    assert row["employment_change"] == 32_600 and row["employment_change_pct"] == 2.3
    assert row["self_employed_pct"] == 1.3
    assert row["exit_rate"] == pytest.approx(0.066)
    assert row["transfer_rate"] == pytest.approx(0.072)
    assert row["annual_separations"] == 200_800 and row["annual_openings"] == 204_100
    assert row["median_annual_wage"] == 39_530


def test_top_coded_and_missing_wages(ep: pl.DataFrame) -> None:
    top = ep.filter(pl.col("wage_top_coded"))
    assert top.height == 19
    assert top["median_annual_wage"].unique().to_list() == [239_200.0]
    assert ep["median_annual_wage"].null_count() == 9
    summary = ep.filter(pl.col("occupation_type") == "Summary")
    assert summary["entry_education"].null_count() == summary.height == 281


def test_missing_workbook_names_the_file(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="nowhere.xlsx: file not found"):
        parse_ep_workbook(tmp_path / "nowhere.xlsx")


def test_file_that_is_not_a_workbook(tmp_path: Path) -> None:
    fake = tmp_path / "occupation.xlsx"
    fake.write_text("code,title\n31-9092,Medical assistants\n")
    with pytest.raises(SourceError, match=r"occupation.xlsx: not an .xlsx workbook"):
        parse_ep_workbook(fake)


def test_corrupt_zip_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "occupation.xlsx"
    bad.write_bytes(WORKBOOK.read_bytes()[:50_000])
    with pytest.raises(SourceError, match="occupation.xlsx"):
        parse_ep_workbook(bad)


def test_workbook_that_would_inflate_far_is_refused(tmp_path: Path) -> None:
    bomb = tmp_path / "occupation.xlsx"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * 20_000_000)
    with pytest.raises(SourceError, match=r"occupation.xlsx: workbook would inflate to 20,000,000"):
        parse_ep_workbook(bomb)


def _workbook(path: Path, sheets: dict[str, list[str]]) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, header in sheets.items():
        sheet = book.create_sheet(name)
        sheet.append([f"{name} Occupational projections"])
        sheet.append(header)
        sheet.append(["Medical assistants", "31-9092", "Line item"] + ["1"] * (len(header) - 3))
    book.save(path)
    return path


HEADER_1_2 = pl.read_csv(TABLE_1_2, n_rows=0).columns
HEADER_1_10 = pl.read_csv(TABLE_1_10, n_rows=0).columns


def test_missing_sheet_is_named(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "occupation.xlsx", {"Table 1.2": HEADER_1_2})
    with pytest.raises(SourceError, match=r"occupation.xlsx: sheet 'Table 1.10' not found"):
        parse_ep_workbook(path)


def test_missing_column_is_named(tmp_path: Path) -> None:
    header = [h for h in HEADER_1_10 if not h.startswith("Labor force exit rate")]
    path = _workbook(tmp_path / "occupation.xlsx", {"Table 1.2": HEADER_1_2, "Table 1.10": header})
    with pytest.raises(
        SourceError, match=r"sheet 'Table 1.10' has no column 'Labor force exit rate, 2024–34"
    ):
        parse_ep_workbook(path)


def test_header_matching_ignores_dash_style_and_footnote_marker(tmp_path: Path) -> None:
    header = [h.replace("–", "-").replace("[1]", "") for h in HEADER_1_2]
    path = _workbook(tmp_path / "occupation.xlsx", {"Table 1.2": header, "Table 1.10": HEADER_1_10})
    row = _row(parse_ep_workbook(path), ep_code="31-9092")
    assert row["employment_change"] == 1000 and row["exit_rate"] == pytest.approx(0.01)


def test_text_in_a_number_column_is_refused(tmp_path: Path) -> None:
    path = _workbook(
        tmp_path / "occupation.xlsx", {"Table 1.2": HEADER_1_2, "Table 1.10": HEADER_1_10}
    )
    book = openpyxl.load_workbook(path)
    book["Table 1.10"]["H3"] = "n/a"  # the exit rate of the only row
    book.save(path)
    with pytest.raises(SourceError, match="exit_rate for 31-9092 is 'n/a', not a number"):
        parse_ep_workbook(path)


# --- OEWS reshaped CSV --------------------------------------------------------------------------


def test_medical_assistants_employment_in_the_three_metros(oews: pl.DataFrame) -> None:
    # oews_may2025_ma_il_mi_national.csv, 31-9092, tot_emp
    for area, employment in (("0014460", 10_750), ("0016980", 15_640), ("0019820", 12_400)):
        row = _row(oews, area_code=area, industry_code="000000", soc_code="31-9092")
        assert row["employment"] == employment
        assert row["employment_flag"] is None and row["wage_flag"] is None
    boston = _row(oews, area_code="0014460", industry_code="000000", soc_code="31-9092")
    assert boston["annual_median_wage"] == 50_740 and boston["hourly_median_wage"] == 24.39
    assert boston["location_quotient"] == 0.76 and boston["occ_level"] == 3


def test_overlapping_files_are_deduplicated(oews: pl.DataFrame) -> None:
    # 17,574 + 4,202 + 5,951 rows, of which 261 state rows (MA, IL, MI) appear in two files
    assert oews.height == 17_574 + 4_202 + 5_951 - 261
    assert oews.select(KEY).is_duplicated().sum() == 0
    assert oews.columns == list(OewsSchema.columns)


def test_top_coded_wages_keep_the_published_bound(oews: pl.DataFrame) -> None:
    # Boston Nurse Anesthetists: every wage "-" with footnote 5
    row = _row(oews, area_code="0014460", industry_code="000000", soc_code="29-1151")
    assert row["wage_flag"] == "top-coded"
    assert row["annual_median_wage"] == TOP_CODE_ANNUAL == 239_200
    assert row["hourly_median_wage"] == TOP_CODE_HOURLY == 115.0
    assert row["annual_p90_wage"] == 239_200 and row["employment"] == 530
    wages = [c for c in OewsSchema.columns if c.endswith("_wage")]
    assert oews.select((pl.col(wages) == 0).any()).row(0) == (False,) * len(wages)


def test_not_released_and_hourly_or_annual_only(oews: pl.DataFrame) -> None:
    radiologists = _row(oews, area_code="0014460", industry_code="000000", soc_code="29-1224")
    assert radiologists["employment"] is None
    assert radiologists["employment_flag"] == "not released"
    assert radiologists["annual_median_wage"] == 409_740  # published above the top code
    assert radiologists["wage_flag"] is None
    anesthesiologists = _row(oews, area_code="0014460", industry_code="000000", soc_code="29-1211")
    assert anesthesiologists["employment"] == 860
    assert anesthesiologists["wage_flag"] == "not released"
    assert anesthesiologists["annual_median_wage"] is None
    trainers = _row(oews, area_code="0014460", industry_code="000000", soc_code="29-9091")
    assert trainers["wage_flag"] == "hourly not published"
    assert trainers["hourly_median_wage"] is None and trainers["annual_median_wage"] == 71_880
    musicians = _row(oews, area_code="0014460", industry_code="000000", soc_code="27-2042")
    assert musicians["wage_flag"] == "annual not published"
    assert musicians["annual_median_wage"] is None and musicians["hourly_median_wage"] == 38.18
    assert musicians["footnotes"] == "a_mean=4;a_pct10=4;a_pct25=4;a_median=4;a_pct75=4;a_pct90=4"


def test_footnote_meanings_are_the_ones_bls_publishes() -> None:
    notes = dict(
        pl.read_csv(BLS / "oews_may2025_footnotes_datatypes.csv", infer_schema=False)
        .filter(pl.col("kind") == "footnote")
        .select("code", "text")
        .rows()
    )
    assert notes["8"] == "Estimate not released."
    assert "$115.00 per hour or $239,200 per year" in notes["5"]
    assert "either as hourly wages or annual salaries" in notes["4"]


def test_spreadsheet_markers_without_footnotes(tmp_path: Path) -> None:
    source = pl.read_csv(OEWS_FILES[0], infer_schema=False, n_rows=1)
    rows = pl.concat([source] * 3).with_columns(
        pl.Series("occ_code", ["29-1151", "29-1211", "29-1224"]),
        pl.Series("a_median", ["#", "*", "409740"]),
        pl.Series("h_median", ["#", "*", "196.99"]),
        pl.Series("tot_emp", ["530", "860", "**"]),
        pl.lit(None, pl.String).alias("footnote_codes"),
    )
    path = tmp_path / "oews.csv"
    rows.write_csv(path)
    frame = parse_oews_csv([path])
    assert frame["wage_flag"].to_list() == ["top-coded", "not released", None]
    assert frame["annual_median_wage"].to_list() == [239_200, None, 409_740]
    assert frame["hourly_median_wage"].to_list() == [115.0, None, 196.99]
    assert frame["employment_flag"].to_list() == [None, None, "not released"]


def test_unexpected_text_in_a_value_column(tmp_path: Path) -> None:
    source = pl.read_csv(OEWS_FILES[0], infer_schema=False, n_rows=2)
    path = tmp_path / "oews.csv"
    source.with_columns(pl.Series("a_median", ["57030", "about 110k"])).write_csv(path)
    with pytest.raises(SourceError, match=r"oews.csv: a_median is 'about 110k' for area 0011200"):
        parse_oews_csv([path])


def test_areas_file_is_not_an_estimates_file() -> None:
    with pytest.raises(
        SourceError, match=r"oews_may2025_areas.csv: missing column\(s\) industry_code"
    ):
        parse_oews_csv([BLS / "oews_may2025_areas.csv"])


def test_areas() -> None:
    areas = parse_oews_areas(BLS / "oews_may2025_areas.csv")
    assert areas.height == 583 and areas.columns == list(OewsAreaSchema.columns)
    assert _row(areas, area_code="0014460") == {
        "area_code": "0014460",
        "area_type": "M",
        "state_fips": "25",
        "area_title": "Boston-Cambridge-Newton, MA-NH",
    }
    assert _row(areas, area_code="2600000")["area_type"] == "S"


# --- OEWS flat files ----------------------------------------------------------------------------


def test_flat_files_equal_the_reshaped_csv_on_the_same_keys(oews: pl.DataFrame) -> None:
    flat = parse_oews_flat(FLAT)
    assert flat.height == 54
    expected = oews.join(flat.select(KEY), on=KEY, how="semi")
    assert expected.height == flat.height
    assert_frame_equal(flat.sort(KEY), expected.sort(KEY))
    detroit = _row(flat, area_code="0019820", industry_code="000000", soc_code="29-1242")
    assert detroit["wage_flag"] == "top-coded" and detroit["annual_median_wage"] == 239_200
    hospitals = _row(flat, area_code="0000000", industry_code="622000", soc_code="29-1141")
    assert hospitals["employment"] is not None and hospitals["location_quotient"] is None


def test_flat_files_missing_a_lookup(tmp_path: Path) -> None:
    for name in ("oe.data.0.Current", "oe.area", "oe.industry"):
        (tmp_path / name).write_bytes((FLAT / name).read_bytes())
    with pytest.raises(SourceError, match=r"oe.occupation: file not found"):
        parse_oews_flat(tmp_path)


def test_flat_file_with_a_foreign_series_id(tmp_path: Path) -> None:
    for name in ("oe.area", "oe.industry", "oe.occupation"):
        (tmp_path / name).write_bytes((FLAT / name).read_bytes())
    lines = (FLAT / "oe.data.0.Current").read_text().splitlines()
    lines.append("CEU0000000001                 \t2025\tM01\t      159000\t")
    (tmp_path / "oe.data.0.Current").write_text("\n".join(lines) + "\n")
    with pytest.raises(SourceError, match=r"series id 'CEU0000000001' is not an OEWS series"):
        parse_oews_flat(tmp_path)


def test_flat_file_with_an_unlisted_area(tmp_path: Path) -> None:
    for name in ("oe.data.0.Current", "oe.industry", "oe.occupation"):
        (tmp_path / name).write_bytes((FLAT / name).read_bytes())
    area = (FLAT / "oe.area").read_text().splitlines()
    (tmp_path / "oe.area").write_text("\n".join(a for a in area if "0016980" not in a) + "\n")
    with pytest.raises(
        SourceError, match=r"oe.area: does not list 1 area_code\(s\) .* \(e.g. 0016980\)"
    ):
        parse_oews_flat(tmp_path)
