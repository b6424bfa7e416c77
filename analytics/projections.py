"""Regional projections: OEWS base employment grown at BLS rates, with annual openings.

Openings follow the BLS separations method: annual growth plus (labor-force exit rate +
occupational transfer rate) x average employment over the projection decade.
"""

from __future__ import annotations

import polars as pl

from analytics.schemas import DemandSchema, EpSocMapSchema

HORIZON_YEARS = 10
CROSS_INDUSTRY = "000000"
DETAILED_LEVEL = 3
LINE_ITEM = "Line item"
NATIONAL_GROWTH = "BLS national 2024–34 projection"
STATE_GROWTH = "state long-term projection"
WAGE_SINGLE_AREA = "OEWS area median"
WAGE_WEIGHTED = "employment-weighted mean of area medians"

_SEPARATIONS_RATE = pl.col("exit_rate") + pl.col("transfer_rate")


def compute_openings(ep: pl.DataFrame) -> pl.DataFrame:
    """Return the EP frame with `computed_openings`: annual change plus separations, in people."""
    average = (pl.col("employment_2024") + pl.col("employment_2034")) / 2
    return ep.with_columns(
        (pl.col("employment_change") / HORIZON_YEARS + _SEPARATIONS_RATE * average).alias(
            "computed_openings"
        )
    )


def compute_ep_soc_map(ep: pl.DataFrame, soc_codes: pl.Series) -> pl.DataFrame:
    """Return each EP line-item code with the detailed SOC 2018 code(s) it stands for (EpSocMap).

    EP publishes some occupations only as aggregates (31-1120 for 31-1121 and 31-1122). Such a
    code maps to the SOC codes of its broad group (same first six characters) that are not EP line
    items of their own, so that no SOC code is claimed by two EP rows.
    """
    lines = ep.filter(pl.col("occupation_type") == LINE_ITEM).select("ep_code").unique()
    soc = pl.DataFrame({"soc_code": soc_codes.cast(pl.String)}).unique().drop_nulls()
    direct = lines.filter(pl.col("ep_code").is_in(soc["soc_code"].implode()))
    spare = soc.filter(~pl.col("soc_code").is_in(lines["ep_code"].implode())).with_columns(
        pl.col("soc_code").str.slice(0, 6).alias("broad")
    )
    expanded = (
        lines.filter(~pl.col("ep_code").is_in(soc["soc_code"].implode()))
        .with_columns(pl.col("ep_code").str.slice(0, 6).alias("broad"))
        .join(spare, on="broad", how="left")
        .select("ep_code", pl.coalesce("soc_code", "ep_code").alias("soc_code"))
    )
    frame = pl.concat([direct.with_columns(pl.col("ep_code").alias("soc_code")), expanded])
    return EpSocMapSchema.validate(frame.sort("ep_code", "soc_code"))


def compute_region_base(oews: pl.DataFrame, areas: pl.DataFrame) -> pl.DataFrame:
    """Return base employment and median wage per detailed occupation over a region's OEWS areas.

    `areas` is one region's RegionArea rows; areas BLS does not publish are left out. Detailed
    means OEWS display level 3, which already includes the codes OEWS and EP publish only as
    aggregates (31-1120, 29-2010). One area keeps its own median; several areas get the mean of
    their medians weighted by employment (areas whose employment is not released carry no weight).
    """
    if areas["region_id"].n_unique() > 1:
        raise ValueError("compute_region_base takes the areas of one region at a time")
    used = areas.filter(pl.col("coverage") != "not published")["area_code"]
    rows = oews.filter(
        pl.col("industry_code") == CROSS_INDUSTRY,
        pl.col("occ_level") == DETAILED_LEVEL,
        pl.col("area_code").is_in(used.implode()),
    )
    median, employment = pl.col("annual_median_wage"), pl.col("employment")
    weight = pl.when(median.is_not_null()).then(employment)
    weighted = (median * weight).sum() / weight.sum()
    single = used.len() == 1
    return (
        rows.group_by("soc_code")
        .agg(
            pl.col("occ_title").first().alias("title"),
            pl.when(employment.count() > 0).then(employment.sum()).alias("base_employment"),
            (median.first() if single else pl.when(weight.count() > 0).then(weighted)).alias(
                "median_annual_wage"
            ),
            (pl.col("wage_flag") == "top-coded").any().alias("wage_top_coded"),
            (pl.col("employment_flag") == "not released")
            .sum()
            .cast(pl.Int32)
            .alias("employment_not_released_areas"),
        )
        .with_columns(pl.lit(WAGE_SINGLE_AREA if single else WAGE_WEIGHTED).alias("wage_method"))
        .select(
            "soc_code",
            "title",
            pl.col("base_employment").cast(pl.Float64),
            pl.col("median_annual_wage").cast(pl.Float64),
            "wage_top_coded",
            "wage_method",
            "employment_not_released_areas",
        )
        .sort("soc_code")
    )


def compute_demand(
    region_id: str,
    base: pl.DataFrame,
    ep: pl.DataFrame,
    base_year: int = 2025,
    state_growth: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """Return projected employment and annual openings for the region's occupations (Demand).

    Growth is the state's long-term projection where `state_growth` (soc_code, growth_pct) has
    one, else the BLS national 2024–34 rate; separations use the national EP rates. Occupations
    without an EP line item are left out. Sorted by annual openings, largest first.
    """
    national = ep.filter(pl.col("occupation_type") == LINE_ITEM).select(
        pl.col("ep_code").alias("soc_code"),
        pl.col("title").alias("ep_title"),
        pl.when(pl.col("employment_2024") > 0)
        .then(pl.col("employment_2034") / pl.col("employment_2024") - 1)
        .alias("national_growth"),
        "exit_rate",
        "transfer_rate",
        pl.col("median_annual_wage").alias("ep_wage"),
        pl.col("wage_top_coded").alias("ep_top_coded"),
        "entry_education",
    )
    state = (
        state_growth.select("soc_code", (pl.col("growth_pct") / 100).alias("state_growth"))
        if state_growth is not None
        else pl.DataFrame(schema={"soc_code": pl.String, "state_growth": pl.Float64})
    )
    frame = (
        base.join(national, on="soc_code", how="inner")
        .join(state.unique("soc_code", keep="first"), on="soc_code", how="left")
        .with_columns(pl.coalesce("state_growth", "national_growth").alias("growth"))
    )
    base_employment = pl.col("base_employment")
    projected = base_employment * (1 + pl.col("growth"))
    base_wage = pl.col("median_annual_wage")
    demand = frame.select(
        pl.lit(region_id).alias("region_id"),
        "soc_code",
        pl.coalesce("title", "ep_title").alias("title"),
        pl.lit(base_year, pl.Int16).alias("base_year"),
        base_employment.cast(pl.Float64),
        pl.lit(base_year + HORIZON_YEARS, pl.Int16).alias("projected_year"),
        projected.alias("projected_employment"),
        (pl.col("growth") * 100).alias("growth_pct"),
        (
            (projected - base_employment) / HORIZON_YEARS
            + _SEPARATIONS_RATE * (base_employment + projected) / 2
        ).alias("annual_openings"),
        pl.coalesce(base_wage, "ep_wage").alias("median_annual_wage"),
        pl.when(base_wage.is_not_null())
        .then(pl.col("wage_top_coded"))
        .otherwise(pl.col("ep_top_coded"))
        .alias("wage_top_coded"),
        "entry_education",
        pl.when(pl.col("state_growth").is_not_null())
        .then(pl.lit(STATE_GROWTH))
        .otherwise(pl.lit(NATIONAL_GROWTH))
        .alias("growth_source"),
    )
    return DemandSchema.validate(
        demand.sort("annual_openings", "soc_code", descending=[True, False], nulls_last=True)
    )
