"""The only place with st.cache_*: bounded caches keyed on the snapshot id, around workflows."""

from __future__ import annotations

import polars as pl
import streamlit as st

import workflows
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


@st.cache_data(max_entries=1, show_spinner=False)
def attributions() -> tuple[str, ...]:
    """Return the attribution statements the data licenses require."""
    return workflows.attributions()


def warehouse_version() -> str:
    """Return the member-data version (changes with every ingest); cheap, so never cached."""
    return workflows.warehouse_version()


@st.cache_data(max_entries=16, ttl=600, show_spinner="Mapping training programs to occupations…")
def gap_inputs(snapshot: str, warehouse: str, region_id: str) -> workflows.RegionSupply:
    """Return the region's supply inputs (programs, occupation links), reused by every scenario."""
    return workflows.supply(region_id)


@st.cache_data(max_entries=64, ttl=600, show_spinner=False)
def gaps(
    snapshot: str, warehouse: str, region_id: str, _inputs: workflows.RegionSupply, scenario: object
) -> workflows.RegionGaps:
    """Return the gap per occupation for a region and scenario (inputs passed unhashed)."""
    return workflows.gaps(region_id, scenario=scenario, inputs=_inputs)  # type: ignore[arg-type]


@st.cache_data(max_entries=1, ttl=3600, show_spinner=False)
def county_geojson(snapshot: str) -> dict:
    """Return the county boundaries."""
    return workflows.county_geojson()
