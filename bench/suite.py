"""The performance suite behind `gapboard bench`: one table (and one JSON object) of every figure.

Each section runs on its own; a section that cannot run here (no browser for image export, say)
is reported as skipped with the reason instead of failing the whole suite.
"""

from __future__ import annotations

import json
import re
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from settings import ROOT

README = ROOT / "README.md"
RESULTS = ROOT / "bench" / "results.json"
BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"


def _section(
    name: str, run: Callable[[], Any], results: dict[str, Any], log: Callable[[str], None]
) -> None:
    log(f"bench: {name} …")
    started = time.perf_counter()
    try:
        results[name] = run()
    except Exception as exc:  # one section failing must not hide the others' figures
        results[name] = {"skipped": f"{type(exc).__name__}: {exc}"}
    log(f"bench: {name} done in {time.perf_counter() - started:.1f} s")


def run_suite(quick: bool = False, log: Callable[[str], None] | None = None) -> dict[str, Any]:
    """Run every benchmark and return the figures by name.

    quick: smaller sizes, one page, one forecast origin, and no real-browser sections (the browser
    timings and the load run), so that it finishes within a minute.
    """
    from bench import app, exports, forecast, ingest, load, scale

    say = log or (lambda message: sys.stderr.write(message + "\n"))
    results: dict[str, Any] = {
        "run_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "quick": quick,
        "machine": _machine(),
    }
    sizes = [50_000] if quick else [300_000, 1_000_000]
    _section("app_cold_start", app.measure_cold_start, results, say)
    if quick:  # a real browser and server take most of a minute on their own
        results["app_browser"] = {"skipped": "not in the quick run (run `gapboard bench`)"}
    else:
        _section("app_browser", app.measure_browser, results, say)
    pages = ["views/overview.py"] if quick else None
    _section("page_renders", lambda: app.measure_rerenders(pages), results, say)
    _section(
        "ingest",
        lambda: [ingest.measure_ingest(n, runs=3 if n <= 300_000 else 1) for n in sizes],
        results,
        say,
    )
    _section(
        "title_coding", lambda: ingest.measure_titles(5_000 if quick else 20_000), results, say
    )
    _section("forecast", lambda: forecast.run_forecast_bench(quick), results, say)
    _section("exports", lambda: exports.measure(count=3 if quick else 10), results, say)
    _section(
        "scale",
        lambda: scale.measure_scale(
            scale.QUICK_ROWS if quick else scale.FULL_ROWS, compare=not quick
        ),
        results,
        say,
    )
    if quick:
        results["load"] = {"skipped": "not in the quick run (run `gapboard bench`)"}
    else:
        _section("load", lambda: load.run_load(20, 5, 2, 500), results, say)
    return results


def format_table(results: dict[str, Any]) -> str:
    """Return the figures as a Markdown table: figure, value, target."""
    rows: list[tuple[str, str, str]] = []

    def add(label: str, value: Any, target: str = "") -> None:
        rows.append((label, str(value), target))

    cold = results.get("app_cold_start", {})
    if "skipped" in cold:
        add("app cold start", "skipped: " + cold["skipped"])
    elif cold:
        add(
            "app cold start to first chart (fresh process, AppTest)",
            f"{cold['cold_start_s']} s",
            "< 3 s",
        )
    browser = results.get("app_browser", {})
    if "skipped" in browser:
        add("browser timings", "skipped: " + browser["skipped"])
    elif browser:
        add(
            "browser: fresh server, navigation to first chart visible "
            f"(Chromium, median of {browser.get('runs', 1)} runs)",
            f"{browser['first_chart_s']} s",
            "< 3 s",
        )
        if "bare_page_first_chart_s" in browser:
            add(
                "browser: the same for a bare page with one Plotly chart, plain `streamlit run`",
                f"{browser['bare_page_first_chart_s']} s",
            )
        if "first_chart_repeat_s" in browser:
            add(
                "browser: second visit, new tab, to first chart visible",
                f"{browser['first_chart_repeat_s']} s",
                "< 3 s",
            )
        add(
            "browser: region change to re-rendered page, cached (uncached)",
            f"{browser['region_change_ms']} ms ({browser['region_change_uncached_ms']} ms)",
            "< 300 ms",
        )
        if "server_ready_s" in browser:
            add(
                "browser: fresh server, start to ready (warm-up included)",
                f"{browser['server_ready_s']} s",
                "",
            )
    for page in (
        results.get("page_renders", []) if isinstance(results.get("page_renders"), list) else []
    ):
        add(
            f"page {page['page']} render, uncached / cached",
            f"{page['uncached_ms']} ms / {page['cached_ms']} ms",
            "cached < 300 ms",
        )
    ingest_rows = results.get("ingest")
    if isinstance(ingest_rows, list):
        for item in ingest_rows:
            add(
                f"ingest {item['rows']:,} vacancy rows (one process)",
                f"{item['ingest_s']} s, {item['rows_per_s']:,} rows/s, peak {item['peak_mb']} MB, "
                f"{item['ratio_to_bare']}x bare Polars, all coded: {item['every_row_coded']}",
                ">= 100,000 rows/s, <= 5x, < 1.5 GB",
            )
    elif isinstance(ingest_rows, dict):
        add("ingest", "skipped: " + ingest_rows.get("skipped", ""))
    titles = results.get("title_coding", {})
    if "titles_per_s" in titles:
        add(
            f"title coding, {titles['titles']:,} distinct titles",
            f"{titles['titles_per_s']:,} titles/s",
            ">= 20,000/s",
        )
    elif titles:
        add("title coding", "skipped: " + titles.get("skipped", ""))
    fc = results.get("forecast", {})
    if "skipped" in fc:
        add("forecast accuracy", "skipped: " + fc["skipped"])
    elif fc:
        cases = f"{fc.get('series')} series x {fc.get('origins')} origins, {fc.get('horizon')}-month horizon"
        add("forecast backtest cases", cases)
        shown = [k for k in fc.get("mase", {}) if k.startswith(("selected", "AutoETS", "seasonal"))]
        for key in shown:
            add(
                f"forecast {key}: mean MASE / sMAPE / 80% and 95% interval coverage",
                f"{fc['mase'][key]:.3f} / {fc['smape'][key]:.2f}% / "
                f"{fc['coverage80'][key]:.0%} / {fc['coverage95'][key]:.0%}",
                "below AutoETS; 80% in 70-90%" if key == "selected" else "",
            )
        for key, value in fc.get("seconds", {}).items():
            add(f"forecast time, {key.replace('_', ' ')}", f"{value} s")
        target = fc.get("target", {})
        if target:
            add("forecast accuracy target met", str(target.get("met")))
    ex = results.get("exports", {})
    if "skipped" in ex:
        add("chart export", "skipped: " + ex["skipped"])
    elif ex:
        add("first PNG (starts the browser)", f"{ex['first_png_s']} s")
        add(f"next {ex['png_count']} PNGs, total", f"{ex['png_total_s']} s", "10 in < 5 s")
        add("SVG", f"{ex['svg_s']} s")
        if "deck_s" in ex:
            add("meeting deck (.pptx)", f"{ex['deck_s']} s")
    sc = results.get("scale", {})
    if "skipped" in sc:
        add("national-scale feed", "skipped: " + sc["skipped"])
    elif sc:
        add(
            f"national-scale feed generated: {sc['counties']:,} counties x "
            f"{sc['occupations']} occupations x {sc['months']} months",
            f"{sc['rows']:,} rows in {sc['files']} Parquet files ({sc['mb_on_disk']} MB), "
            f"{sc['generate_s']} s, peak {sc['generate_peak_mb']} MB",
        )
        add(
            "streaming aggregation (fresh process): occupation x state x year, county x month",
            f"{sc['aggregate_s']} s, {sc['aggregate_rows_per_s']:,} rows/s, "
            f"peak {sc['aggregate_peak_mb']} MB, {sc['occupation_state_year_groups']:,} + "
            f"{sc['county_month_groups']:,} groups, totals match: {sc['totals_match']}",
            "totals = rows generated",
        )
        if "in_memory_skipped" in sc:
            add(
                "the same aggregation on the in-memory engine",
                "skipped: " + sc["in_memory_skipped"],
            )
        elif "in_memory_peak_mb" in sc:
            add(
                "the same aggregation on the in-memory engine",
                f"{sc['in_memory_aggregate_s']} s, peak {sc['in_memory_peak_mb']:,} MB",
            )
    _load_rows(results.get("load", {}), add)
    lines = ["| figure | measured | target |", "| --- | --- | --- |"]
    lines += [f"| {a} | {b} | {c} |" for a, b, c in rows]
    stamp = f"Measured {results['run_at']} on {results['machine']}" + (
        " (quick run)" if results.get("quick") else ""
    )
    return "\n".join(lines) + f"\n\n{stamp}.\n"


def _load_rows(lo: dict[str, Any], add: Callable[..., None]) -> None:
    """Add the load run's rows: who was on the server at once, latencies, the row check."""
    if "skipped" in lo:
        add("load", "skipped: " + lo["skipped"])
        return
    if not lo:
        return
    who = (
        f"{lo['browsing_sessions']} browsing ({lo['actions_per_browsing_session']} actions each) + "
        f"{lo['uploading_sessions']} uploading ({lo['rows_per_feed']:,} rows each, one re-sent)"
    )
    add(
        "load: sessions at once on one server (loopback, after one warm-up visit)",
        f"{who}, {lo['wall_s']} s in all; CPU: server {lo['server_cpu_s']} s, "
        f"browsers and the rest {lo['clients_cpu_s']} s ({lo['cores_busy']} cores busy)",
    )
    for key, label in (
        ("page_open", "open a page to its chart"),
        ("region_change", "change region to the new chart"),
        ("upload_to_preview", "upload to column check"),
        ("store", "store rows"),
    ):
        p = lo.get(key, {})
        if p.get("count"):
            add(
                f"load: {label}, p50 / p90 / p99 / max ({p['count']} times)",
                f"{p['p50_ms']:,} / {p['p90_ms']:,} / {p['p99_ms']:,} / {p['max_ms']:,} ms",
            )
    add(
        "load: errors; rows stored / sent; lost, doubled, unexpected",
        f"{len(lo.get('errors', []))}; {lo['rows_stored']:,} / {lo['rows_sent_distinct']:,}; "
        f"{lo['rows_lost']}, {lo['rows_doubled']}, {lo['rows_unexpected']}",
        "0; equal; 0, 0, 0",
    )


def write_results(results: dict[str, Any], table: str, update_readme: bool) -> Path:
    """Write bench/results.json (and the README's performance table when asked); return the JSON path."""
    RESULTS.write_text(json.dumps(results, indent=2, default=str) + "\n", encoding="utf-8")
    if update_readme and README.exists():
        text = README.read_text(encoding="utf-8")
        block = f"{BEGIN}\n{table}{END}"
        if BEGIN in text and END in text:
            text = re.sub(
                re.escape(BEGIN) + r".*?" + re.escape(END), lambda _: block, text, flags=re.S
            )
        else:
            text += f"\n## Performance\n\nThe output of `gapboard bench`:\n\n{block}\n"
        README.write_text(text, encoding="utf-8")
    return RESULTS


def _machine() -> str:
    import os
    import platform

    return f"{os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()}"
