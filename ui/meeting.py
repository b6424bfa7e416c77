"""Meeting slides: one chart a screen over the region and watch-list, with its headline number.

Each slide is planned from cached figures (cheap once the pages have run) and drawn only when it is
shown. A slide with nothing to show is left out, and the deck says which and why.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import polars as pl

import charts
import workflows
from analytics.schemas import Region
from ui import auth, cached

POSTINGS_SOURCE = (
    "Source: consortium members' vacancy feeds (aggregated, disclosure rules applied)."
)


@dataclass(frozen=True)
class Slide:
    """One screen of the meeting: a title, the number to leave with, a chart and its source."""

    title: str
    headline: str
    headline_label: str
    figure: Any
    source: str


@dataclass(frozen=True)
class Plan:
    """The slides a region and watch-list can show, built on demand, and those left out (why)."""

    names: tuple[str, ...]
    builders: tuple[Callable[[], Slide], ...]
    skipped: tuple[str, ...]


def plan(region: Region, watchlist: Sequence[str]) -> Plan:
    """Return the meeting slides for a region and watch-list (openings, gap, training, pathways, outcomes, postings)."""
    snapshot = cached.snapshot_id()
    warehouse = cached.warehouse_version()
    watch = tuple(watchlist)
    names: list[str] = []
    builders: list[Callable[[], Slide]] = []
    skipped: list[str] = []

    def add(name: str, build: Callable[[], Slide] | None, why: str) -> None:
        if build is None:
            skipped.append(f"{name}: {why}")
        else:
            names.append(name)
            builders.append(build)

    demand, areas, _ = cached.demand(snapshot, region.region_id)
    add("Openings", _openings(snapshot, region, demand, areas, watch), "no openings figures")
    if watch:
        inputs = cached.gap_inputs(snapshot, warehouse, region.region_id)
        baseline = cached.gaps(snapshot, warehouse, region.region_id, inputs, None)
        add("Gap", _gap(snapshot, region, baseline, watch), "no watch-list occupation has figures")
        providers = cached.training_providers(snapshot, warehouse, region.region_id, watch, inputs)
        add(
            "Training",
            _training(snapshot, region, providers, baseline, watch),
            "no program in the region trains for the watch-list",
        )
        add(
            "Pathways",
            _pathways(snapshot, warehouse, region, watch, inputs),
            "no feeder occupation found for the watch-list",
        )
    else:
        skipped.append("Gap, training and pathways: the watch-list is empty (choose occupations)")
    add(
        "Outcomes",
        _outcomes(snapshot, warehouse, region),
        "no trainee placements yet (Upload page, Trainee placements)",
    )
    add(
        "Postings",
        _postings(snapshot, warehouse, region, demand, watch),
        "no member postings for the watch-list that disclosure lets a shared screen show",
    )
    return Plan(tuple(names), tuple(builders), tuple(skipped))


def _openings(
    snapshot: str,
    region: Region,
    demand: pl.DataFrame,
    areas: pl.DataFrame,
    watch: tuple[str, ...],
) -> Callable[[], Slide] | None:
    health = demand.filter(pl.col("soc_code").str.slice(0, 2).is_in(["29", "31"])).drop_nulls(
        "annual_openings"
    )
    if health.is_empty():
        return None

    def build() -> Slide:
        chosen = demand.filter(pl.col("soc_code").is_in(watch)).drop_nulls("annual_openings")
        published = areas.filter(pl.col("coverage") != "not published")["area_title"]
        source = cached.source_line(snapshot, ("ep_occupations", "oews"), short=True)
        shown = chosen if chosen.height else health
        fig = charts.openings_bars(
            shown, title="", source=source, top=min(max(shown.height, 1), 10)
        )
        label = (
            f"openings a year in the {chosen.height} watch-list occupations"
            if chosen.height
            else "openings a year in healthcare occupations (SOC 29 and 31)"
        )
        return Slide(
            title=f"{region.name}: where the openings are",
            headline=f"{shown['annual_openings'].sum():,.0f}",
            headline_label=label,
            figure=charts.meeting_look(fig),
            source=f"{source} {region.name}: {', '.join(published)}.",
        )

    return build


def _gap(
    snapshot: str, region: Region, baseline: workflows.RegionGaps, watch: tuple[str, ...]
) -> Callable[[], Slide] | None:
    shown = baseline.gaps.filter(pl.col("soc_code").is_in(watch)).sort("gap", descending=True)
    if shown.is_empty():
        return None

    def build() -> Slide:
        source = cached.source_line(
            snapshot, ("ep_occupations", "oews", "ipeds_completions", "cip_soc"), short=True
        )
        fig = charts.gap_bars(shown, title="", source=source)
        gap = shown["gap"].sum()
        covered = shown["annual_supply"].sum() / max(shown["annual_openings"].sum(), 1)
        return Slide(
            title=f"{region.name}: where training falls short",
            headline=f"{gap:,.0f}" if gap >= 0 else f"+{-gap:,.0f}",
            headline_label=(
                "more openings a year than people trained and placed, watch-list"
                if gap >= 0
                else "more people trained a year than openings, watch-list"
            )
            + f" ({covered:.0%} covered)",
            figure=charts.meeting_look(fig),
            source=source + " IPEDS reports no placement: supply counts every completer.",
        )

    return build


def _training(
    snapshot: str,
    region: Region,
    providers: pl.DataFrame,
    baseline: workflows.RegionGaps,
    watch: tuple[str, ...],
) -> Callable[[], Slide] | None:
    located = providers.drop_nulls(["latitude", "longitude"]) if providers.height else providers
    if located.is_empty():
        return None
    titles = dict(zip(baseline.gaps["soc_code"], baseline.gaps["title"], strict=True))

    def build() -> Slide:
        source = cached.source_line(
            snapshot, ("ipeds_completions", "ipeds_institutions", "cip_soc"), short=True
        )
        fig = charts.provider_map(
            providers,
            cached.county_geojson(snapshot),
            cached.region_counties(snapshot, region.region_id),
            title="",
            source=source,
        )
        names = ", ".join(titles.get(s, s) for s in watch[:3]) + (
            " and more" if len(watch) > 3 else ""
        )
        return Slide(
            title=f"{region.name}: who trains for the watch-list",
            headline=f"{providers['annual_supply'].sum():,.0f}",
            headline_label=f"trained and placed a year by {providers['provider'].n_unique():,} "
            f"providers ({names})",
            figure=charts.meeting_look(fig),
            source=source + " Circles are sized by people trained a year.",
        )

    return build


def _pathways(
    snapshot: str,
    warehouse: str,
    region: Region,
    watch: tuple[str, ...],
    inputs: workflows.RegionSupply,
) -> Callable[[], Slide] | None:
    known = set(cached.pathway_occupations(snapshot)["soc_code"].to_list())
    for soc in watch:
        if soc not in known:
            continue
        result = cached.pathways(snapshot, warehouse, region.region_id, soc, "to", inputs)
        rows = result.table.drop_nulls("wage_uplift_pct")
        if rows.is_empty():
            continue
        return _pathway_builder(snapshot, region, result, rows)
    return None


def _pathway_builder(
    snapshot: str, region: Region, result: workflows.PathwayResult, rows: pl.DataFrame
) -> Callable[[], Slide]:
    def build() -> Slide:
        source = cached.source_line(snapshot, ("onet_skills", "oews"), short=True)
        best = rows.sort("rank").row(0, named=True)
        fig = charts.pathway_scatter(result.table, title="", source=source, labels=4)
        gain = rows.filter(pl.col("wage_uplift_pct") > 0).height
        return Slide(
            title=f"Who can move up into {result.title}",
            headline=f"{gain} of {rows.height}",
            headline_label=f"closest roles would earn more as {result.title} ({region.name} "
            f"median wages). Closest: {best['from_title']}, {best['wage_uplift_pct']:+.0f}%",
            figure=charts.meeting_look(fig),
            source=source + " Dots are numbered by rank; likeness 0–1.",
        )

    return build


def _outcomes(snapshot: str, warehouse: str, region: Region) -> Callable[[], Slide] | None:
    viewer = auth.current_viewer()
    result = cached.outcomes(
        snapshot, warehouse, date.today(), region.region_id, viewer.key(), viewer
    )
    pooled = result.outcomes.filter(pl.col("cohort").is_null()).sort(
        "placed", descending=True, nulls_last=True
    )
    if result.placements == 0 or pooled.is_empty():
        return None
    row = pooled.row(0, named=True)

    def build() -> Slide:
        source = (
            f"Member placement feeds, as of {result.as_of.isoformat()}"
            + (" (illustrative sample data)" if result.illustrative else "")
            + ". Results resting on fewer than 10 people are withheld."
        )
        fig = charts.outcomes_funnel(row, title="", source=source)
        rate = row["placement_rate"]
        return Slide(
            title=f"Did trainees get hired and stay? {row['program']}",
            headline="fewer than 10" if rate is None else f"{rate:.0%}",
            headline_label=f"of completers placed in a job, {row['provider']} (all cohorts)",
            figure=charts.meeting_look(fig),
            source=source,
        )

    return build


def _postings(
    snapshot: str, warehouse: str, region: Region, demand: pl.DataFrame, watch: tuple[str, ...]
) -> Callable[[], Slide] | None:
    shown = set(cached.shown_postings(snapshot, warehouse, region.region_id))
    soc = next((s for s in watch if s in shown), None)
    if soc is None:
        return None
    titles = dict(zip(demand["soc_code"], demand["title"], strict=True))
    title = titles.get(soc, soc)

    def build() -> Slide:
        viewer = auth.current_viewer()
        outlook = cached.postings_outlook(
            snapshot, warehouse, region.region_id, soc, viewer.key(), viewer
        )
        fig = charts.forecast_fan(
            outlook.history, outlook.forecast, title="", source=POSTINGS_SOURCE
        )
        total = outlook.forecast["yhat"].sum() if outlook.forecast.height else 0.0
        return Slide(
            title=f"Members' postings and the year ahead: {title}",
            headline=f"{total:,.0f}",
            headline_label="new postings expected over the next 12 months (80% and 95% "
            "intervals shaded)",
            figure=charts.meeting_look(fig),
            source=f"{POSTINGS_SOURCE} {outlook.note}",
        )

    return build
