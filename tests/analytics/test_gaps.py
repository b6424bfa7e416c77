"""The gap: demand minus supply, coverage, scenario arithmetic by hand, speed on a real region."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from analytics import gaps, supply
from analytics.gaps import AddCohort, AddPathway, Scenario, SetPlacementRate, compute_gaps
from analytics.schemas import DemandSchema, GapSchema, OccupationLinkSchema, SupplyProgramSchema

HS, ASSOCIATE, BACHELOR = (
    "High school diploma or equivalent",
    "Associate's degree",
    "Bachelor's degree",
)


def _demand() -> pl.DataFrame:
    rows = [("31-0001", "Aide", 400.0, HS), ("29-0001", "Technician", 100.0, ASSOCIATE), ("29-0002", "Technologist", 600.0, BACHELOR)]  # fmt: skip
    frame = pl.DataFrame(
        rows, schema=["soc_code", "title", "annual_openings", "entry_education"], orient="row"
    )
    return DemandSchema.validate(
        frame.with_columns(
            pl.lit("test").alias("region_id"),
            pl.lit(2025, pl.Int16).alias("base_year"),
            pl.lit(1000.0).alias("base_employment"),
            pl.lit(2035, pl.Int16).alias("projected_year"),
            pl.lit(1100.0).alias("projected_employment"),
            pl.lit(10.0).alias("growth_pct"),
            pl.lit(50000.0).alias("median_annual_wage"),
            pl.lit(False).alias("wage_top_coded"),
            pl.lit("test").alias("growth_source"),
        )
    )


def _links() -> pl.DataFrame:
    demand = _demand()
    frame = demand.select(
        pl.lit("51.9999").alias("cip_code"),
        "soc_code",
        "title",
        "entry_education",
        pl.col("entry_education")
        .replace_strict(supply.EDUCATION_RANK, return_dtype=pl.Int8)
        .alias("education_rank"),
        pl.lit(False).alias("is_postsecondary_teacher"),
        pl.col("annual_openings").alias("regional_openings"),
        (pl.col("annual_openings") * 100).alias("national_openings"),
    )
    return OccupationLinkSchema.validate(frame)


def _programs() -> pl.DataFrame:
    def row(
        source: str, provider: str, program: str, award: str, completers: float, rate: float
    ) -> dict[str, object]:
        ceiling, certificate = supply.award_ceiling(award)
        return {
            "region_id": "test", "source": source, "provider": provider, "program": program,
            "unitid": None, "cip_code": "51.9999", "award_level": award,
            "max_entry_education": ceiling, "is_certificate": certificate, "county_fips": "26163",
            "annual_completers": completers, "placement_rate": rate,
            "placement_rate_source": "reported", "annual_seats": None,
        }  # fmt: skip

    rows = [
        # certificate: the Aide only (HS) -> 50 x 0.8 = 40
        row(supply.MEMBER_SOURCE, "P1", "Aide academy", "certificate", 50, 0.8),
        # associate: Aide 400 and Technician 100 -> 100 x 1.0 split 80 / 20
        row("IPEDS completions 2022–2024 avg", "P2", "Allied health", "associate", 100, 1.0),
    ]
    return SupplyProgramSchema.validate(pl.DataFrame(rows, schema=SupplyProgramSchema.columns))


def _by_soc(frame: pl.DataFrame, column: str) -> dict[str, float]:
    return dict(zip(frame["soc_code"], frame[column], strict=True))


def test_baseline_gap_and_coverage_by_hand() -> None:
    result = GapSchema.validate(compute_gaps(_demand(), _programs(), _links()))
    assert _by_soc(result, "annual_supply") == {
        "31-0001": pytest.approx(120.0),
        "29-0001": pytest.approx(20.0),
        "29-0002": pytest.approx(0.0),
    }
    assert _by_soc(result, "gap") == {
        "31-0001": pytest.approx(280.0),
        "29-0001": pytest.approx(80.0),
        "29-0002": pytest.approx(600.0),
    }
    assert _by_soc(result, "coverage") == {
        "31-0001": pytest.approx(0.3),
        "29-0001": pytest.approx(0.2),
        "29-0002": pytest.approx(0.0),
    }
    assert _by_soc(result, "member_supply")["31-0001"] == pytest.approx(40.0)
    assert _by_soc(result, "ipeds_supply")["31-0001"] == pytest.approx(80.0)
    assert result["soc_code"].to_list() == ["29-0002", "31-0001", "29-0001"]  # largest gap first
    assert _by_soc(result, "top_provider") == {"31-0001": "P2", "29-0001": "P2", "29-0002": None}
    assert _by_soc(result, "top_provider_share")["31-0001"] == pytest.approx(80 / 120)
    assert set(result["demand_source"].to_list()) == {gaps.PROJECTION_SOURCE}


def test_scenario_arithmetic_by_hand() -> None:
    scenario = Scenario(
        cohorts=(
            AddCohort(20, provider="P1", program="Aide academy"),  # 70 x 0.8 = 56 to the Aide
            # a new bachelor's program: 10 x 0.6 = 6, split 400 : 100 : 600 of 1100
            AddCohort(10, cip_code="51.9999", award_level="bachelor", placement_rate=0.6),
        ),
        placement_rates=(SetPlacementRate(0.5, provider="P2"),),  # 100 x 0.5 = 50 -> 40 / 10
        pathways=(AddPathway("29-0002", 25),),
    )
    result = compute_gaps(_demand(), _programs(), _links(), scenario)
    assert _by_soc(result, "annual_supply") == {
        "31-0001": pytest.approx(56 + 40 + 6 * 400 / 1100),
        "29-0001": pytest.approx(10 + 6 * 100 / 1100),
        "29-0002": pytest.approx(6 * 600 / 1100 + 25),
    }
    assert _by_soc(result, "gap")["29-0002"] == pytest.approx(600 - 6 * 600 / 1100 - 25)
    assert _by_soc(result, "scenario_supply")["29-0002"] == pytest.approx(6 * 600 / 1100)
    assert _by_soc(result, "pathway_supply") == {"31-0001": 0.0, "29-0001": 0.0, "29-0002": 25.0}
    # The baseline stays beside the scenario.
    assert _by_soc(result, "baseline_supply") == {
        "31-0001": pytest.approx(120.0),
        "29-0001": pytest.approx(20.0),
        "29-0002": pytest.approx(0.0),
    }
    assert _by_soc(result, "baseline_gap")["31-0001"] == pytest.approx(280.0)


def test_apply_scenario_marks_what_it_changed() -> None:
    changed = gaps.apply_scenario(
        _programs(),
        Scenario(
            cohorts=(AddCohort(12, cip_code="51.9999", award_level="certificate"),),
            placement_rates=(SetPlacementRate(0.9, source=supply.MEMBER_SOURCE),),
        ),
    )
    assert changed.height == 3
    new = changed.filter(pl.col("source") == supply.SCENARIO_SOURCE).row(0, named=True)
    assert new["annual_completers"] == 12.0
    assert new["placement_rate"] == supply.DEFAULT_PLACEMENT_RATE
    assert new["placement_rate_source"] == supply.DEFAULT_PLACEMENT_BASIS
    member = changed.filter(pl.col("provider") == "P1").row(0, named=True)
    assert (member["placement_rate"], member["placement_rate_source"]) == (0.9, "scenario")


@pytest.mark.parametrize(
    ("scenario", "message"),
    [
        (Scenario(cohorts=(AddCohort(5, provider="Nobody", program="Nothing"),)), "no program"),
        (Scenario(cohorts=(AddCohort(5, cip_code="51.9999", award_level="badge"),)), "badge"),
        (Scenario(placement_rates=(SetPlacementRate(1.5, provider="P1"),)), "between 0 and 1"),
        (Scenario(placement_rates=(SetPlacementRate(0.5, provider="Nobody"),)), "no program"),
        (Scenario(pathways=(AddPathway("99-9999", 10),)), "99-9999"),
    ],
)
def test_scenario_mistakes_say_what_to_fix(scenario: Scenario, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        compute_gaps(_demand(), _programs(), _links(), scenario)


def test_cohort_matching_several_programs_asks_for_more() -> None:
    programs = pl.concat(
        [_programs(), _programs().with_columns(pl.lit("25025").alias("county_fips"))]
    )
    with pytest.raises(ValueError, match="2 programs match"):
        gaps.apply_scenario(
            programs, Scenario(cohorts=(AddCohort(5, provider="P1", program="Aide academy"),))
        )
    one = gaps.apply_scenario(
        programs,
        Scenario(
            cohorts=(AddCohort(5, provider="P1", program="Aide academy", county_fips="25025"),)
        ),
    )
    assert sorted(one.filter(pl.col("provider") == "P1")["annual_completers"].to_list()) == [
        50.0,
        55.0,
    ]


def test_vacancy_blend_only_where_disclosed() -> None:
    vacancy = pl.DataFrame({"soc_code": ["31-0001"], "vacancy_openings": [200.0]})
    result = compute_gaps(_demand(), _programs(), _links(), vacancy=vacancy, vacancy_weight=0.25)
    assert _by_soc(result, "annual_openings") == {
        "31-0001": pytest.approx(0.75 * 400 + 0.25 * 200),
        "29-0001": pytest.approx(100.0),
        "29-0002": pytest.approx(600.0),
    }
    sources = _by_soc(result, "demand_source")
    assert sources["31-0001"] == "75% projected openings + 25% member postings"
    assert "no disclosed member postings" in sources["29-0001"]
    assert _by_soc(result, "projected_openings")["31-0001"] == 400.0
    with pytest.raises(ValueError, match="vacancy weight"):
        compute_gaps(_demand(), _programs(), _links(), vacancy=vacancy, vacancy_weight=2)


def test_real_region_recomputes_a_scenario_within_100_ms(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import workflows

    monkeypatch.setenv("GAPBOARD_WAREHOUSE_URL", f"sqlite:///{tmp_path / 'warehouse.sqlite'}")
    base = workflows.supply("southeast-michigan")
    scenario = Scenario(
        cohorts=(
            AddCohort(40, cip_code="51.0801", award_level="certificate", county_fips="26163"),
        ),
        placement_rates=(SetPlacementRate(0.7, source=base.programs["source"][0]),),
        pathways=(AddPathway("31-9092", 25),),
    )
    result = compute_gaps(base.demand, base.programs, base.links, scenario)
    ma = result.filter(pl.col("soc_code") == "31-9092").row(0, named=True)
    # 40 new completers (placement default 1.0) and 25 by the pathway on top of 70% of IPEDS.
    assert ma["annual_supply"] == pytest.approx(0.7 * ma["baseline_supply"] + 40 + 25)
