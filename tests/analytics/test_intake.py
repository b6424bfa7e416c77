"""Validation rules of DESIGN.md "Feed formats" on real files: what is kept, what is set aside, and why."""

import datetime as dt
import json
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analytics import intake
from connectors import feeds

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "feeds"


@pytest.fixture(scope="module")
def counties() -> pl.DataFrame:
    """Every county code of the Census county list, with names and state names (real files)."""
    states = (
        pl.read_csv(ROOT / "data/sources/geo/cbsa_county_delineation_2023.csv", infer_schema=False)
        .select(
            pl.col("FIPS State Code").alias("state_fips"), pl.col("State Name").alias("state_name")
        )
        .unique()
    )
    return (
        pl.read_csv(ROOT / "data/sources/geo/county_fips_list_from_geojson.csv", infer_schema=False)
        .select(
            pl.col("fips").alias("county_fips"),
            "state_fips",
            (pl.col("name") + " " + pl.col("lsad")).alias("county_name"),
        )
        .join(states, on="state_fips", how="left")
    )


def validate(name: str, kind: str, counties: pl.DataFrame, **kwargs: object) -> intake.IntakeResult:
    raw = feeds.read_feed(FIXTURES / name, kind)
    mapping = feeds.map_columns(raw.columns, kind)
    return intake.validate_feed(raw, kind, mapping, counties, **kwargs)  # type: ignore[arg-type]


def reasons_by_row(result: intake.IntakeResult) -> dict[int, str]:
    return dict(zip(result.rejected["row_number"], result.rejected["reason"], strict=True))


def test_vacancies_good_rows_are_typed(counties: pl.DataFrame) -> None:
    result = validate("vacancies_rules_broken.csv", "vacancies", counties)
    kept = {r["row_number"]: r for r in result.accepted.iter_rows(named=True)}
    assert sorted(kept) == [1, 2, 3, 21]
    assert kept[1]["posted_date"] == dt.date(2025, 6, 13) and kept[1]["county_fips"] == "26025"
    assert kept[1]["openings"] == 1 and kept[1]["status"] == "open"
    # US month/day/year, and a county given by name and state (Calhoun, MI).
    assert kept[2]["posted_date"] == dt.date(2025, 6, 13) and kept[2]["county_fips"] == "26025"
    # An O*NET code keeps its 6-digit SOC; "Filled" is a status in any case.
    assert kept[3]["soc_code"] == "19-3033" and kept[3]["status"] == "filled"
    assert kept[3]["openings"] == 2 and kept[3]["closed_date"] == dt.date(2025, 12, 31)
    assert (kept[21]["wage_min"], kept[21]["wage_max"], kept[21]["wage_unit"]) == (
        52000.0,
        61500.0,
        "year",
    )


def test_vacancies_each_rule_sets_its_row_aside_with_the_reason(counties: pl.DataFrame) -> None:
    result = validate("vacancies_rules_broken.csv", "vacancies", counties)
    assert reasons_by_row(result) == {
        4: "posting_id is missing",
        5: "title is missing",
        6: "posted_date is missing",
        7: "posted_date is not a real date",
        8: "posted_date is not a date (write YYYY-MM-DD or M/D/YYYY)",
        9: "openings is negative",
        10: "openings is not a number",
        11: "closed_date is before posted_date",
        12: "county_fips is not a known county code",
        13: "county and state do not name a known county",
        14: "status must be open, filled or cancelled",
        15: "soc_code is not a SOC code (like 29-1141)",
        16: "title looks like a spreadsheet formula",
        17: "posting_id repeats an earlier row of this file",
        18: "wage_min is above wage_max",
        19: "wage_unit must be hour or year",
        20: "openings is not a whole number",
    }
    # The blank row 22 is neither kept nor set aside.
    assert result.accepted.height + result.rejected.height == 21


def test_rejected_rows_keep_the_original_values_under_the_original_headers(
    counties: pl.DataFrame,
) -> None:
    result = validate("vacancies_rules_broken.csv", "vacancies", counties)
    original = json.loads(result.rejected.filter(pl.col("row_number") == 16)["original"][0])
    assert original["Job Title"] == '=HYPERLINK("http://example.com","Nurse")'
    assert original["Req ID"] == "841599900" and original["Pay Min"] is None
    assert (
        list(original)
        == feeds.read_feed(FIXTURES / "vacancies_rules_broken.csv", "vacancies").columns
    )


def test_reasons_are_counted_per_rule(counties: pl.DataFrame) -> None:
    reasons = validate("vacancies_rules_broken.csv", "vacancies", counties).reasons
    assert sum(reasons.values()) == 17 and reasons["posting_id is missing"] == 1


def test_semicolon_file_wages_with_decimal_commas(counties: pl.DataFrame) -> None:
    result = validate("vacancies_cp1252_semicolon.csv", "vacancies", counties)
    assert result.rejected.height == 0
    row = result.accepted.row(0, named=True)
    assert (row["wage_min"], row["wage_max"], row["wage_unit"]) == (28.5, 34.75, "hour")
    assert row["posted_date"] == dt.date(2025, 8, 5)


@pytest.mark.parametrize(
    "name",
    [
        "vacancies_utf16_tab.txt",
        "vacancies_utf8_bom.csv",
        "vacancies_title_rows.xlsx",
        "vacancies_array.json",
        "vacancies_object.json",
    ],
)
def test_every_readable_format_validates_cleanly(name: str, counties: pl.DataFrame) -> None:
    result = validate(name, "vacancies", counties)
    assert result.rejected.height == 0
    assert result.accepted.height == (8 if name.endswith(".xlsx") else 6)
    assert result.accepted["posted_date"].null_count() == 0


def test_xlsx_dates_and_numbers_read_as_text_come_out_typed(counties: pl.DataFrame) -> None:
    row = validate("vacancies_title_rows.xlsx", "vacancies", counties).accepted.row(1, named=True)
    assert row["posted_date"] == dt.date(2025, 8, 8) and row["closed_date"] == dt.date(2025, 9, 30)
    assert row["openings"] == 2 and row["wage_min"] == 32.25 and row["wage_unit"] == "hour"


def test_programs(counties: pl.DataFrame) -> None:
    cip = pl.read_csv(ROOT / "data/sources/crosswalks/CIPCode2020.csv", infer_schema=False)
    codes = cip.select(pl.col("CIPCode").str.replace_all(r'[="]', "")).to_series()
    result = validate("programs_rules_broken.csv", "programs", counties, cip_codes=codes)
    assert result.accepted.height == 10
    kept = {r["row_number"]: r for r in result.accepted.iter_rows(named=True)}
    assert kept[1]["placement_rate"] == pytest.approx(0.70) and kept[1]["cost"] == 1800.0
    assert kept[1]["award_level"] == "associate" and kept[5]["award_level"] == "certificate"
    assert kept[2]["county_fips"] == "17031"  # "Cook", "IL"
    assert kept[3]["placement_rate"] == pytest.approx(0.82)
    assert kept[2]["annual_completers"] == 327  # IPEDS 2024: Malcolm X, 51.3902
    assert reasons_by_row(result) == {
        11: "award_level must be certificate, associate, bachelor, master, doctoral, apprenticeship",
        12: "cip_code is not a CIP 2020 code",
        13: "cip_code is not a CIP code (like 51.0801)",
        14: "annual_completers is negative",
        15: "placement_rate must be between 0 and 1 (or a percent like 85%)",
        16: "county_fips is missing (give county_fips, or county and state)",
        17: "county and state do not name a known county",
        18: "provider, program and county repeat an earlier row of this file",
    }


def test_placements() -> None:
    raw = feeds.read_feed(FIXTURES / "placements_rules_broken.csv", "placements")
    result = intake.validate_placements(raw, feeds.map_columns(raw.columns, "placements"))
    kept = {r["row_number"]: r for r in result.accepted.iter_rows(named=True)}
    assert sorted(kept) == [1, 2, 3, 11]
    assert kept[1]["hired_on"] == dt.date(2025, 1, 13) and kept[1]["hourly_wage"] == 21.5
    assert kept[2]["soc_code"] == "31-9092" and kept[2]["separated_on"] == dt.date(2025, 6, 30)
    assert kept[3]["hired_on"] is None and kept[3]["employer"] is None
    assert reasons_by_row(result) == {
        4: "participant_id looks like a Social Security number or e-mail; send a pseudonymous id",
        5: "separated_on is before hired_on",
        6: "separated_on is given without hired_on",
        7: "hired_on is not a real date",
        8: "hourly_wage is negative",
        9: "cohort is missing",
        10: "participant_id repeats an earlier row for the same program and cohort",
    }


def test_a_broken_first_row_does_not_push_out_its_good_repeat(counties: pl.DataFrame) -> None:
    raw = pl.DataFrame(
        {
            "Req ID": ["R1", "R1", "R1"],
            "Job Title": ["Nurse", "Nurse", "Nurse"],
            "Date Posted": ["2025-02-30", "2025-03-01", "2025-03-02"],
        }
    )
    result = intake.validate_vacancies(raw, feeds.map_columns(raw.columns, "vacancies"), counties)
    assert result.accepted["row_number"].to_list() == [2]
    assert reasons_by_row(result) == {
        1: "posted_date is not a real date",
        3: "posting_id repeats an earlier row of this file",
    }


@settings(max_examples=25, deadline=None)
@given(
    st.lists(st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2060, 12, 31)), min_size=1)
)
def test_iso_and_us_dates_read_as_the_same_day(days: list[dt.date]) -> None:
    def styles(day: dt.date) -> list[str]:
        return [
            day.isoformat(),
            f"{day.month}/{day.day}/{day.year}",
            f"{day:%m/%d/%Y}",
            f"{day} 00:00:00",
        ]

    texts = [text for day in days for text in styles(day)]
    raw = pl.DataFrame(
        {"id": [str(i) for i in range(len(texts))], "title": "Nurse", "posted": texts}
    )
    mapping = {"id": "posting_id", "title": "title", "posted": "posted_date"}
    empty = pl.DataFrame(schema={"county_fips": pl.String, "county_name": pl.String, "state_fips": pl.String, "state_name": pl.String})  # fmt: skip
    result = intake.validate_vacancies(raw, mapping, empty)
    assert result.accepted["posted_date"].to_list() == [day for day in days for _ in range(4)]


@pytest.mark.parametrize(
    ("text", "value"),
    [("1,234.50", 1234.5), ("$ 18.75", 18.75), ("18,75", 18.75), ("1.234,5", 1234.5), ("USD 20", 20.0),
     ("1e3", 1000.0), ("nan", None), ("inf", None), ("1,2,3", None), ("12 345", 12345.0)],
)  # fmt: skip
def test_amounts(text: str, value: float | None) -> None:
    frame = pl.DataFrame({"wage_min": [text]}).select(intake._number("wage_min"))
    assert frame.item() == value


def test_apply_title_codes_keeps_given_codes_and_flags_what_cannot_be_coded(
    counties: pl.DataFrame,
) -> None:
    accepted = validate("vacancies_rules_broken.csv", "vacancies", counties).accepted
    codes = pl.DataFrame(
        {
            "title": ["Chief Psychiatrist (Education Debt Repayment and Sign on Bonus)"],
            "soc_code": ["29-1223"],
            "soc_title": ["Psychiatrists"],
            "onet_code": ["29-1223.00"],
            "confidence": [0.93],
            "needs_review": [False],
            "method": ["fuzzy"],
        }
    )
    coded = {
        r["row_number"]: r for r in intake.apply_title_codes(accepted, codes).iter_rows(named=True)
    }
    assert (coded[1]["soc_code"], coded[1]["soc_confidence"], coded[1]["soc_method"]) == (
        "29-1223",
        0.93,
        "fuzzy",
    )
    assert (coded[3]["soc_code"], coded[3]["soc_confidence"], coded[3]["soc_method"]) == (
        "19-3033",
        1.0,
        "given",
    )
    assert coded[2]["soc_code"] is None and coded[2]["soc_needs_review"] is True
    assert coded[1]["soc_needs_review"] is False and coded[3]["soc_needs_review"] is False


def test_program_soc_codes_come_from_the_crosswalk() -> None:
    crosswalk = pl.read_csv(
        ROOT / "data/sources/crosswalks/CIP2020_SOC2018_Crosswalk.csv", infer_schema=False
    )
    cip_soc = crosswalk.select(
        pl.col(crosswalk.columns[0]).str.replace_all(r'[="]', "").alias("cip_code"),
        pl.col(crosswalk.columns[2]).str.replace_all(r'[="]', "").alias("soc_code"),
    )
    programs = pl.DataFrame({"cip_code": ["51.0801", "51.3801"]})
    linked = intake.build_program_soc_codes(programs, cip_soc)
    # Medical/Clinical Assistant trains assistants, and (as the crosswalk has it) their teachers.
    assert linked["soc_codes"].to_list()[0] == "25-1071,31-9092"
    assert "29-1141" in linked["soc_codes"][1].split(",")  # Registered Nursing


def test_fields_with_one_value_on_every_row_are_judged_like_any_other(
    counties: pl.DataFrame,
) -> None:
    # Every row shares its county (none, then a bad one), status, unit and date: each is judged
    # once and its value and reasons repeated, never turned into another county or dropped.
    mapping = {
        "id": "posting_id",
        "t": "title",
        "d": "posted_date",
        "f": "county_fips",
        "s": "status",
        "u": "wage_unit",
    }
    base = {"id": ["1", "2", "3"], "t": ["Nurse"] * 3, "d": ["3/1/2025"] * 3}
    blank = pl.DataFrame({**base, "f": [None] * 3, "s": ["Open"] * 3, "u": [" "] * 3})
    result = intake.validate_vacancies(blank, mapping, counties)
    assert result.rejected.height == 0
    assert result.accepted["county_fips"].to_list() == [None, None, None]
    assert result.accepted["status"].to_list() == ["open"] * 3
    assert result.accepted["wage_unit"].to_list() == [None] * 3
    assert result.accepted["posted_date"].to_list() == [dt.date(2025, 3, 1)] * 3
    unknown = blank.with_columns(pl.lit("99999").alias("f"), pl.lit("weekly").alias("u"))
    result = intake.validate_vacancies(unknown, mapping, counties)
    assert result.accepted.height == 0
    assert set(reasons_by_row(result).values()) == {
        "county_fips is not a known county code; wage_unit must be hour or year"
    }
    # A feed with no county columns at all stores no county, whatever the state column says.
    no_county = pl.DataFrame({**base, "st": ["DC"] * 3})
    result = intake.validate_vacancies(
        no_county, {"id": "posting_id", "t": "title", "d": "posted_date", "st": "state"}, counties
    )
    assert result.accepted["county_fips"].to_list() == [None, None, None]


def test_one_distinct_value_and_many_give_the_same_rows(counties: pl.DataFrame) -> None:
    mapping = {"id": "posting_id", "t": "title", "d": "posted_date", "f": "county_fips"}
    rows = pl.DataFrame(
        {"id": ["1", "2"], "t": ["Nurse", "Aide"], "d": ["2025-03-01"] * 2, "f": ["25025"] * 2}
    )
    mixed = pl.concat([rows, rows.head(1).with_columns(id=pl.lit("3"), f=pl.lit("17031"))])
    same = intake.validate_vacancies(rows, mapping, counties).accepted
    varied = intake.validate_vacancies(mixed, mapping, counties).accepted
    assert same.equals(varied.head(2))
