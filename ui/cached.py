"""The only place with st.cache_*: bounded caches keyed on the snapshot id, around workflows.

Whatever returns member data is also keyed on the viewer (`viewer_key`, Viewer.key()): one
person's cached result never serves another. The Viewer itself is passed unhashed (`_viewer`).
"""

from __future__ import annotations

from datetime import date

import polars as pl
import streamlit as st

import workflows
from analytics.access import Viewer
from analytics.schemas import Region
from connectors import snapshots


def snapshot_id() -> str:
    """Return the id of the reference snapshot in use (changes when it is refreshed)."""
    return snapshots.snapshot_id(workflows.reference_dir())


@st.cache_data(max_entries=4, ttl=3600, show_spinner=False)
def regions(snapshot: str) -> list[Region]:
    """Return the configured regions."""
    return workflows.list_regions()


@st.cache_data(max_entries=32, ttl=3600, show_spinner="Computing regional projections…")
def demand(snapshot: str, region_id: str) -> tuple[pl.DataFrame, pl.DataFrame, str]:
    """Return (demand, OEWS areas, coverage sentence) for a region."""
    result = workflows.demand(region_id)
    return result.demand, result.areas, result.coverage_note


@st.cache_data(max_entries=8, ttl=3600, show_spinner=False)
def sources(snapshot: str) -> pl.DataFrame:
    """Return the datasets of the snapshot with their provenance."""
    return workflows.sources()


@st.cache_data(max_entries=64, ttl=3600, show_spinner=False)
def source_line(snapshot: str, names: tuple[str, ...], extra: str = "", short: bool = False) -> str:
    """Return the source-and-vintage line for a chart built from these datasets."""
    return workflows.source_line(names, extra, short)


@st.cache_data(max_entries=4, ttl=3600, show_spinner=False)
def vintage_line(snapshot: str) -> str:
    """Return the headline vintages and the snapshot's age (re-read hourly: the age changes)."""
    return f"{workflows.vintage_summary()}. {workflows.snapshot_freshness()}"


@st.cache_data(max_entries=1, show_spinner=False)
def attributions() -> tuple[str, ...]:
    """Return the attribution statements the data licenses require."""
    return workflows.attributions()


def warehouse_version() -> str:
    """Return the member-data version (changes with every ingest); cheap, so never cached."""
    return workflows.warehouse_version()


# Read-only inputs shared by every scenario: held once (cache_resource) rather than copied per run.
@st.cache_resource(
    max_entries=16, ttl=600, show_spinner="Mapping training programs to occupations…"
)
def gap_inputs(snapshot: str, warehouse: str, region_id: str) -> workflows.RegionSupply:
    """Return the region's supply inputs (programs, occupation links), reused by every scenario."""
    return workflows.supply(region_id)


@st.cache_data(max_entries=64, ttl=600, show_spinner="Computing the gap per occupation…")
def gaps(
    snapshot: str, warehouse: str, region_id: str, _inputs: workflows.RegionSupply, scenario: object
) -> workflows.RegionGaps:
    """Return the gap per occupation for a region and scenario (inputs passed unhashed)."""
    return workflows.gaps(region_id, scenario=scenario, inputs=_inputs)  # type: ignore[arg-type]


@st.cache_resource(max_entries=1, ttl=3600, show_spinner=False)
def county_geojson(snapshot: str) -> dict:
    """Return the county boundaries."""
    return workflows.county_geojson()


# --- pathways and outcomes ----------------------------------------------------------------------


@st.cache_data(max_entries=4, ttl=3600, show_spinner="Reading O*NET occupations…")
def pathway_occupations(snapshot: str) -> pl.DataFrame:
    """Return the occupations pathways can be drawn for (soc_code, title, label)."""
    return workflows.pathway_occupations()


@st.cache_data(max_entries=64, ttl=600, show_spinner="Ranking pathways…")
def pathways(
    snapshot: str,
    warehouse: str,
    region_id: str,
    soc_code: str,
    direction: str,
    _inputs: workflows.RegionSupply,
) -> workflows.PathwayResult:
    """Return ranked moves into or out of an occupation in a region (supply inputs passed unhashed)."""
    return workflows.pathways(soc_code, direction, region_id, supply_inputs=_inputs)


@st.cache_data(max_entries=128, ttl=3600, show_spinner=False)
def skill_gaps(snapshot: str, from_soc: str, to_soc: str) -> pl.DataFrame:
    """Return the O*NET skill importance of two occupations, largest gain first."""
    return workflows.skill_gaps(from_soc, to_soc)


@st.cache_data(max_entries=64, ttl=3600, show_spinner=False)
def workforce_profile(snapshot: str, soc_code: str, feeders: tuple[str, ...]) -> pl.DataFrame:
    """Return the CPS workforce profile of an occupation and its feeders."""
    return workflows.workforce_profile(soc_code, feeders)


@st.cache_data(max_entries=32, ttl=600, show_spinner=False)
def pathway_roi(
    snapshot: str,
    warehouse: str,
    region_id: str,
    to_soc: str,
    from_soc: str,
    as_of: date,
    _inputs: workflows.RegionSupply,
) -> workflows.PathwayRoi:
    """Return the cost per placement and wage gain of the region's programs on one pathway."""
    return workflows.pathway_roi(to_soc, from_soc, region_id, as_of, supply_inputs=_inputs)


@st.cache_data(max_entries=32, ttl=600, show_spinner="Counting placements…")
def outcomes(
    snapshot: str,
    warehouse: str,
    as_of: date,
    region_id: str | None,
    viewer_key: tuple[str, str, str, bool],
    _viewer: Viewer,
) -> workflows.OutcomesResult:
    """Return trainee outcomes as of a date, for a region's programs or all of them, as the viewer sees them."""
    return workflows.outcomes(as_of, region_id, viewer=_viewer)


@st.cache_data(max_entries=16, ttl=3600, show_spinner=False)
def region_counties(snapshot: str, region_id: str) -> list[str]:
    """Return the county FIPS codes of a region."""
    return workflows.region_counties(region_id)


@st.cache_data(max_entries=64, ttl=600, show_spinner=False)
def postings_outlook(
    snapshot: str,
    warehouse: str,
    region_id: str,
    soc_code: str,
    viewer_key: tuple[str, str, str, bool],
    _viewer: Viewer,
) -> workflows.PostingsOutlook:
    """Return members' monthly postings for an occupation with a forecast (disclosure applied for the viewer)."""
    return workflows.postings_outlook(region_id, soc_code, viewer=_viewer)


@st.cache_data(max_entries=16, ttl=300, show_spinner=False)
def own_postings(
    warehouse: str, viewer_key: tuple[str, str, str, bool], _viewer: Viewer
) -> pl.DataFrame:
    """Return the raw postings the viewer may see (its own organization's; a convener's: all)."""
    return workflows.own_postings(_viewer)


@st.cache_data(max_entries=16, ttl=3600, show_spinner=False)
def postings_trend(snapshot: str, region_id: str) -> pl.DataFrame:
    """Return the Indeed postings index for health-care sectors and the region's states, labelled."""
    trend = workflows.postings_trend(region_id)
    return trend.with_columns(
        pl.when(pl.col("geography") == "US")
        .then(pl.col("series").str.replace("total postings", "all postings, US"))
        .otherwise(pl.col("geography").str.to_uppercase() + ": all postings")
        .alias("label")
    )


@st.cache_data(max_entries=32, ttl=3600, show_spinner=False)
def occupation_titles(snapshot: str, region_id: str) -> dict[str, str]:
    """Return {SOC code: title} of the occupations with openings figures in a region."""
    frame, _, _ = demand(snapshot, region_id)
    known = frame.drop_nulls("annual_openings")
    return dict(zip(known["soc_code"], known["title"], strict=True))


@st.cache_data(max_entries=32, ttl=600, show_spinner=False)
def shown_postings(snapshot: str, warehouse: str, region_id: str) -> tuple[str, ...]:
    """Return the SOC codes whose members' postings disclosure lets a shared screen show, to date."""
    signal = workflows.vacancy_signal(region_id).filter(pl.col("month").is_not_null())
    if signal.is_empty():
        return ()
    # A forecast starts from the latest unbroken run of shown months: the last month must be shown.
    latest = (
        signal.sort("month").group_by("soc_code", maintain_order=True).agg(pl.col("status").last())
    )
    return tuple(latest.filter(pl.col("status") == "shown")["soc_code"].sort().to_list())


@st.cache_data(max_entries=64, ttl=600, show_spinner=False)
def training_providers(
    snapshot: str,
    warehouse: str,
    region_id: str,
    soc_codes: tuple[str, ...],
    _inputs: workflows.RegionSupply,
) -> pl.DataFrame:
    """Return the providers inside a region that train for some occupations (inputs unhashed)."""
    return workflows.training_providers(_inputs, soc_codes)
