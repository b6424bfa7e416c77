"""Overview: the region's top occupations by annual openings, with wages and entry education."""

from __future__ import annotations

import polars as pl
import streamlit as st

import charts
from ui import cached, exporting, state

snapshot = cached.snapshot_id()
region_id = state.region_id()
regions = {r.region_id: r for r in cached.regions(snapshot)}
region = regions.get(region_id) or regions[state.DEFAULT_REGION]

st.title(f"{region.name}: where the openings are")
st.caption(region.description or region.name)

demand, areas, coverage = cached.demand(snapshot, region.region_id)
method = (
    "Openings = growth/10 + labor-force exits + occupational transfers (BLS separations method)."
)
source = cached.source_line(snapshot, ("ep_occupations", "oews"), method)
chart_source = cached.source_line(snapshot, ("ep_occupations", "oews"), short=True)

coverage_short = ", ".join(areas.filter(pl.col("coverage") != "not published")["area_title"])
healthcare = demand.filter(pl.col("soc_code").str.slice(0, 2).is_in(["29", "31"]))
watchlist = state.watchlist()
watch = demand.filter(pl.col("soc_code").is_in(watchlist))

c1, c2, c3 = st.columns(3)
c1.metric("Annual openings, healthcare occupations", f"{healthcare['annual_openings'].sum():,.0f}")
c2.metric("Employment, healthcare occupations", f"{healthcare['base_employment'].sum():,.0f}")
c3.metric(
    f"Annual openings, watch-list ({watch.height} occupations)",
    f"{watch['annual_openings'].sum():,.0f}",
)
st.caption(f"Healthcare = SOC major groups 29 and 31. {coverage}")

scope = st.radio(
    "Occupations",
    ["Healthcare (SOC 29 and 31)", "All occupations"],
    horizontal=True,
    key="overview_scope",
)
shown = healthcare if scope.startswith("Healthcare") else demand
fig = charts.openings_bars(
    shown,
    title=f"Annual openings by occupation, {region.name}: 10-year outlook from {int(demand['base_year'][0])}",
    source=chart_source + f" {region.name}: {coverage_short}",
    highlight=watchlist,
)
exporting.show_chart(fig, key="overview_openings")
st.caption(source + " Watch-list occupations are shown in orange.")

table = shown.head(25).select(
    pl.col("title").alias("Occupation"),
    pl.col("soc_code").alias("SOC"),
    pl.col("base_employment").alias("Employment"),
    pl.col("growth_pct").alias("Growth, 10 yr %"),
    pl.col("annual_openings").alias("Annual openings"),
    pl.col("median_annual_wage").alias("Median wage ($)"),
    pl.col("entry_education").alias("Typical entry education"),
)
st.dataframe(
    table,
    hide_index=True,
    width="stretch",
    column_config={
        "Employment": st.column_config.NumberColumn(format="localized"),
        "Growth, 10 yr %": st.column_config.NumberColumn(format="%.1f%%"),
        "Annual openings": st.column_config.NumberColumn(format="%,.0f"),
        "Median wage ($)": st.column_config.NumberColumn(format="%,.0f"),
    },
)
exporting.offer_table(table, f"openings-{region.region_id}", source, key="overview_table")
top_coded = shown.head(25).filter(pl.col("wage_top_coded"))
if top_coded.height:
    st.caption(
        "Wages of "
        + ", ".join(top_coded["title"].to_list())
        + " are at or above BLS's top code ($239,200 a year) and shown at that floor."
    )
with st.expander("Which OEWS areas these figures come from"):
    exporting.show_table(
        areas, key="overview_areas", source=source, hide_index=True, width="stretch"
    )
