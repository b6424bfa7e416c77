"""Training supply: the award-level rule, proportional allocation, and the real IPEDS files."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from analytics import supply
from analytics.projections import compute_demand, compute_ep_soc_map, compute_region_base
from analytics.regions import compute_region_areas, compute_region_counties
from analytics.schemas import (
    OccupationLinkSchema,
    ProgramSchema,
    Region,
    SupplyProgramSchema,
    SupplySchema,
)
from connectors import snapshots
from connectors.regions import read_regions
from settings import REFERENCE_DIR, REGIONS_FILE

ROOT = Path(__file__).resolve().parents[2]
IPEDS = ROOT / "data" / "sources" / "ipeds"

HS, NONDEGREE, ASSOCIATE, BACHELOR, MASTER, DOCTORAL = (
    "High school diploma or equivalent",
    "Postsecondary nondegree award",
    "Associate's degree",
    "Bachelor's degree",
    "Master's degree",
    "Doctoral or professional degree",
)


# --- the award-level table ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("award", "ceiling", "certificate"),
    [
        (20, NONDEGREE, True),
        (21, NONDEGREE, True),
        (1, NONDEGREE, True),
        (2, NONDEGREE, True),
        (4, NONDEGREE, True),
        (3, ASSOCIATE, False),
        (5, BACHELOR, False),
        (6, BACHELOR, True),
        (7, MASTER, False),
        (8, MASTER, True),
        (17, DOCTORAL, False),
        (18, DOCTORAL, False),
        (19, DOCTORAL, False),
        ("certificate", NONDEGREE, True),
        ("Apprenticeship", NONDEGREE, True),
        ("associate", ASSOCIATE, False),
        ("bachelor", BACHELOR, False),
        ("master", MASTER, False),
        ("doctoral", DOCTORAL, False),
    ],
)
def test_award_ceiling_table(award: str | int, ceiling: str, certificate: bool) -> None:
    assert supply.award_ceiling(award) == (ceiling, certificate)


def test_unknown_award_level_is_refused() -> None:
    with pytest.raises(ValueError, match="diploma-ish"):
        supply.award_ceiling("diploma-ish")
    with pytest.raises(ValueError, match="99"):
        supply.award_ceiling(99)


def test_education_levels_follow_bls_order() -> None:
    assert supply.EDUCATION_LEVELS.index("Some college, no degree") < supply.EDUCATION_LEVELS.index(
        NONDEGREE
    )
    assert supply.EDUCATION_RANK["No formal educational credential"] == 0
    assert supply.EDUCATION_RANK[DOCTORAL] == 7


# --- hand-computed allocation ---------------------------------------------------------------

LINK_ROWS = [
    # cip, soc, title, entry education, regional openings, national openings
    ("51.9999", "31-0001", "Aide", HS, 300.0, 3000.0),
    ("51.9999", "29-0001", "Technician", ASSOCIATE, 100.0, 1000.0),
    ("51.9999", "29-0002", "Technologist", BACHELOR, 600.0, 6000.0),
    ("51.9999", "25-1071", "Health Specialties Teachers", DOCTORAL, 50.0, 500.0),
    ("51.9999", "31-0002", "Not in the region", NONDEGREE, None, 1000.0),
    ("51.8888", "31-0003", "Only national", NONDEGREE, None, 400.0),
    ("51.8888", "31-0004", "Only national too", HS, None, 100.0),
    ("51.7777", "29-1141", "Registered Nurses", ASSOCIATE, 1000.0, 10000.0),
]


def _links() -> pl.DataFrame:
    frame = pl.DataFrame(
        LINK_ROWS,
        schema=[
            "cip_code",
            "soc_code",
            "title",
            "entry_education",
            "regional_openings",
            "national_openings",
        ],
        orient="row",
    ).with_columns(
        pl.col("entry_education")
        .replace_strict(supply.EDUCATION_RANK, return_dtype=pl.Int8)
        .alias("education_rank"),
        pl.col("soc_code").str.starts_with("25-1").alias("is_postsecondary_teacher"),
    )
    return OccupationLinkSchema.validate(frame)


def _program(
    award: int | str,
    completers: float,
    cip: str = "51.9999",
    placement: float | None = None,
    seats: float | None = None,
    county: str = "26163",
) -> dict[str, object]:
    ceiling, certificate = supply.award_ceiling(award)
    return {
        "region_id": "test",
        "source": "test",
        "provider": f"P{award}",
        "program": f"{cip} at {award}",
        "unitid": None,
        "cip_code": cip,
        "award_level": str(award),
        "max_entry_education": ceiling,
        "is_certificate": certificate,
        "county_fips": county,
        "annual_completers": completers,
        "placement_rate": placement if placement is not None else 1.0,
        "placement_rate_source": "test",
        "annual_seats": seats,
    }


def _programs(*rows: dict[str, object]) -> pl.DataFrame:
    return SupplyProgramSchema.validate(
        pl.DataFrame(list(rows), schema=SupplyProgramSchema.columns)
    )


def _allocated(programs: pl.DataFrame) -> dict[tuple[str, str], float]:
    frame = supply.compute_supply(programs, _links())
    SupplySchema.validate(frame)
    return {(r["provider"], r["soc_code"]): r["annual_supply"] for r in frame.iter_rows(named=True)}


def test_certificate_feeds_only_nondegree_occupations_in_the_region() -> None:
    # Certificate (21): Aide (HS) and "Not in the region" (nondegree, no regional openings).
    # Regional weights 300 and 0 -> the Aide takes all: 40 completers x 0.5 placement = 20.
    got = _allocated(_programs(_program(21, 40, placement=0.5)))
    assert got == {("P21", "31-0001"): pytest.approx(20.0)}


def test_associate_splits_by_regional_openings() -> None:
    # Aide 300, Technician 100 -> 3/4 and 1/4 of 80.
    got = _allocated(_programs(_program(3, 80)))
    assert got == {("P3", "31-0001"): pytest.approx(60.0), ("P3", "29-0001"): pytest.approx(20.0)}


def test_bachelor_reaches_up_to_bachelor_level() -> None:
    # 300 + 100 + 600 = 1000: shares .3, .1, .6 of 10 completers x 0.8.
    got = _allocated(_programs(_program(5, 10, placement=0.8)))
    assert got == {
        ("P5", "31-0001"): pytest.approx(2.4),
        ("P5", "29-0001"): pytest.approx(0.8),
        ("P5", "29-0002"): pytest.approx(4.8),
    }


def test_doctorate_may_feed_postsecondary_teachers_but_no_certificate_does() -> None:
    # Doctor's (17): 300 + 100 + 600 + 50 = 1050; teachers get 50/1050 of 21 = 1.
    doctoral = _allocated(_programs(_program(17, 21)))
    assert doctoral[("P17", "25-1071")] == pytest.approx(1.0)
    assert sum(doctoral.values()) == pytest.approx(21.0)
    # A post-master's certificate (8) reaches master's-level jobs but never teachers.
    postmasters = _allocated(_programs(_program(8, 10)))
    assert ("P8", "25-1071") not in postmasters
    assert sum(postmasters.values()) == pytest.approx(10.0)


def test_no_regional_openings_falls_back_to_national_weights() -> None:
    # CIP 51.8888 reaches two occupations, neither estimated in the region: 400 and 100 nationally.
    frame = supply.compute_supply(_programs(_program(2, 50, cip="51.8888")), _links())
    got = {
        r["soc_code"]: (r["annual_supply"], r["share_basis"]) for r in frame.iter_rows(named=True)
    }
    assert got == {
        "31-0003": (pytest.approx(40.0), supply.NATIONAL_BASIS),
        "31-0004": (pytest.approx(10.0), supply.NATIONAL_BASIS),
    }


def test_seats_are_allocated_as_capacity() -> None:
    frame = supply.compute_supply(_programs(_program(3, 80, seats=120)), _links())
    capacity = dict(zip(frame["soc_code"], frame["annual_capacity"], strict=True))
    assert capacity == {"31-0001": pytest.approx(90.0), "29-0001": pytest.approx(30.0)}


def test_rn_override_and_graduate_exclusion() -> None:
    # RN's typical entry is a bachelor's, but the override lets an ADN (associate) count ...
    links = supply.compute_occupation_links(
        pl.DataFrame(
            {
                "cip_code": ["51.3801"],
                "cip_title": ["RN."],
                "soc_code": ["29-1141"],
                "soc_title": ["RN"],
            }
        ),
        pl.DataFrame(
            {
                "ep_code": ["29-1141"],
                "title": ["Registered nurses"],
                "occupation_type": ["Line item"],
                "entry_education": [BACHELOR],
                "annual_openings": [189100.0],
            }
        ),
        pl.DataFrame({"ep_code": ["29-1141"], "soc_code": ["29-1141"]}),
        pl.DataFrame(
            {"soc_code": ["29-1141"], "title": ["Registered Nurses"], "annual_openings": [3000.0]}
        ),
    )
    assert links["education_rank"].to_list() == [supply.EDUCATION_RANK[ASSOCIATE]]
    assert links["entry_education"].to_list() == [BACHELOR]  # BLS's own value is kept
    adn = supply.compute_supply(_programs(_program(3, 100, cip="51.3801")), links)
    assert adn["annual_supply"].to_list() == [pytest.approx(100.0)]
    # ... and a master's in nursing adds no RN: its students are nurses already.
    msn = _programs(_program(7, 100, cip="51.3801"))
    assert supply.compute_supply(msn, links).height == 0
    assert supply.compute_unallocated(msn, links).height == 1


def test_unallocated_programs_are_those_reaching_nothing() -> None:
    # A certificate in a CIP whose only occupation needs an associate degree (RN override).
    programs = _programs(_program(21, 40, cip="51.7777"), _program(3, 10, cip="51.7777"))
    left = supply.compute_unallocated(programs, _links())
    assert left["award_level"].to_list() == ["21"]


def test_member_programs_outside_the_region_do_not_count() -> None:
    rows = pl.DataFrame(
        {
            "provider": ["Inside", "Outside", "Unknown level"],
            "program": ["CNA", "CNA", "CNA"],
            "cip_code": ["51.3902"] * 3,
            "award_level": ["certificate", "certificate", "badge"],
            "soc_codes": ["31-1131"] * 3,
            "county_fips": ["26163", "25025", "26163"],
            "annual_seats": [40, 40, 40],
            "annual_completers": [30, 30, 30],
            "completion_rate": [0.75] * 3,
            "placement_rate": [0.8, 0.8, None],
            "duration_weeks": [6.0] * 3,
            "cost": [1500.0] * 3,
            "modality": ["in person"] * 3,
            "source_file": ["f.csv"] * 3,
            "ingest_id": [1] * 3,
        }
    ).with_columns(pl.lit(None, pl.Datetime("us")).alias("ingested_at"))
    programs = supply.compute_member_programs("r", ProgramSchema.validate(rows), ["26163"])
    assert programs["provider"].to_list() == ["Inside"]
    assert programs["source"].to_list() == [supply.MEMBER_SOURCE]
    assert programs["placement_rate_source"].to_list() == [supply.REPORTED]
    assert programs["annual_seats"].to_list() == [40.0]


def test_member_program_without_rate_gets_the_documented_default() -> None:
    rows = pl.DataFrame(
        {
            "provider": ["A"], "program": ["MA"], "cip_code": ["51.0801"], "award_level": ["certificate"],
            "soc_codes": ["31-9092"], "county_fips": ["26163"], "annual_seats": [None],
            "annual_completers": [12], "completion_rate": [None], "placement_rate": [None],
            "duration_weeks": [None], "cost": [None], "modality": [None], "source_file": ["f"],
            "ingest_id": [1],
        },
        schema_overrides={"annual_seats": pl.Int64, "completion_rate": pl.Float64, "placement_rate": pl.Float64,
                          "duration_weeks": pl.Float64, "cost": pl.Float64, "modality": pl.String},
    ).with_columns(pl.lit(None, pl.Datetime("us")).alias("ingested_at"))  # fmt: skip
    programs = supply.compute_member_programs("r", ProgramSchema.validate(rows), ["26163"])
    assert programs["placement_rate"].to_list() == [supply.DEFAULT_PLACEMENT_RATE]
    assert programs["placement_rate_source"].to_list() == [supply.DEFAULT_PLACEMENT_BASIS]
    assert "upper bound" in supply.DEFAULT_PLACEMENT_BASIS


# --- the real files -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def ref() -> dict[str, pl.DataFrame]:
    names = (
        "ipeds_completions", "ipeds_institutions", "ipeds_award_levels", "cip_titles", "cip_soc",
        "counties", "ep_occupations", "oews", "oews_areas",
    )  # fmt: skip
    return {n: snapshots.read_dataset(REFERENCE_DIR, n) for n in names}


def _region(region_id: str) -> Region:
    return next(r for r in read_regions(REGIONS_FILE) if r.region_id == region_id)


def _ipeds(ref: dict[str, pl.DataFrame], region_id: str) -> tuple[pl.DataFrame, list[str]]:
    counties = compute_region_counties(_region(region_id), ref["counties"])
    programs = supply.compute_ipeds_programs(
        region_id,
        ref["ipeds_completions"],
        ref["ipeds_institutions"],
        ref["ipeds_award_levels"],
        ref["cip_titles"],
        counties,
    )
    return programs, counties


def test_ipeds_medical_assistant_completers_in_southeast_michigan(
    ref: dict[str, pl.DataFrame],
) -> None:
    programs, counties = _ipeds(ref, "southeast-michigan")
    ma = programs.filter(pl.col("cip_code") == "51.0801")
    assert ma["annual_completers"].sum() > 0
    # Ross Medical Education Center-Warren (Macomb County), certificate of 1-2 years: the raw
    # C_A rows give 44, 68 and 75 completers in 2022, 2023 and 2024.
    warren = ma.filter(pl.col("unitid") == "171997")
    assert warren["annual_completers"].to_list() == [pytest.approx((44 + 68 + 75) / 3)]
    assert warren["county_fips"].to_list() == ["26099"]
    assert warren["source"].to_list() == ["IPEDS completions 2022–2024 avg"]
    # The whole region's 51.0801 total, recomputed from the publisher CSVs.
    raw = pl.read_csv(IPEDS / "ipeds_completions_c2020-c2024_a_ma_il_mi.csv", infer_schema=False)
    hd = pl.read_csv(
        IPEDS / "ipeds_hd_directory_ma_il_mi.csv", infer_schema=False, encoding="utf8-lossy"
    )
    inside = hd.filter(pl.col("COUNTYCD").is_in(counties))["UNITID"]
    expected = (
        raw.filter(
            pl.col("CIPCODE") == "51.0801",
            pl.col("survey_year").is_in(["2022", "2023", "2024"]),
            pl.col("UNITID").is_in(inside.implode()),
        )["CTOTALT"]
        .cast(pl.Int64)
        .sum()
        / 3
    )
    assert ma["annual_completers"].sum() == pytest.approx(expected)
    assert 500 < expected < 600  # about 550 medical-assistant completers a year in the 11 counties


def test_no_cip_rollups_and_only_institutions_inside_the_region(
    ref: dict[str, pl.DataFrame],
) -> None:
    for region_id in ("southeast-michigan", "greater-boston"):
        programs, counties = _ipeds(ref, region_id)
        assert programs.height > 1000
        assert programs["cip_code"].str.contains(r"^\d{2}\.\d{4}$").all()
        assert not programs["cip_code"].str.starts_with("99").any()
        assert set(programs["county_fips"].to_list()) <= set(counties)
    boston, _ = _ipeds(ref, "greater-boston")
    assert not boston["county_fips"].str.starts_with("26").any()  # no Michigan school in Boston
    assert "Harvard University" in set(boston["provider"].to_list())


def test_real_allocation_of_medical_assistant_programs(ref: dict[str, pl.DataFrame]) -> None:
    region = _region("southeast-michigan")
    programs, _ = _ipeds(ref, region.region_id)
    areas = compute_region_areas(region, ref["counties"], ref["oews_areas"])
    demand = compute_demand(
        region.region_id, compute_region_base(ref["oews"], areas), ref["ep_occupations"]
    )
    ep_soc = compute_ep_soc_map(ref["ep_occupations"], ref["cip_soc"]["soc_code"])
    links = supply.compute_occupation_links(ref["cip_soc"], ref["ep_occupations"], ep_soc, demand)
    allocated = supply.compute_supply(programs, links)
    ma = allocated.filter(pl.col("cip_code") == "51.0801")
    # 51.0801 links to Medical Assistants and to Health Specialties Teachers (doctoral): only
    # the Medical Assistants can be reached by these awards, so every completer goes there.
    assert set(ma["soc_code"].to_list()) == {"31-9092"}
    assert ma["annual_supply"].sum() == pytest.approx(
        programs.filter(pl.col("cip_code") == "51.0801")["annual_completers"].sum()
    )
    # Sterile processing certificates are shared between two occupations by regional openings.
    spd = (
        allocated.filter(pl.col("cip_code") == "51.1012")
        .group_by("soc_code")
        .agg(pl.col("share").first())
    )
    shares = dict(zip(spd["soc_code"], spd["share"], strict=True))
    openings = dict(zip(demand["soc_code"], demand["annual_openings"], strict=True))
    assert set(shares) == {"31-9093", "29-2055"}
    assert shares["31-9093"] == pytest.approx(
        openings["31-9093"] / (openings["31-9093"] + openings["29-2055"])
    )
    # Every completer of an allocated program is counted once.
    per_program = allocated.group_by("provider", "program", "award_level", "county_fips").agg(
        pl.col("share").sum()
    )
    assert per_program["share"].to_list() == pytest.approx([1.0] * per_program.height)
