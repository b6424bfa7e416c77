"""Regions as sets of counties, and the OEWS areas that cover them."""

from __future__ import annotations

import polars as pl

from analytics.schemas import Region, RegionAreaSchema

NATIONAL_AREA = "0000000"


def compute_region_counties(region: Region, counties: pl.DataFrame) -> list[str]:
    """Return the sorted county FIPS codes that make up the region."""
    if region.kind == "nation":
        return sorted(counties["county_fips"].to_list())
    if region.kind == "state":
        return sorted(counties.filter(pl.col("state_fips") == region.state_fips)["county_fips"])
    by_cbsa = counties.filter(pl.col("cbsa_code").is_in(list(region.cbsas)))["county_fips"]
    return sorted(set(region.counties) | set(by_cbsa.to_list()))


def compute_region_areas(
    region: Region, counties: pl.DataFrame, oews_areas: pl.DataFrame
) -> pl.DataFrame:
    """Return the OEWS areas covering a region, with how much of each area belongs to it.

    A county-set region takes the OEWS metropolitan area of each county's CBSA. OEWS publishes no
    micropolitan or county estimates, so a county outside a published metro area is listed with
    coverage "not published" and contributes no employment: the approximation is stated, not hidden.
    """
    if region.kind == "nation":
        return _single_area(region, oews_areas, NATIONAL_AREA, counties.height)
    if region.kind == "state":
        code = f"{region.state_fips}00000"
        n = counties.filter(pl.col("state_fips") == region.state_fips).height
        return _single_area(region, oews_areas, code, n)

    members = compute_region_counties(region, counties)
    chosen = counties.filter(pl.col("county_fips").is_in(members))
    per_cbsa = counties.filter(pl.col("cbsa_code").is_not_null()).group_by("cbsa_code").len("n_all")
    metro = oews_areas.filter(pl.col("area_type") == "M").select(
        "area_code", "area_title", pl.col("area_code").str.slice(2).alias("cbsa_code")
    )
    grouped = (
        chosen.with_columns(pl.col("cbsa_code").fill_null(""))
        .group_by("cbsa_code")
        .agg(pl.len().cast(pl.Int32).alias("counties_in_region"), pl.col("county_name"))
        .join(metro, on="cbsa_code", how="left")
        .join(per_cbsa, on="cbsa_code", how="left")
    )
    rows = []
    for r in grouped.sort("cbsa_code").iter_rows(named=True):
        if r["area_code"] is None:
            names = ", ".join(sorted(r["county_name"]))
            rows.append(
                {
                    "region_id": region.region_id,
                    "area_code": "",
                    "area_title": f"{names} (no OEWS metropolitan estimate)",
                    "counties_in_region": r["counties_in_region"],
                    "counties_in_area": r["counties_in_region"],
                    "coverage": "not published",
                }
            )
            continue
        n_all = int(r["n_all"] or r["counties_in_region"])
        rows.append(
            {
                "region_id": region.region_id,
                "area_code": r["area_code"],
                "area_title": r["area_title"],
                "counties_in_region": r["counties_in_region"],
                "counties_in_area": n_all,
                "coverage": "whole" if r["counties_in_region"] >= n_all else "partial",
            }
        )
    frame = pl.DataFrame(rows, schema=RegionAreaSchema.columns)
    return RegionAreaSchema.validate(frame)


def describe_coverage(areas: pl.DataFrame) -> str:
    """Return one sentence saying which OEWS areas a region's figures come from, and any gap."""
    used = areas.filter(pl.col("coverage") != "not published")
    parts = [f"OEWS May 2025 estimates for {', '.join(used['area_title'].to_list())}"]
    partial = areas.filter(pl.col("coverage") == "partial")
    if partial.height:
        parts.append(
            "areas only partly inside the region are counted whole: "
            + ", ".join(partial["area_title"].to_list())
        )
    missing = areas.filter(pl.col("coverage") == "not published")
    if missing.height:
        parts.append(
            "not included (BLS publishes no estimate for them): "
            + "; ".join(missing["area_title"].to_list())
        )
    return "; ".join(parts) + "."


def _single_area(region: Region, oews_areas: pl.DataFrame, code: str, n: int) -> pl.DataFrame:
    title = oews_areas.filter(pl.col("area_code") == code)["area_title"]
    frame = pl.DataFrame(
        {
            "region_id": [region.region_id],
            "area_code": [code],
            "area_title": [title[0] if title.len() else region.name],
            "counties_in_region": [n],
            "counties_in_area": [n],
            "coverage": ["whole"],
        },
        schema=RegionAreaSchema.columns,
    )
    return RegionAreaSchema.validate(frame)
