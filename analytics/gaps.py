"""The gap between demand and training supply, by occupation, and scenarios that change supply.

Demand is the region's annual openings (BLS separations method), optionally blended with the
members' disclosed vacancy signal: (1 - w) x projected openings + w x member openings a year.
Supply is analytics.supply's allocated completers. Gap = demand - supply; coverage = supply /
demand. A Scenario adds cohorts to programs (or new programs), changes placement rates and adds
incumbent-worker pathways; compute_gaps applies it and keeps the baseline beside it.

Demand has no county split (OEWS publishes metro and state estimates, and the snapshot holds no
county employment to apportion them by), so gaps are regional; supply alone is given by county.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from analytics.schemas import GapSchema, SupplyProgramSchema
from analytics.supply import (
    DEFAULT_PLACEMENT_BASIS,
    DEFAULT_PLACEMENT_RATE,
    SCENARIO_SOURCE,
    award_ceiling,
    compute_supply,
    compute_supply_by_occupation,
)

PROJECTION_SOURCE = "projected openings"
COUNTY_NOTE = (
    "Demand is regional only: OEWS publishes no county estimates, so the map shows where "
    "training supply is, not county gaps."
)
SCENARIO_PLACEMENT = "scenario"


@dataclass(frozen=True)
class AddCohort:
    """N more completers a year in a program: an existing one (provider + program), or a new one.

    A new program needs cip_code and award_level (a member award level such as "certificate",
    or an IPEDS AWLEVEL code); its placement rate defaults like any program's. Seats grow by N
    where the program reports seats.
    """

    completers: float
    provider: str | None = None
    program: str | None = None
    cip_code: str | None = None
    award_level: str | None = None
    county_fips: str | None = None
    placement_rate: float | None = None


@dataclass(frozen=True)
class SetPlacementRate:
    """A new in-field placement rate (0-1) for every program matching the fields given."""

    placement_rate: float
    provider: str | None = None
    program: str | None = None
    cip_code: str | None = None
    source: str | None = None  # e.g. "member programs", or the IPEDS source label


@dataclass(frozen=True)
class AddPathway:
    """An incumbent-worker pathway bringing `people` a year into an occupation (no placement rate)."""

    soc_code: str
    people: float
    label: str = "incumbent-worker pathway"


@dataclass(frozen=True)
class Scenario:
    """Changes to supply inputs: cohorts, placement rates and incumbent-worker pathways."""

    name: str = "scenario"
    cohorts: tuple[AddCohort, ...] = field(default_factory=tuple)
    placement_rates: tuple[SetPlacementRate, ...] = field(default_factory=tuple)
    pathways: tuple[AddPathway, ...] = field(default_factory=tuple)

    def is_empty(self) -> bool:
        """Return True when the scenario changes nothing."""
        return not (self.cohorts or self.placement_rates or self.pathways)


def _match(programs: pl.DataFrame, **fields: str | None) -> pl.Expr:
    condition = pl.lit(True)
    for name, value in fields.items():
        if value is not None:
            condition = condition & (pl.col(name) == value)
    return condition


def apply_scenario(programs: pl.DataFrame, scenario: Scenario) -> pl.DataFrame:
    """Return the programs (SupplyProgram) with the scenario's cohorts and placement rates applied.

    Raises ValueError, naming what to fix, when a cohort or rate matches no program (or a cohort
    matches several), a rate is outside 0-1, or a new program's award level is unknown.
    """
    frame = programs
    for cohort in scenario.cohorts:
        frame = _add_cohort(frame, cohort)
    for change in scenario.placement_rates:
        if not 0 <= change.placement_rate <= 1:
            raise ValueError(f"placement rate {change.placement_rate} is not between 0 and 1")
        hit = _match(
            frame,
            provider=change.provider,
            program=change.program,
            cip_code=change.cip_code,
            source=change.source,
        )
        if frame.filter(hit).height == 0:
            raise ValueError(f"no program matches the placement-rate change {_describe(change)}")
        frame = frame.with_columns(
            pl.when(hit)
            .then(pl.lit(change.placement_rate))
            .otherwise(pl.col("placement_rate"))
            .alias("placement_rate"),
            pl.when(hit)
            .then(pl.lit(SCENARIO_PLACEMENT))
            .otherwise(pl.col("placement_rate_source"))
            .alias("placement_rate_source"),
        )
    return SupplyProgramSchema.validate(frame)


def _describe(change: AddCohort | SetPlacementRate) -> str:
    given = {
        k: v
        for k, v in vars(change).items()
        if v is not None and k not in ("completers", "placement_rate")
    }
    return "(" + ", ".join(f"{k}={v!r}" for k, v in given.items()) + ")"


def _add_cohort(frame: pl.DataFrame, cohort: AddCohort) -> pl.DataFrame:
    hit = _match(
        frame,
        provider=cohort.provider,
        program=cohort.program,
        cip_code=cohort.cip_code,
        award_level=cohort.award_level,
        county_fips=cohort.county_fips,
    )
    matched = frame.filter(hit).height if cohort.provider and cohort.program else 0
    if matched > 1:
        raise ValueError(
            f"{matched} programs match the cohort {_describe(cohort)}; add cip_code, "
            "award_level or county_fips to pick one"
        )
    if matched == 1:
        return frame.with_columns(
            pl.when(hit)
            .then((pl.col("annual_completers") + cohort.completers).clip(lower_bound=0.0))
            .otherwise(pl.col("annual_completers"))
            .alias("annual_completers"),
            pl.when(hit)
            .then((pl.col("annual_seats") + cohort.completers).clip(lower_bound=0.0))
            .otherwise(pl.col("annual_seats"))
            .alias("annual_seats"),
        )
    if not (cohort.cip_code and cohort.award_level):
        raise ValueError(
            f"no program matches the cohort {_describe(cohort)}; for a new program give "
            "cip_code and award_level"
        )
    if cohort.placement_rate is not None and not 0 <= cohort.placement_rate <= 1:
        raise ValueError(f"placement rate {cohort.placement_rate} is not between 0 and 1")
    ceiling, is_certificate = award_ceiling(cohort.award_level)
    region = frame["region_id"][0] if frame.height else ""
    new = pl.DataFrame(
        {
            "region_id": [region],
            "source": [SCENARIO_SOURCE],
            "provider": [cohort.provider or "new program"],
            "program": [cohort.program or f"new program, CIP {cohort.cip_code}"],
            "unitid": [None],
            "cip_code": [cohort.cip_code],
            "award_level": [str(cohort.award_level)],
            "max_entry_education": [ceiling],
            "is_certificate": [is_certificate],
            "county_fips": [cohort.county_fips],
            "annual_completers": [max(float(cohort.completers), 0.0)],
            "placement_rate": [
                DEFAULT_PLACEMENT_RATE if cohort.placement_rate is None else cohort.placement_rate
            ],
            "placement_rate_source": [
                DEFAULT_PLACEMENT_BASIS if cohort.placement_rate is None else SCENARIO_PLACEMENT
            ],
            "annual_seats": [None],
        },
        schema=SupplyProgramSchema.columns,
    )
    return pl.concat([frame, new])


def compute_gaps(
    demand: pl.DataFrame,
    programs: pl.DataFrame,
    links: pl.DataFrame,
    scenario: Scenario | None = None,
    vacancy: pl.DataFrame | None = None,
    vacancy_weight: float = 0.0,
) -> pl.DataFrame:
    """Return demand, supply, gap and coverage per occupation of the region's demand (Gap).

    `demand` is Demand; `programs` SupplyProgram; `links` OccupationLink. `vacancy` (soc_code,
    vacancy_openings: disclosed member openings a year) is blended in with `vacancy_weight`
    (0-1) where an occupation has it. Sorted by gap, largest shortfall first.
    """
    if not 0 <= vacancy_weight <= 1:
        raise ValueError(f"vacancy weight {vacancy_weight} is not between 0 and 1")
    scenario = scenario or Scenario()
    allocated = compute_supply(programs, links)
    baseline = compute_supply_by_occupation(allocated)
    if scenario.cohorts or scenario.placement_rates:
        allocated = compute_supply(apply_scenario(programs, scenario), links)
        current = compute_supply_by_occupation(allocated)
    else:
        current = baseline
    top = (
        allocated.group_by("soc_code", "provider")
        .agg(pl.col("annual_supply").sum())
        .with_columns(
            (pl.col("annual_supply") / pl.col("annual_supply").sum().over("soc_code")).alias(
                "top_provider_share"
            )
        )
        .filter(pl.col("annual_supply") > 0)
        .sort("annual_supply", "provider", descending=[True, False])
        .unique("soc_code", keep="first")
        .select("soc_code", pl.col("provider").alias("top_provider"), "top_provider_share")
    )
    known = set(demand["soc_code"].to_list())
    unknown = [p.soc_code for p in scenario.pathways if p.soc_code not in known]
    if unknown:
        raise ValueError(
            f"no regional demand for {', '.join(unknown)}: a pathway needs an occupation of the region"
        )
    pathways = (
        pl.DataFrame(
            {
                "soc_code": [p.soc_code for p in scenario.pathways],
                "pathway_supply": [float(p.people) for p in scenario.pathways],
            },
            schema={"soc_code": pl.String, "pathway_supply": pl.Float64},
        )
        .group_by("soc_code")
        .agg(pl.col("pathway_supply").sum())
    )
    signal = (
        vacancy.select("soc_code", pl.col("vacancy_openings").cast(pl.Float64))
        if vacancy is not None
        else pl.DataFrame(schema={"soc_code": pl.String, "vacancy_openings": pl.Float64})
    ).unique("soc_code", keep="first")
    frame = (
        demand.select(
            "region_id",
            "soc_code",
            "title",
            "entry_education",
            pl.col("annual_openings").alias("projected_openings"),
        )  # fmt: skip
        .join(
            current.select(
                "soc_code",
                pl.col("annual_supply").alias("program_supply"),
                "ipeds_supply",
                "member_supply",
                "scenario_supply",
                "annual_capacity",
            ),
            on="soc_code",
            how="left",
        )
        .join(
            baseline.select("soc_code", pl.col("annual_supply").alias("baseline_supply")),
            on="soc_code",
            how="left",
        )
        .join(pathways, on="soc_code", how="left")
        .join(top, on="soc_code", how="left")
        .join(signal, on="soc_code", how="left")
        .with_columns(
            pl.col(
                "program_supply",
                "ipeds_supply",
                "member_supply",
                "scenario_supply",
                "baseline_supply",
                "pathway_supply",
            ).fill_null(0.0)  # fmt: skip
        )
    )
    blend = vacancy_weight > 0
    has_signal = pl.col("vacancy_openings").is_not_null()
    openings = (
        pl.when(has_signal & blend)
        .then(
            (1 - vacancy_weight) * pl.col("projected_openings")
            + vacancy_weight * pl.col("vacancy_openings")
        )
        .otherwise(pl.col("projected_openings"))
    )
    blended = f"{1 - vacancy_weight:.0%} projected openings + {vacancy_weight:.0%} member postings"
    source = (
        pl.when(has_signal & blend)
        .then(pl.lit(blended))
        .when(pl.lit(blend))
        .then(pl.lit(PROJECTION_SOURCE + " (no disclosed member postings)"))
        .otherwise(pl.lit(PROJECTION_SOURCE))
    )
    supply = pl.col("program_supply") + pl.col("pathway_supply")
    result = frame.with_columns(
        openings.alias("annual_openings"),
        supply.alias("annual_supply"),
        source.alias("demand_source"),
    ).with_columns(
        (pl.col("annual_openings") - pl.col("annual_supply")).alias("gap"),
        pl.when(pl.col("annual_openings") > 0)
        .then(pl.col("annual_supply") / pl.col("annual_openings"))
        .alias("coverage"),
        (pl.col("annual_openings") - pl.col("baseline_supply")).alias("baseline_gap"),
    )
    return GapSchema.validate(
        result.sort("gap", "soc_code", descending=[True, False], nulls_last=True)
    )
