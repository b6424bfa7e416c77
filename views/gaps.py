"""Gaps: annual openings against training supply per occupation, with scenarios that recompute at once."""

from __future__ import annotations

import polars as pl
import streamlit as st

import charts
import workflows
from analytics.gaps import AddCohort, AddPathway, Scenario, SetPlacementRate
from ui import cached, exporting, state, widgets

snapshot = cached.snapshot_id()
regions = {r.region_id: r for r in cached.regions(snapshot)}
region = regions.get(state.region_id()) or regions[state.DEFAULT_REGION]
warehouse = cached.warehouse_version()

st.title(f"{region.name}: where training falls short")
inputs = cached.gap_inputs(snapshot, warehouse, region.region_id)
baseline = cached.gaps(snapshot, warehouse, region.region_id, inputs, None)
titles = dict(zip(baseline.gaps["soc_code"], baseline.gaps["title"], strict=True))
chosen = [s for s in state.watchlist() if s in titles]
missing = [s for s in state.watchlist() if s not in titles]
st.caption(
    "Occupations: the watch-list in the sidebar"
    + (f" ({', '.join(missing)} have no figures for {region.name})." if missing else ".")
)

with st.expander("Scenario: what would close the gap?", expanded=False):
    st.caption("Changes apply to supply only and recompute at once; nothing is stored.")
    a, b, c = st.columns(3)
    ipeds_rate = a.slider(
        "In-field placement of IPEDS completers",
        0.0, 1.0, 1.0, 0.05,
        key="gaps_ipeds_rate",
        help="IPEDS reports no placement; 1.0 counts every completer (an upper bound on supply).",
    )  # fmt: skip
    pathway_soc = b.selectbox(
        "Incumbent-worker pathway into",
        ["—", *chosen],
        format_func=lambda s: s if s == "—" else f"{titles.get(s, s)}",
        key="gaps_pathway_soc",
    )
    pathway_people = b.number_input(
        "People a year", 0, 5000, 0, 5, key="gaps_pathway_people"
    )  # fmt: skip
    programs = inputs.programs.sort("annual_completers", descending=True)
    program_keys = [
        f"{p} — {q}" for p, q in zip(programs["provider"], programs["program"], strict=True)
    ]
    cohort_program = c.selectbox(
        "Add a cohort to a program", ["—", *program_keys[:300]], key="gaps_cohort_program"
    )
    cohort_size = c.number_input("Completers a year", 0, 2000, 0, 5, key="gaps_cohort_size")

changes_rates = ()
ipeds_sources = [s for s in inputs.programs["source"].unique().to_list() if s.startswith("IPEDS")]
if ipeds_rate < 1.0 and ipeds_sources:
    changes_rates = (SetPlacementRate(ipeds_rate, source=ipeds_sources[0]),)
pathways = (
    (AddPathway(pathway_soc, float(pathway_people)),)
    if pathway_soc != "—" and pathway_people
    else ()
)
cohorts = ()
if cohort_program != "—" and cohort_size:
    provider, program = cohort_program.split(" — ", 1)
    cohorts = (AddCohort(float(cohort_size), provider=provider, program=program),)
scenario = Scenario("meeting", cohorts, changes_rates, pathways)
try:
    result = cached.gaps(
        snapshot, warehouse, region.region_id, inputs, None if scenario.is_empty() else scenario
    )
except workflows.UserError as exc:
    st.error(f"That scenario cannot be applied: {exc}")
    result = baseline

shown = result.gaps.filter(pl.col("soc_code").is_in(chosen)).sort("gap", descending=True)
if shown.is_empty():
    widgets.empty_state(
        "The watch-list has no occupation with openings figures for this region.",
        "Add occupations to the watch-list in the sidebar (type a title) to compare demand and "
        "supply.",
    )
    st.stop()

total_gap = shown["gap"].sum()
cols = st.columns(3)
cols[0].metric("Annual openings, chosen occupations", f"{shown['annual_openings'].sum():,.0f}")
cols[1].metric(
    "Annual supply",
    f"{shown['annual_supply'].sum():,.0f}",
    delta=None
    if scenario.is_empty()
    else f"{shown['annual_supply'].sum() - shown['baseline_supply'].sum():+,.0f} with scenario",
)
cols[2].metric("Gap a year", f"{total_gap:,.0f}")

source = cached.source_line(
    snapshot, ("ep_occupations", "oews", "ipeds_completions", "cip_soc"), short=True
)
fig = charts.gap_bars(
    shown,
    title=f"Openings and training supply a year, {region.name}"
    + ("" if scenario.is_empty() else " (scenario)"),
    source=source,
)
exporting.show_chart(fig, key="gaps_bars")
st.caption(source)
with st.expander("How these numbers are made (assumptions)", expanded=True):
    for line in result.notes:
        st.markdown(f"- {line}")

st.subheader("By occupation")
table = shown.select(
    pl.col("title").alias("Occupation"),
    pl.col("soc_code").alias("SOC"),
    pl.col("annual_openings").round(0).cast(pl.Int64).alias("Openings a year"),
    pl.col("annual_supply").round(0).cast(pl.Int64).alias("Supply a year"),
    pl.col("gap").round(0).cast(pl.Int64).alias("Gap"),
    pl.col("coverage").alias("Covered"),
    pl.col("top_provider").alias("Largest provider"),
    pl.col("entry_education").alias("Typical entry education"),
)
st.dataframe(
    table,
    hide_index=True,
    width="stretch",
    column_config={
        "Openings a year": st.column_config.NumberColumn(format="localized"),
        "Supply a year": st.column_config.NumberColumn(format="localized"),
        "Gap": st.column_config.NumberColumn(format="localized"),
        "Covered": st.column_config.NumberColumn(format="percent"),
    },
)

exporting.offer_table(table, f"gaps-{region.region_id}", source, key="gaps_table")

st.subheader("Where the training is")
focus = st.selectbox(
    "Occupation on the map",
    shown["soc_code"].to_list(),
    format_func=lambda s: titles.get(s, s),
    key="gaps_map_soc",
)
county = result.county_supply.filter(pl.col("soc_code") == focus)
if county.is_empty():
    st.info("No program in the region's counties trains for this occupation.")
else:
    geo_source = cached.source_line(snapshot, ("ipeds_completions", "counties"), short=True)
    exporting.show_chart(
        charts.county_supply_map(
            county,
            cached.county_geojson(snapshot),
            cached.region_counties(snapshot, region.region_id),
            title=f"Training supply a year by county: {titles.get(focus, focus)}",
            source=geo_source,
        ),
        key="gaps_map",
    )
    st.caption(geo_source + " " + result.notes[-1])
