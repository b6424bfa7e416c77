"""Pathways: feeders into an occupation and where it leads, on the shipped O*NET 27.0 and OEWS data."""

from __future__ import annotations

import polars as pl
import pytest

from analytics import pathways as pw
from analytics.projections import compute_ep_soc_map
from analytics.schemas import PathwayProgramSchema, PathwaySchema, SkillGapSchema
from connectors import snapshots
from workflows import reference_dir

MEDICAL_ASSISTANTS = "31-9092"


def _ref(name: str) -> pl.DataFrame:
    return snapshots.read_dataset(reference_dir(), name)


@pytest.fixture(scope="module")
def ep() -> pl.DataFrame:
    return _ref("ep_occupations")


@pytest.fixture(scope="module")
def ep_map(ep: pl.DataFrame) -> pl.DataFrame:
    codes = pl.concat([_ref("onet_occupations")["soc_code"], _ref("cip_soc")["soc_code"]])
    return compute_ep_soc_map(ep, codes.unique())


@pytest.fixture(scope="module")
def index(ep: pl.DataFrame, ep_map: pl.DataFrame) -> pw.PathwayIndex:
    return pw.build_pathway_index(
        _ref("onet_skills"),
        _ref("onet_occupations"),
        _ref("onet_related"),
        _ref("onet_job_zones"),
        tasks=_ref("onet_tasks"),
        industry_shares=pw.compute_industry_shares(_ref("oews"), ep_map),
        ep=ep,
    )


def test_weights_sum_to_one() -> None:
    assert sum(pw.WEIGHTS.values()) == pytest.approx(1.0)


def test_medical_assistant_feeders_a_healthcare_hr_person_would_name(
    index: pw.PathwayIndex,
) -> None:
    moves = pw.compute_moves(index, MEDICAL_ASSISTANTS, "to")
    top = moves.head(15)["from_soc"].to_list()
    # Medical secretaries (O*NET's code for medical receptionists and front-desk staff),
    # phlebotomists, pharmacy technicians and nursing assistants.
    for feeder in ("43-6013", "31-9097", "29-2052", "31-1131"):
        assert feeder in top, feeder
    assert top.index("43-6013") < 3
    assert set(moves["to_soc"]) == {MEDICAL_ASSISTANTS}
    assert moves["similarity"].is_sorted(descending=True, nulls_last=True)
    titles = dict(zip(moves["from_soc"], moves["from_title"], strict=True))
    assert titles["43-6013"] == "Medical Secretaries and Administrative Assistants"
    # Bank tellers share generic service skills but no tasks, O*NET relation or employers.
    assert moves["from_soc"].to_list().index("43-3071") > 50


@pytest.mark.parametrize("soc", [MEDICAL_ASSISTANTS, "29-1141", "31-9093", "43-6013"])
@pytest.mark.parametrize("direction", ["to", "from"])
def test_an_occupation_never_feeds_itself(index: pw.PathwayIndex, soc: str, direction: str) -> None:
    moves = pw.compute_moves(index, soc, direction)
    other = "from_soc" if direction == "to" else "to_soc"
    assert soc not in moves[other].to_list()
    assert moves.height == len(index.soc_codes) - 1


def test_registered_nurse_feeders_start_with_lpns_and_nursing_assistants(
    index: pw.PathwayIndex,
) -> None:
    top = pw.compute_moves(index, "29-1141", "to").head(8)["from_soc"].to_list()
    assert top[0] == "29-2061"  # LPNs
    assert "31-1131" in top


def test_parts_of_the_score_come_from_o_net(index: pw.PathwayIndex) -> None:
    moves = pw.compute_moves(index, MEDICAL_ASSISTANTS, "to")
    secretary = moves.filter(pl.col("from_soc") == "43-6013").row(0, named=True)
    # Related Occupations.txt: 43-6013.00 lists 31-9092.00 in its Primary-Short tier.
    assert secretary["related_tier"] == "Primary-Short"
    assert (secretary["job_zone_from"], secretary["job_zone_to"]) == (2, 3)
    assert 0.85 < secretary["skill_similarity"] < 0.95
    # From a medical assistant's point of view the step to an RN (zone 4) is one up.
    out = pw.compute_moves(index, MEDICAL_ASSISTANTS, "from")
    nurse = out.filter(pl.col("to_soc") == "29-1141").row(0, named=True)
    assert (nurse["job_zone_from"], nurse["job_zone_to"]) == (3, 4)


def test_industry_shares_from_national_oews(ep_map: pl.DataFrame) -> None:
    shares = pw.compute_industry_shares(_ref("oews"), ep_map)
    ma = shares.filter(pl.col("soc_code") == MEDICAL_ASSISTANTS).row(0, named=True)
    # OEWS May 2025 national: 613,220 of 817,870 medical assistants in ambulatory care.
    assert ma["621000"] == pytest.approx(613_220 / 817_870)
    assert ma["622000"] == pytest.approx(139_070 / 817_870)
    total = sum(ma[c] for c in [*pw.STAFFING_INDUSTRIES, "elsewhere"])
    assert total == pytest.approx(1.0)
    # Home health aides are published only inside 31-1120 and borrow its shares.
    aides = shares.filter(pl.col("soc_code").is_in(["31-1120", "31-1121"]))
    assert aides.height == 2
    assert aides.row(0)[1:] == aides.row(1)[1:]


def test_skill_gaps_from_the_o_net_ratings(index: pw.PathwayIndex) -> None:
    gaps = pw.compute_skill_gaps(index, "43-6013", MEDICAL_ASSISTANTS)
    assert gaps.columns == list(SkillGapSchema.columns)
    assert gaps.height == 35
    science = gaps.filter(pl.col("skill") == "Science").row(0, named=True)
    # Skills.xlsx importance: Science 1.12 for 43-6013.00, 2.62 for 31-9092.00.
    assert (science["importance_from"], science["importance_to"]) == (1.12, 2.62)
    assert science["importance_gap"] == pytest.approx(1.5)
    assert gaps["skill"][0] == "Science"
    assert pw.describe_skills_to_gain(gaps).startswith(
        "Science (+1.5), Quality Control Analysis (+1.0)"
    )


def _base(rows: dict[str, float | None]) -> pl.DataFrame:
    return pl.DataFrame(
        {"soc_code": list(rows), "median_annual_wage": list(rows.values())},
        schema={"soc_code": pl.String, "median_annual_wage": pl.Float64},
    )


def test_wages_fall_back_to_the_nation_and_bridge_aggregates(
    ep: pl.DataFrame, ep_map: pl.DataFrame
) -> None:
    region = _base({"31-9092": 50_740.0, "31-1120": 40_910.0, "43-6013": None})
    nation = _base({"31-9092": 44_000.0, "43-6013": 43_000.0, "31-1120": 35_000.0})
    wages = pw.compute_wages(["31-9092", "31-1121", "43-6013"], region, nation, ep, ep_map)
    got = {r["soc_code"]: (r["median_annual_wage"], r["wage_source"]) for r in wages.to_dicts()}
    assert got == {
        "31-9092": (50_740.0, "region"),
        "31-1121": (40_910.0, "region"),  # the region's 31-1120 home health and personal care aides
        "43-6013": (43_000.0, "national"),
    }


def test_entry_education_and_the_no_bachelors_flag(ep: pl.DataFrame, ep_map: pl.DataFrame) -> None:
    education = pw.compute_entry_education(
        ["31-9092", "29-1141", "11-1011", "29-2012"],
        ep,
        ep_map,
        _ref("onet_education"),
        overrides={"29-1141": "Associate's degree"},
    )
    got = {r["soc_code"]: r for r in education.to_dicts()}
    assert got["31-9092"]["entry_education"] == "Postsecondary nondegree award"
    assert got["31-9092"]["no_bachelors_needed"] is True
    # BLS's typical entry for RNs is a bachelor's; an associate degree also licenses.
    assert got["29-1141"]["entry_education"] == "Bachelor's degree"
    assert got["29-1141"]["no_bachelors_needed"] is True
    assert got["11-1011"]["no_bachelors_needed"] is False
    # 29-2012 is inside EP's 29-2010: O*NET's most common answer (bachelor's, 45.9%) is used.
    assert got["29-2012"]["entry_education"] == "Bachelor's degree"
    assert got["29-2012"]["education_source"] == "O*NET education ratings"


def test_build_pathways_leaves_out_pay_cuts_and_counts_programs(index: pw.PathwayIndex) -> None:
    moves = pw.compute_moves(index, MEDICAL_ASSISTANTS, "to").filter(
        pl.col("from_soc").is_in(["43-6013", "31-9097", "29-2061", "31-1131"])
    )
    wages = pl.DataFrame(
        {
            "soc_code": ["31-9092", "43-6013", "31-9097", "29-2061", "31-1131"],
            "median_annual_wage": [44_000.0, 42_000.0, 47_000.0, 62_000.0, None],
            "wage_source": ["region", "region", "national", "region", None],
        }
    )
    education = pl.DataFrame(
        {
            "soc_code": ["31-9092"],
            "entry_education": ["Postsecondary nondegree award"],
            "no_bachelors_needed": [True],
        }
    )
    programs = pl.DataFrame(
        [
            {"soc_code": "31-9092", "annual_supply": 127.0},
            {"soc_code": "31-9092", "annual_supply": 42.0},
        ]
    )
    table = pw.build_pathways(index, moves, wages, education, programs)
    assert table.columns == list(PathwaySchema.columns)
    got = {r["from_soc"]: r for r in table.to_dicts()}
    # LPNs would take a 29% pay cut: not a pathway up. Phlebotomists lose 6%: kept.
    assert "29-2061" not in got
    assert got["31-9097"]["wage_uplift_pct"] == pytest.approx((44_000 / 47_000 - 1) * 100)
    assert got["31-9097"]["wage_source"] == "national"
    assert got["43-6013"]["wage_uplift_pct"] == pytest.approx((44_000 / 42_000 - 1) * 100)
    assert got["43-6013"]["wage_source"] == "region"
    assert got["31-1131"]["wage_uplift_pct"] is None  # wage unknown: kept, not guessed
    assert got["43-6013"]["programs"] == 2
    assert got["43-6013"]["program_supply"] == pytest.approx(169.0)
    assert got["43-6013"]["no_bachelors_needed"] is True
    assert table["rank"].to_list() == list(range(1, table.height + 1))
    assert pw.build_pathways(index, moves, wages, education, programs, limit=1).height == 1


def test_target_programs_come_from_the_supply_allocation(ep_map: pl.DataFrame) -> None:
    supply = pl.DataFrame(
        {
            "soc_code": ["31-9092", "31-1120", "31-1131", "31-9092"],
            "source": [
                "IPEDS completions 2022–2024 avg",
                "member programs",
                "member programs",
                "x",
            ],
            "provider": ["Bunker Hill Community College", "A", "B", "C"],
            "program": ["Medical/Clinical Assistant", "Home care aide", "CNA", "none"],
            "cip_code": ["51.0801", "51.2602", "51.3902", "51.0801"],
            "award_level": ["certificate"] * 4,
            "county_fips": ["25025"] * 4,
            "annual_completers": [42.0, 30.0, 20.0, 5.0],
            "share": [1.0, 1.0, 1.0, 0.0],
            "annual_supply": [42.0, 24.0, 15.0, 0.0],
            "placement_rate": [1.0, 0.8, 0.75, 1.0],
            "placement_rate_source": ["default", "reported", "reported", "default"],
        }
    )
    programs = pw.compute_target_programs(supply, ["31-9092", "31-1122"], ep_map)
    assert programs.columns == list(PathwayProgramSchema.columns)
    assert programs.select("soc_code", "provider").rows() == [
        ("31-1122", "A"),  # personal care aides are trained for by 31-1120's programs
        ("31-9092", "Bunker Hill Community College"),  # the zero-share row is not a program
    ]


def test_check_occupation_names_what_is_wrong(index: pw.PathwayIndex, ep_map: pl.DataFrame) -> None:
    assert pw.check_occupation(index, "31-9092.00") == MEDICAL_ASSISTANTS
    assert pw.check_occupation(index, " 29-1141 ") == "29-1141"
    with pytest.raises(ValueError, match="not a SOC code"):
        pw.check_occupation(index, "medical assistant")
    with pytest.raises(ValueError, match="31-1121, 31-1122"):
        pw.check_occupation(index, "31-1120", ep_map)
    with pytest.raises(ValueError, match="not an occupation O\\*NET rates"):
        pw.check_occupation(index, "99-9999")
