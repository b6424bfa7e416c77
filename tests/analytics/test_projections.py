"""Projections: openings against the published BLS table, SOC mapping, regional base and demand."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from analytics.projections import (
    NATIONAL_GROWTH,
    STATE_GROWTH,
    WAGE_SINGLE_AREA,
    WAGE_WEIGHTED,
    compute_demand,
    compute_ep_soc_map,
    compute_openings,
    compute_region_base,
)
from analytics.schemas import DemandSchema, EpOccupationSchema, OewsSchema, RegionAreaSchema
from connectors.bls import parse_ep_workbook, parse_oews_csv

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ROOT / "data" / "sources"


@pytest.fixture(scope="module")
def ep() -> pl.DataFrame:
    return parse_ep_workbook(SOURCES / "bls" / "ep_occupation_2024-34.xlsx")


@pytest.fixture(scope="module")
def oews() -> pl.DataFrame:
    return parse_oews_csv([SOURCES / "bls" / "oews_may2025_ma_il_mi_national.csv"])


def _within_bls_rounding(computed: pl.Expr, published: pl.Expr, average: pl.Expr) -> pl.Expr:
    """BLS rounds to the hundred: 2% of the published figure, or 100 + 0.1% of average employment."""
    tolerance = pl.max_horizontal(0.02 * published, 100 + 0.001 * average)
    return (computed - published).abs() <= tolerance


# --- openings -----------------------------------------------------------------------------------


def test_computed_openings_match_every_published_line_item(ep: pl.DataFrame) -> None:
    lines = compute_openings(ep).filter(pl.col("occupation_type") == "Line item")
    assert lines.height == 832
    average = (pl.col("employment_2024") + pl.col("employment_2034")) / 2
    ok = lines.select(
        _within_bls_rounding(pl.col("computed_openings"), pl.col("annual_openings"), average)
    ).to_series()
    off = lines.filter(~ok).select("ep_code", "computed_openings", "annual_openings")
    assert off.height == 0, off


def test_computed_openings_for_medical_assistants(ep: pl.DataFrame) -> None:
    row = compute_openings(ep).filter(pl.col("ep_code") == "31-9092").row(0, named=True)
    # 101,200 / 10 + (0.045 + 0.074) x (811,000 + 912,200) / 2
    assert row["computed_openings"] == pytest.approx(10_120 + 0.119 * 861_600)
    assert row["annual_openings"] == 112_300


# --- EP code -> SOC 2018 ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def soc_map(ep: pl.DataFrame) -> pl.DataFrame:
    crosswalk = pl.read_csv(
        SOURCES / "crosswalks" / "CIP2020_SOC2018_Crosswalk.csv", infer_schema=False
    )
    return compute_ep_soc_map(ep, crosswalk["SOC2018Code"])


def _targets(soc_map: pl.DataFrame, ep_code: str) -> list[str]:
    return soc_map.filter(pl.col("ep_code") == ep_code)["soc_code"].to_list()


def test_detailed_codes_map_to_themselves(soc_map: pl.DataFrame) -> None:
    assert _targets(soc_map, "31-9092") == ["31-9092"]
    assert _targets(soc_map, "29-1141") == ["29-1141"]


def test_ep_aggregates_map_to_their_broad_group(soc_map: pl.DataFrame) -> None:
    assert _targets(soc_map, "31-1120") == ["31-1121", "31-1122"]
    assert _targets(soc_map, "29-2010") == ["29-2011", "29-2012"]
    # 53-1041 (aircraft cargo handling supervisors) is an EP line item of its own
    assert _targets(soc_map, "53-1047") == ["53-1042", "53-1043", "53-1044", "53-1049"]
    assert _targets(soc_map, "21-1018") == ["21-1011", "21-1014"]


def test_every_line_item_is_mapped_and_no_soc_code_twice(
    ep: pl.DataFrame, soc_map: pl.DataFrame
) -> None:
    lines = ep.filter(pl.col("occupation_type") == "Line item")["ep_code"]
    assert sorted(soc_map["ep_code"].unique()) == sorted(lines)
    assert soc_map["soc_code"].is_duplicated().sum() == 0
    assert "00-0000" not in soc_map["ep_code"]  # summary rows are left out


def test_codes_with_no_match_map_to_themselves(ep: pl.DataFrame) -> None:
    frame = compute_ep_soc_map(ep, pl.Series(["31-9092", "29-2011"]))
    assert _targets(frame, "31-9092") == ["31-9092"]
    assert _targets(frame, "29-2010") == ["29-2011"]
    assert _targets(frame, "31-1120") == ["31-1120"]  # neither 31-1121 nor 31-1122 given
    assert frame.filter(pl.col("ep_code") == "00-0000").height == 0  # summary rows are left out


# --- regional base ------------------------------------------------------------------------------


def _areas(region_id: str, codes: list[str], coverage: list[str] | None = None) -> pl.DataFrame:
    n = len(codes)
    return RegionAreaSchema.validate(
        pl.DataFrame(
            {
                "region_id": [region_id] * n,
                "area_code": codes,
                "area_title": codes,
                "counties_in_region": [1] * n,
                "counties_in_area": [1] * n,
                "coverage": coverage or ["whole"] * n,
            },
            schema=RegionAreaSchema.columns,
        )
    )


def _oews_rows(rows: list[tuple]) -> pl.DataFrame:
    """(area, soc, level, employment, median, employment_flag, wage_flag) -> an OEWS frame."""
    columns = dict.fromkeys(OewsSchema.columns)
    frame = pl.DataFrame(
        {
            "area_code": [r[0] for r in rows],
            "industry_code": ["000000"] * len(rows),
            "soc_code": [r[1] for r in rows],
            "occ_title": [f"title {r[1]}" for r in rows],
            "occ_level": [r[2] for r in rows],
            "employment": [r[3] for r in rows],
            "annual_median_wage": [r[4] for r in rows],
            "employment_flag": [r[5] for r in rows],
            "wage_flag": [r[6] for r in rows],
        },
        schema_overrides={
            "occ_level": pl.Int8,
            "employment": pl.Float64,
            "annual_median_wage": pl.Float64,
            "employment_flag": pl.String,
            "wage_flag": pl.String,
        },
    )
    missing = [
        pl.lit(None, OewsSchema.columns[c]).alias(c) for c in columns if c not in frame.columns
    ]
    return OewsSchema.validate(frame.with_columns(missing))


def test_single_area_region_keeps_the_area_figures(oews: pl.DataFrame) -> None:
    base = compute_region_base(oews, _areas("greater-boston", ["0014460"]))
    row = base.filter(pl.col("soc_code") == "31-9092").row(0, named=True)
    assert row == {
        "soc_code": "31-9092",
        "title": "Medical Assistants",
        "base_employment": 10_750,
        "median_annual_wage": 50_740,
        "wage_top_coded": False,
        "wage_method": WAGE_SINGLE_AREA,
        "employment_not_released_areas": 0,
    }
    assert set(base["soc_code"]).isdisjoint({"00-0000", "29-0000", "29-1140"})  # detailed only
    assert "31-1120" in base["soc_code"]  # published by OEWS as detailed
    radiologists = base.filter(pl.col("soc_code") == "29-1224").row(0, named=True)
    assert radiologists["base_employment"] is None
    assert radiologists["employment_not_released_areas"] == 1
    anesthetists = base.filter(pl.col("soc_code") == "29-1151").row(0, named=True)
    assert anesthetists["wage_top_coded"] and anesthetists["median_annual_wage"] == 239_200


def test_several_areas_sum_employment_and_weight_medians() -> None:
    oews = _oews_rows(
        [
            ("A", "31-9092", 3, 1000.0, 40_000, None, None),
            ("B", "31-9092", 3, 3000.0, 48_000, None, None),
            ("C", "31-9092", 3, 5000.0, 90_000, None, None),  # area not published for the region
            ("A", "29-1224", 3, None, 400_000, "not released", None),
            ("B", "29-1224", 3, 200.0, 239_200, None, "top-coded"),
            ("A", "31-0000", 0, 9000.0, 35_000, None, None),
        ]
    )
    areas = _areas("r", ["A", "B", "C"], ["whole", "partial", "not published"])
    base = compute_region_base(oews, areas)
    assert base["soc_code"].to_list() == ["29-1224", "31-9092"]
    ma = base.row(1, named=True)
    assert ma["base_employment"] == 4000
    assert ma["median_annual_wage"] == pytest.approx((1000 * 40_000 + 3000 * 48_000) / 4000)
    assert ma["wage_method"] == WAGE_WEIGHTED
    radiologists = base.row(0, named=True)
    # employment not released in A: A's median has no weight, the total is B's alone
    assert radiologists["base_employment"] == 200
    assert radiologists["median_annual_wage"] == 239_200
    assert radiologists["wage_top_coded"] is True
    assert radiologists["employment_not_released_areas"] == 1


def test_region_base_takes_one_region() -> None:
    areas = pl.concat([_areas("a", ["A"]), _areas("b", ["B"])])
    with pytest.raises(ValueError, match="one region"):
        compute_region_base(_oews_rows([("A", "31-9092", 3, 1.0, 1.0, None, None)]), areas)


# --- demand -------------------------------------------------------------------------------------


def _ep_rows(rows: list[dict]) -> pl.DataFrame:
    defaults = {
        "title": "t",
        "occupation_type": "Line item",
        "employment_change": 0.0,
        "employment_change_pct": 0.0,
        "self_employed_pct": None,
        "separations_rate": 0.0,
        "annual_exits": 0.0,
        "annual_transfers": 0.0,
        "annual_separations": 0.0,
        "annual_openings": 0.0,
        "median_annual_wage": None,
        "wage_top_coded": False,
        "entry_education": "High school diploma or equivalent",
        "work_experience": "None",
        "job_training": "None",
    }
    frame = pl.DataFrame([{**defaults, **r} for r in rows], schema=EpOccupationSchema.columns)
    return EpOccupationSchema.validate(frame)


def _base(rows: list[tuple]) -> pl.DataFrame:
    """(soc, base employment, median wage, top-coded) -> a region base frame."""
    return pl.DataFrame(
        {
            "soc_code": [r[0] for r in rows],
            "title": [f"title {r[0]}" for r in rows],
            "base_employment": [r[1] for r in rows],
            "median_annual_wage": [r[2] for r in rows],
            "wage_top_coded": [r[3] for r in rows],
            "wage_method": [WAGE_SINGLE_AREA] * len(rows),
            "employment_not_released_areas": [0] * len(rows),
        },
        schema_overrides={"base_employment": pl.Float64, "median_annual_wage": pl.Float64},
    )


SMALL_EP = [
    # growth +20%, separations 10%/yr
    {"ep_code": "31-9092", "employment_2024": 1000.0, "employment_2034": 1200.0,
     "exit_rate": 0.04, "transfer_rate": 0.06, "median_annual_wage": 44_200.0,
     "entry_education": "Postsecondary nondegree award"},
    # shrinking 10%, separations 5%/yr, top-coded national wage
    {"ep_code": "29-1224", "employment_2024": 2000.0, "employment_2034": 1800.0,
     "exit_rate": 0.02, "transfer_rate": 0.03, "median_annual_wage": 239_200.0,
     "wage_top_coded": True, "entry_education": "Doctoral or professional degree"},
    {"ep_code": "29-0000", "occupation_type": "Summary", "employment_2024": 1.0,
     "employment_2034": 2.0, "exit_rate": 0.0, "transfer_rate": 0.0},
]  # fmt: skip


def test_demand_small_case_by_hand() -> None:
    base = _base([("31-9092", 500.0, 50_000.0, False), ("29-1224", 100.0, None, False),
                  ("99-9999", 10.0, None, False)])  # fmt: skip
    demand = compute_demand("r", base, _ep_rows(SMALL_EP), base_year=2025)
    assert demand.columns == list(DemandSchema.columns)
    assert demand["soc_code"].to_list() == ["31-9092", "29-1224"]  # by openings; no EP row dropped
    ma, rad = demand.to_dicts()
    # 500 -> 600: 100/10 + 0.10 x 550 = 65
    assert ma["projected_employment"] == pytest.approx(600)
    assert ma["growth_pct"] == pytest.approx(20)
    assert ma["annual_openings"] == pytest.approx(65)
    assert (ma["base_year"], ma["projected_year"]) == (2025, 2035)
    assert ma["median_annual_wage"] == 50_000 and ma["wage_top_coded"] is False
    assert ma["entry_education"] == "Postsecondary nondegree award"
    assert ma["growth_source"] == NATIONAL_GROWTH and ma["region_id"] == "r"
    # 100 -> 90: -10/10 + 0.05 x 95 = 3.75; no regional wage: national, top-coded
    assert rad["projected_employment"] == pytest.approx(90)
    assert rad["growth_pct"] == pytest.approx(-10)
    assert rad["annual_openings"] == pytest.approx(3.75)
    assert rad["median_annual_wage"] == 239_200 and rad["wage_top_coded"] is True


def test_state_growth_wins_where_present() -> None:
    base = _base([("31-9092", 500.0, 50_000.0, False), ("29-1224", 100.0, None, False)])
    state = pl.DataFrame({"soc_code": ["31-9092"], "growth_pct": [10.0]})
    demand = compute_demand("r", base, _ep_rows(SMALL_EP), state_growth=state)
    ma = demand.filter(pl.col("soc_code") == "31-9092").row(0, named=True)
    # 500 -> 550: 50/10 + 0.10 x 525 = 57.5
    assert ma["projected_employment"] == pytest.approx(550)
    assert ma["annual_openings"] == pytest.approx(57.5)
    assert ma["growth_source"] == STATE_GROWTH
    rad = demand.filter(pl.col("soc_code") == "29-1224").row(0, named=True)
    assert rad["growth_source"] == NATIONAL_GROWTH and rad["growth_pct"] == pytest.approx(-10)


def test_not_released_base_gives_no_numbers_and_sorts_last() -> None:
    base = _base([("31-9092", None, None, False), ("29-1224", 100.0, None, False)])
    demand = compute_demand("r", base, _ep_rows(SMALL_EP))
    assert demand["soc_code"].to_list() == ["29-1224", "31-9092"]
    assert demand.row(1, named=True)["annual_openings"] is None
    assert demand.row(1, named=True)["median_annual_wage"] == 44_200  # national fallback


def test_national_demand_from_ep_employment_reproduces_published_openings(
    ep: pl.DataFrame,
) -> None:
    lines = ep.filter(pl.col("occupation_type") == "Line item")
    base = lines.select(
        pl.col("ep_code").alias("soc_code"),
        "title",
        pl.col("employment_2024").alias("base_employment"),
        "median_annual_wage",
        "wage_top_coded",
    )
    demand = compute_demand("us", base, ep, base_year=2024).join(
        lines.select(pl.col("ep_code").alias("soc_code"), "annual_openings", "employment_2034"),
        on="soc_code",
        suffix="_published",
        maintain_order="left",
    )
    assert demand.height == 832
    average = (pl.col("base_employment") + pl.col("projected_employment")) / 2
    off = demand.filter(
        ~_within_bls_rounding(
            pl.col("annual_openings"), pl.col("annual_openings_published"), average
        )
    )
    assert off.height == 0, off.select("soc_code", "annual_openings", "annual_openings_published")
    assert (demand["projected_employment"] - demand["employment_2034"]).abs().max() < 1e-6
    assert demand["projected_year"].unique().to_list() == [2034]
    openings = demand["annual_openings"]
    assert openings.to_list() == sorted(openings.to_list(), reverse=True)
    ma = demand.filter(pl.col("soc_code") == "31-9092").row(0, named=True)
    assert ma["growth_pct"] == pytest.approx((912_200 / 811_000 - 1) * 100)
